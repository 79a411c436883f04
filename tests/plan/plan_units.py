"""Small unit files of the plan's tests."""

from __future__ import annotations

from unit_builders import base_unit


def coal_unit() -> dict:
    """One bituminous-coal stream of 100 000 t: rail scale ±0.1 % at the boundary, a belt scale
    at the only boiler; NCV and carbon content measured, oxidation rate a default."""
    return base_unit(
        source_streams=[{
            "id": "coal", "name": "燃煤", "kind": "combustion", "material": "bituminous_coal",
            "activity": "100000 t", "consumers": ["B1"],
            "parameters": {"ncv": "21.46 GJ/t",
                           "carbon_content": {"value": "0.02632 tC/GJ", "source": "measured"},
                           "oxidation_rate": {"value": 0.99, "source": "default"}}}],
        instruments=[
            {"id": "W-01", "name": "轨道衡", "type": "rail_scale", "measures": "coal", "at": "boundary",
             "accuracy": "±0.1 %", "last_confirmed": "2025-06-01"},
            {"id": "W-11", "name": "皮带秤", "type": "belt_scale", "measures": "coal", "at": "B1",
             "accuracy": "0.5", "last_confirmed": "2025-06-01"},
            {"id": "L-01", "name": "量热仪", "type": "calorimeter", "measures": "coal.ncv", "at": "lab",
             "last_confirmed": "2025-06-01"},
            {"id": "L-02", "name": "元素分析仪", "type": "carbon_analyzer", "measures": "coal.carbon_content",
             "at": "lab", "last_confirmed": "2025-06-01"}])
