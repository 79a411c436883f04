"""unit-file.md: ``pack: henan-2025-draft  # optional; a bundled pack name or a path to a pack
file``. A path written in a file is read from that file's folder: before, ``pack: my.yaml``
next to the unit file was looked for in the working folder (exit 2 unless run from there), and
a pack that cannot be found was not placed at the file's ``pack`` line."""

from __future__ import annotations

from pathlib import Path

from spec_cli import check, tonnes, unit

BUNDLED = Path(__file__).parents[2] / "src" / "tanjiliang" / "rules" / "packs" / "henan-2025-draft.yaml"


def test_relative_pack_path_is_read_beside_the_unit_file(tmp_path):
    folder = tmp_path / "plant"
    folder.mkdir()
    text = BUNDLED.read_text(encoding="utf-8").replace("name: henan-2025-draft\n", "name: my-own-pack\n", 1)
    (folder / "my-pack.yaml").write_text(text, encoding="utf-8")
    rc, doc, out = check(folder, unit([tonnes("lime", "30000")], pack="my-pack.yaml"))
    assert rc in (0, 1), out
    assert doc is not None and doc["pack"]["name"] == "my-own-pack"


def test_bundled_pack_by_name(tmp_path):
    rc, doc, out = check(tmp_path, unit([tonnes("lime", "30000")], pack="eu-mrr-2018"))
    assert rc in (0, 1), out
    assert doc is not None and doc["pack"]["name"] == "eu-mrr-2018"


def test_command_line_pack_wins_over_the_file(tmp_path):
    _, doc, _ = check(tmp_path, unit([tonnes("lime", "30000")], pack="eu-mrr-2018"), "--pack", "henan-2025-draft")
    assert doc is not None and doc["pack"]["name"] == "henan-2025-draft"


def test_unknown_pack_is_bad_input_at_the_pack_line(tmp_path):
    data = unit([tonnes("lime", "30000")])
    data = {"format": data.pop("format"), "unit": data.pop("unit"), "pack": "no-such-pack", **data}
    rc, doc, out = check(tmp_path, data, "--lang", "en")
    assert rc == 2 and doc is None
    # format (line 1), unit: name, sector, year (lines 2-5), pack on line 6
    assert "plant.yaml:6 pack:" in out and "no-such-pack" in out, out
