"""The weather: each window's chance of clear skies (which the contact plan weighs by), and the
year drawn many times over the scheduled contacts (the weather stage). The physics (cloud
statistics, the correlated cloud process, the Monte Carlo engine) is in ``groundstations/``."""
