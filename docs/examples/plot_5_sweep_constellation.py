"""
Sweep a Walker constellation on Dask
====================================

``skyswap sweep scenarios/sweep_constellation.yaml`` plans the Q4S-like scenario flown by Walker
constellations of 1, 2 and 4 satellites (1 or 2 planes, 1 or 2 satellites per plane), every point
a task on Dask. Without ``--scheduler`` (``scheduler=None`` here) a local Dask cluster of two
worker processes is started on 127.0.0.1; ``scheduler="tcp://host:8786"`` uses an existing one.
Here the span is one day (the file asks for seven) to keep this page quick.
"""
import tempfile
from pathlib import Path

import pandas as pd
import plotly.express as px

from skyswap.mission import sweep

scenarios = Path("../../scenarios")  # the repository's scenarios/ folder, seen from docs/examples/
spec = sweep.load_sweep(scenarios / "sweep_constellation.yaml").model_copy(update={"days": 1})
print(spec.name, "on", spec.base, f"{spec.days:g} day;", "walker:", spec.walker)
for point in sweep.points(spec):
    print(point.index, point.values)

# %%
# Run it on a local Dask cluster
# ------------------------------
# Each point is planned whole on one worker (the satellites of a constellation share the stations,
# so they are planned together); the results are one table of points and one of passes.
#
# .. note:: Run as a script (``python plot_5_sweep_constellation.py``), the code from here on must sit
#    under ``if __name__ == "__main__":``: Dask's worker processes start by importing the main
#    script again, as Python's multiprocessing does. In a notebook, IPython or this gallery, which
#    run the cells in one session, no guard is needed.

result = sweep.run_sweep(spec, scheduler=None, local_workers=2)
result.points

# %%
# More satellites see more windows; but a station tracks one satellite at a time, so when two are
# in view of the same stations the contact plan serves one of them, and the pairs need not grow in
# proportion to the satellites.

fig = px.bar(result.points, x=result.points.satellites.astype(str) + " sat. (" +
             result.points["walker.planes"].astype(str) + " × " +
             result.points["walker.satellites_per_plane"].astype(str) + ")",
             y="heralded_pairs", labels={"x": "constellation (planes × satellites per plane)"},
             title="heralded pairs in one day, clear skies", height=380)
fig.update_layout(margin=dict(l=10, r=10, t=50, b=10))
fig

# %%
# The sweep's output set
# ----------------------
# ``sweep.write`` writes what ``skyswap sweep --out`` writes: ``sweep.parquet`` (one row per point
# and candidate window), the points table as Parquet and CSV (``candidate_windows`` counts each
# point's windows) and ``sweep.html`` (the points' figure and table), replacing the folder's
# previous set as a whole.

out = Path(tempfile.mkdtemp()) / "sweep-constellation"
for path in sweep.write(result, out, spec.name):
    print(path.name)
passes = pd.read_parquet(out / "sweep.parquet")
passes.groupby(["point", "satellite"]).size().rename("candidate_windows").reset_index()
