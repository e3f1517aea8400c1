"""``skyswap map``: where on Earth a ground station would serve the scenario's payload best.

    grid.py     the cells of the map and which are land (groundstations.topography)
    shared.py   one propagation per satellite for every cell, the Sun and the Moon
    cells.py    one site: windows, link, payload, clouds (mission.channel, payload.swap, weather.clear_sky)
    site_weather.py  a site's year over simulated weather (groundstations.year_draws)
    dispatch.py the sites in chunks on Dask (or in this process), byte-identical whatever the split
    network.py  the greedy best network of N sites for the weather's P10
    assemble.py fields, ranked tables, provenance
    mapfiles.py map.nc (CF NetCDF), sites.parquet/csv, map.json, map.html
"""
