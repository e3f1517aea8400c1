"""The contact plan: which candidate contact is served when (the conflict-free plan of the year)."""
