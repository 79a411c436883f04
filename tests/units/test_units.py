import pytest

from tanjiliang.units import QuantityError, parse_quantity, parse_ratio


def test_wan_nm3_is_ten_thousand_normal_cubic_metres():
    assert parse_quantity("3.5 万Nm3").to("Nm3").magnitude == pytest.approx(35000)


def test_tce_is_29_3076_gj():
    assert parse_quantity("2 tce").to("GJ").magnitude == pytest.approx(58.6152)


def test_us_customary_units():
    # 1 scf at 60 °F, 14.696 psia = 0.028316846592 m³ × 273.15/288.7056 = 0.026790 Nm3
    assert parse_quantity("1000 scf").to("Nm3").magnitude == pytest.approx(26.79, rel=1e-3)
    assert parse_quantity("1 gal").to("L").magnitude == pytest.approx(3.785411784)
    assert parse_quantity("1 short_ton").to("t").magnitude == pytest.approx(0.90718474)
    assert parse_quantity("1e6 Btu").to("GJ").magnitude == pytest.approx(1.055, rel=1e-3)


def test_carbon_and_co2_masses():
    q = parse_quantity("0.02631 tC/GJ") * parse_quantity("1000 GJ")
    assert q.to("t").magnitude == pytest.approx(26.31)


def test_percent_and_ratio():
    assert parse_ratio("99 %") == pytest.approx(0.99)
    assert parse_ratio(0.98) == pytest.approx(0.98)


def test_wrong_dimension_names_both_dimensions():
    with pytest.raises(QuantityError) as exc:
        parse_quantity("5 MWh", "[mass]")
    assert "energy" in exc.value.en and "mass" in exc.value.en
    assert "能量" in exc.value.zh


def test_actual_m3_is_not_standard_gas_volume():
    assert not parse_quantity("1 m3").check("[standard_gas_volume]")


@pytest.mark.parametrize("text", ["abc", "t 5", "5 furlongs_per_fortnightx", ""])
def test_not_a_quantity(text):
    with pytest.raises(QuantityError):
        parse_quantity(text)
