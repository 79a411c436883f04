"""The compiled readings kernel loaded from numba's disk cache without numba's compiler refresh
(tanjiliang/data/jitcache.py, issue 16): every cached function of the kernel loads that way, a
new process loads them all from the cache without importing the compiler's declarations, and
a function not in the cache yet is compiled, saved and then loaded as before."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from numba.core.caching import NullCache
from numba.core.dispatcher import Dispatcher

from tanjiliang.data import kernel
from tanjiliang.data.jitcache import LeanCache

#: modules numba's refresh imports (its typing and lowering declarations) and loading does not
REFRESH_ONLY = ("numba.core.typing.mathdecl", "numba.core.typing.cffi_utils", "numba.typed.typedlist",
                "numba.cpython.cmathimpl")


def _run(code: str, cwd: Path | None = None) -> dict:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd, check=True)
    return json.loads(done.stdout.splitlines()[-1])


def test_every_cached_function_of_the_kernel_loads_lean() -> None:
    cached = [d for d in vars(kernel).values() if isinstance(d, Dispatcher) and not isinstance(d._cache, NullCache)]
    assert len(cached) >= 8
    assert all(type(d._cache) is LeanCache for d in cached), [d.py_func.__name__ for d in cached]


def test_a_new_process_loads_the_kernel_from_the_cache_without_the_compiler() -> None:
    _run("from tanjiliang.data.warm import warm; warm(); print('{}')")  # compiled once if it is not yet
    got = _run(f"""
import json, sys
from numba.core.dispatcher import Dispatcher
from tanjiliang.data import kernel
from tanjiliang.data.warm import warm
warm()
used = [d for d in vars(kernel).values() if isinstance(d, Dispatcher) and d.overloads]
print(json.dumps({{"hits": sum(sum(d.stats.cache_hits.values()) for d in used),
                  "misses": sum(sum(d.stats.cache_misses.values()) for d in used), "used": len(used),
                  "refreshed": [m for m in {list(REFRESH_ONLY)!r} if m in sys.modules]}}))
""")
    assert got["used"] >= 8 and got["hits"] == got["used"] and got["misses"] == 0
    assert got["refreshed"] == []


def test_a_function_not_cached_yet_is_compiled_saved_then_loaded(tmp_path: Path) -> None:
    (tmp_path / "twice_mod.py").write_text(
        "from numba import njit\n"
        "from tanjiliang.data.jitcache import lean_loading\n\n"
        "@njit(cache=True)\n"
        "def twice(x):\n"
        "    return 2 * x\n\n"
        "lean_loading(globals())\n", encoding="utf-8")
    code = """
import json
from twice_mod import twice
print(json.dumps({"value": twice(21.5), "hits": sum(twice.stats.cache_hits.values()),
                  "misses": sum(twice.stats.cache_misses.values())}))
"""
    first = _run(code, tmp_path)
    assert first == {"value": 43.0, "hits": 0, "misses": 1}  # compiled and saved
    assert _run(code, tmp_path) == {"value": 43.0, "hits": 1, "misses": 0}  # loaded lean
