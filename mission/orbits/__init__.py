"""Where the satellites are: orbit sources (TLE, OMM, elements, designed orbits), frames, ephemeris."""
