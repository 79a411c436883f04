"""Emissions of source streams: calculation method (activity × factors) and measurement
method (CEMS totals), GWP weighting, biogenic CO2 kept apart; stream classification."""

from tanjiliang.emissions.calc import CalcProblem, StreamEmission, stream_emissions
from tanjiliang.emissions.classify import classify_streams

__all__ = ["CalcProblem", "StreamEmission", "classify_streams", "stream_emissions"]
