"""SVG charts of the overview: well-formed, escaped, gaps for missing years."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from tanjiliang.province.charts import line_chart, stacked_bars

NS = "{http://www.w3.org/2000/svg}"


def test_charts_stacked_bars_are_valid_svg_with_one_pair_per_row():
    svg = stacked_bars([("郑州市", 10, 3), ("<b>&", 0, 0)], title="各地市", good_label="符合",
                       bad_label="不符合")
    root = ET.fromstring(svg)
    assert root.tag == f"{NS}svg"
    assert len(root.findall(f"{NS}rect")) == 2 + 2 * 2  # legend + two bars per row
    assert "&lt;b&gt;&amp;" in svg


def test_charts_line_chart_skips_missing_values():
    svg = line_chart([("2023", 60.0), ("2024", None), ("2025", 70.0)], title="符合率")
    root = ET.fromstring(svg)
    assert len(root.findall(f"{NS}circle")) == 2
    assert root.find(f"{NS}polyline") is not None
