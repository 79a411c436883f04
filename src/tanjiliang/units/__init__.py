"""Units of measurement: one pint registry with the domain's units defined as data.

`definitions.txt` beside this module holds every non-SI unit the domain uses (tce, tC,
tCO2e, Nm3, 万Nm3, scf, …), each with its source.
"""

from tanjiliang.units.registry import (
    Q_,
    QuantityError,
    ambiguous_unit,
    dimension_name,
    parse_quantity,
    parse_ratio,
    parse_unit,
    ureg,
)

__all__ = ["Q_", "QuantityError", "ambiguous_unit", "dimension_name", "parse_quantity", "parse_ratio", "parse_unit", "ureg"]
