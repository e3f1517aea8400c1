"""When the satellites can be used: rise/set search, night, common view, intervals, geometry samples."""
