"""pint is imported without numpy and dask unless the process holds them already
(``tanjiliang/_imports.py``, issue 16): the quantities this project reads and converts come
out the same either way, and numpy and dask still import normally afterwards."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tanjiliang.units import registry

DEFINITIONS = Path(registry.__file__).with_name("definitions.txt")

_PROBE = """
import json, sys
if sys.argv[1] == "numpy first":
    import numpy
from tanjiliang.units import QuantityError, dimension_name, parse_quantity, parse_ratio
import pint.compat
names = json.loads(sys.argv[2])
out = {"has_numpy": pint.compat.HAS_NUMPY, "has_dask": pint.compat.HAS_DASK,
       "numpy_loaded": "numpy" in sys.modules, "dask_loaded": "dask" in sys.modules}
rows = []
for text in names + ["3.5 万Nm3", "2 tce", "1000 scf", "99 %", "5 MWh", "12 t/h", "7 kg·m⁻³",
                     "0.02631 tC/GJ", "1 gal", "1e6 Btu", "40 °C", "1.5 MPa", "0.9 ‰"]:
    try:
        q = parse_quantity(text if text[0].isdigit() else "1 " + text)
        base = q.to_base_units()
        rows.append([text, repr(base.magnitude), f"{base.units:~}", f"{q.units:~}", str(q.dimensionality),
                     dimension_name(q.dimensionality, "zh"), repr(float(q.magnitude) * 2)])
    except QuantityError as exc:
        rows.append([text, "error", exc.en])
rows.append(["ratio", repr(parse_ratio("99 %")), repr(parse_ratio(0.5))])
rows.append(["product", repr((parse_quantity("0.02631 tC/GJ") * parse_quantity("1000 GJ")).to("t").magnitude)])
out["rows"] = rows
import numpy, dask  # importable as usual once pint is in
out["after"] = [numpy.__name__, dask.__name__]
print(json.dumps(out))
"""


def _names() -> list[str]:
    """Every unit name and alias the project defines."""
    names = []
    for line in DEFINITIONS.read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if "=" not in line or line.startswith("@"):
            continue
        parts = [p.strip() for p in line.split("=")]
        names += [parts[0], *[p for p in parts[2:] if p and not p.startswith("[")]]
    return names


def _run(order: str) -> dict:
    done = subprocess.run([sys.executable, "-c", _PROBE, order, json.dumps(_names())],
                          capture_output=True, text=True, timeout=300, check=True)
    return json.loads(done.stdout.splitlines()[-1])


def test_quantities_are_the_same_whether_pint_saw_numpy_or_not() -> None:
    lean, with_numpy = _run("tanjiliang first"), _run("numpy first")
    assert (lean["has_numpy"], lean["has_dask"], lean["numpy_loaded"], lean["dask_loaded"]) == (
        False, False, False, False)
    assert with_numpy["has_numpy"] is True  # the other path really was taken
    assert lean["after"] == with_numpy["after"] == ["numpy", "dask"]
    assert len(lean["rows"]) > 40
    assert lean["rows"] == with_numpy["rows"]
