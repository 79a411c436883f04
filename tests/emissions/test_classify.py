"""Source-stream classes, joint mode (default-pack.md), with the thresholds' arithmetic."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tanjiliang.emissions.classify import classify_streams
from tanjiliang.rules.load import load_pack
from unit_builders import base_unit, run, stream

RULES = load_pack().pack.classification


def test_classes_joint_mode_thresholds_small_unit():
    # T = 30 000: Tdm = max(1000, min(600, 20000)) = 1000; Tmin = max(5000, min(3000, 1e5)) = 5000
    # ascending: a 400, b 500 (running 900 < 1000 → dm), c 600 (1500 ≥ 1000 → dm closes),
    # minor: c 600, d 4000 (4600 < 5000), e 24500 (≥ 5000 → major)
    e = {"a": 400, "b": 500, "c": 600, "d": 4000, "e": 24500}
    assert classify_streams(e, 30000, RULES) == {"a": "de_minimis", "b": "de_minimis", "c": "minor",
                                                  "d": "minor", "e": "major"}


def test_classes_joint_mode_strictly_below():
    # T = 50 000: Tdm = 1000. 400 + 600 = 1000 is not strictly below 1000 → the 600 stream is minor
    e = {"a": 400, "b": 600, "c": 49000}
    assert classify_streams(e, 50000, RULES)["b"] == "minor"


def test_classes_joint_mode_ties_by_id():
    # T = 10 000: Tdm = 1000; two streams of 600: "x" first by id (600 < 1000), "y" 1200 fails
    e = {"y": 600, "x": 600, "z": 8800}
    assert classify_streams(e, 10000, RULES) == {"x": "de_minimis", "y": "minor", "z": "major"}


def test_classes_joint_mode_large_unit_caps():
    # T = 3 924 413.66 (the spec example): Tdm = min(78 488, 20 000) = 20 000; Tmin = 100 000
    assert RULES.de_minimis.of(3924413.66) == 20000 and RULES.minor.of(3924413.66) == 100000


def test_classes_per_stream_mode():
    pack = load_pack().pack.model_copy(deep=True)
    rules = pack.classification.model_copy(update={"mode": pack.classification.mode.model_copy(update={"value": "per_stream"})})
    # each alone: 900 < 1000 → dm; 900 < 1000 → dm (joint would make the second minor)
    assert classify_streams({"a": 900, "b": 900, "c": 48200}, 50000, rules) == {
        "a": "de_minimis", "b": "de_minimis", "c": "major"}


def test_declared_class_only_upwards():
    u = base_unit(source_streams=[stream("small", 500, class_="major"), stream("big", 40000),
                                  stream("mid", 3000, **{"class": "de_minimis"})])
    for s in u["source_streams"]:
        if "class_" in s:
            s["class"] = s.pop("class_")
    a = run(u)
    assert a.stream("small").cls == "major"  # upwards: accepted
    assert a.stream("mid").cls == a.stream("mid").computed_class == "minor"  # downwards: refused
    assert [f.subject for f in a.findings if f.code == "CLASS-DOWNGRADE"] == ["mid"]


emissions = st.dictionaries(st.text("abcdefgh", min_size=1, max_size=3),
                            st.floats(min_value=0, max_value=2e6, allow_nan=False), min_size=1, max_size=25)


@settings(max_examples=200, deadline=None)
@given(emissions)
def test_joint_mode_sums_stay_below_thresholds(e):
    total = sum(e.values())
    classes = classify_streams(e, total, RULES)
    dm = sum(v for k, v in e.items() if classes[k] == "de_minimis")
    mi = sum(v for k, v in e.items() if classes[k] == "minor")
    assert dm < RULES.de_minimis.of(total) or dm == 0
    assert mi < RULES.minor.of(total) or mi == 0
    # classes are monotone in emissions: a larger stream never gets a lower class
    order = {"de_minimis": 0, "minor": 1, "major": 2}
    ranked = sorted(e, key=lambda k: (e[k], k))
    assert [order[classes[k]] for k in ranked] == sorted(order[classes[k]] for k in ranked)


@settings(max_examples=100, deadline=None)
@given(emissions, st.randoms())
def test_classes_do_not_depend_on_stream_order(e, rnd):
    items = list(e.items())
    rnd.shuffle(items)
    assert classify_streams(dict(items), sum(e.values()), RULES) == classify_streams(e, sum(e.values()), RULES)
