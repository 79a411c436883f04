"""tanjiliang (碳计量): carbon metering instruments of key emission units.

The public API is small; the depth is in the packages:

>>> from tanjiliang import load_unit, load_pack, assess
>>> unit = load_unit("examples/power/unit.yaml")          # doctest: +SKIP
>>> result = assess(unit, load_pack(unit.pack))          # doctest: +SKIP
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "assess", "load_pack", "load_unit"]


def __getattr__(name: str) -> object:  # lazy: keep `import tanjiliang` cheap
    if name == "load_unit":
        from tanjiliang.model.load import load_unit

        return load_unit
    if name == "load_pack":
        from tanjiliang.rules.load import load_pack

        return load_pack
    if name == "assess":
        from tanjiliang.assess.engine import assess

        return assess
    raise AttributeError(name)
