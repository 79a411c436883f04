"""Issue 16: a new web worker (the WSGI application and every page's view, as the first request
loads them) imports none of the heavy libraries that only some pages use — polars (readings,
the overview's batch rows), openpyxl (workbooks), HiGHS and numpy (the plan), pandas, dask."""

from __future__ import annotations

import json
import os
import subprocess
import sys

HEAVY = ("polars", "openpyxl", "highspy", "numpy", "pandas", "dask", "numba", "pyarrow", "weasyprint")

_PROBE = """
import json, sys
from tanjiliang.web.wsgi import application
from django.urls import get_resolver
get_resolver().url_patterns  # the URLconf and every view module, as the first request loads them
print(json.dumps(sorted(sys.modules)))
"""


def test_a_new_worker_imports_no_heavy_library(tmp_path) -> None:
    env = {**os.environ, "TANJILIANG_DEMO": "1", "TANJILIANG_DATA_DIR": str(tmp_path),
           "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run([sys.executable, "-c", _PROBE], env=env, capture_output=True, text=True,
                          timeout=300, check=True)
    modules = json.loads(done.stdout.splitlines()[-1])
    assert "tanjiliang.web.core.views.plan" in modules and "tanjiliang.web.review.views" in modules
    heavy = [h for h in HEAVY if any(m == h or m.startswith(h + ".") for m in modules)]
    assert not heavy, f"a new web worker imported {heavy}"
