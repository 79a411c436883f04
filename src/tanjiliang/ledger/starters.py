"""Starting files for one's own plant: ``tanjiliang init --sector S -o FILE`` (issue 12, item 3).

For each kind of plant a valid unit file (``tanjiliang/unit@1``, shared/spec/unit-file.md)
with comments explaining every section, the plant's usual sub-units, equipment and source
streams (materials of the bundled factor library, cn-fuels.yaml / cn-process.yaml), and the
instruments such a plant keeps at its metering points; ``cli/init.py`` writes it and the
matching Excel ledger. Amounts are placeholders to replace (commented as such); every file
loads and assesses (tests/ledger/test_init.py).

The starters are written once, in Chinese. In another language (``init --lang en``) the
comments, names, intervals and quantities in Chinese units come from the catalogue (context
:data:`CONTEXT`), one message per block of comment lines, per inline comment and per value
with Chinese in it; keys, ids and codes are the same in every language.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import get_args

from tanjiliang.i18n import SOURCE, gettext
from tanjiliang.model.unit import Sector

SECTORS = ("power", "cement", "steel", "chemical", "glass", "lime", "aluminium", "heat")


@dataclass(frozen=True)
class Starter:
    title: str  # zh, for comments
    name: str  # the unit's placeholder name
    subunits: str
    equipment: str
    streams: str
    instruments: str


_STARTERS: dict[str, Starter] = {
    "power": Starter(
        "燃煤发电企业", "某某热电有限公司",
        "  - {id: G1, name: 1号机组}\n  - {id: AUX, name: 辅助生产系统, major: false}\n",
        "  - {id: B1, name: 1号锅炉, subunit: G1, kind: boiler, capacity: \"1025 t/h\"}\n",
        """  - id: coal
    name: 入炉烟煤
    kind: combustion                  # 燃料燃烧
    material: bituminous_coal         # 烟煤（也可写中文名“烟煤”）
    activity: "1200000 t"             # 年消耗量：请替换为本单位数据
    parameters:
      ncv: "22.35 GJ/t"               # 低位发热量，实测（请替换）
    consumers: [B1]
  - id: oil
    name: 点火柴油
    kind: combustion
    material: diesel                  # 柴油
    activity: "300 t"
    consumers: [B1]
  - id: power
    name: 外购电力
    kind: electricity                 # 购入电力
    material: grid_electricity
    activity: "8000 MWh"
    consumers: [AUX]
""",
        """  - {id: JL-01, name: 入厂煤汽车衡, type: truck_scale, measures: coal, at: boundary, accuracy: III,
     interval: 1 年, last_confirmed: 2025-03-01, status: in_use}
  - {id: JL-02, name: 1号炉入炉煤皮带秤, type: belt_scale, measures: coal, at: B1, accuracy: "0.5",
     interval: 6 个月, last_confirmed: 2025-10-01, status: in_use}
  - {id: JL-03, name: 燃煤量热仪, type: calorimeter, measures: coal.ncv, at: lab, interval: 1 年,
     last_confirmed: 2025-02-15, status: in_use}
  - {id: JL-04, name: 柴油流量计, type: oil_flow_meter, measures: oil, at: B1, accuracy: "0.5",
     interval: 1 年, last_confirmed: 2025-04-01, status: in_use}
  - {id: JL-05, name: 关口电能表, type: electricity_meter, measures: power, at: boundary, accuracy: 0.5S,
     interval: 2 年, last_confirmed: 2024-05-20, status: in_use}
"""),
    "cement": Starter(
        "水泥熟料生产企业", "某某水泥有限公司",
        "  - {id: KILN, name: 熟料烧成}\n  - {id: CEM, name: 水泥粉磨}\n",
        "  - {id: K1, name: 回转窑（含分解炉）, subunit: KILN, kind: kiln, capacity: \"5000 t/d\"}\n",
        """  - id: coal
    name: 窑头窑尾用煤
    kind: combustion
    material: bituminous_coal         # 烟煤
    activity: "180000 t"              # 年消耗量（请替换）
    consumers: [K1]
  - id: limestone
    name: 生料中的石灰石
    kind: process                     # 工业过程（碳酸盐分解）
    material: limestone               # 石灰石
    activity: "2300000 t"
    consumers: [K1]
  - id: power
    name: 外购电力
    kind: electricity
    material: grid_electricity
    activity: "150000 MWh"
    consumers: [CEM]
""",
        """  - {id: JL-01, name: 入窑煤粉转子秤, type: belt_scale, measures: coal, at: K1, accuracy: "0.5",
     interval: 6 个月, last_confirmed: 2025-10-01, status: in_use}
  - {id: JL-02, name: 生料喂料皮带秤, type: belt_scale, measures: limestone, at: K1, accuracy: "0.5",
     interval: 6 个月, last_confirmed: 2025-10-01, status: in_use}
  - {id: JL-03, name: 入厂煤汽车衡, type: truck_scale, measures: coal, at: boundary, accuracy: III,
     interval: 1 年, last_confirmed: 2025-03-01, status: in_use}
  - {id: JL-04, name: 关口电能表, type: electricity_meter, measures: power, at: boundary, accuracy: 0.5S,
     interval: 2 年, last_confirmed: 2024-05-20, status: in_use}
"""),
    "steel": Starter(
        "钢铁生产企业（长流程）", "某某钢铁有限公司",
        "  - {id: IRON, name: 炼铁}\n  - {id: STEEL, name: 炼钢}\n",
        "  - {id: BF1, name: 1号高炉, subunit: IRON, kind: blast_furnace}\n"
        "  - {id: BOF1, name: 1号转炉, subunit: STEEL, kind: converter}\n",
        """  - id: coke
    name: 高炉用焦炭
    kind: combustion
    material: coke                    # 焦炭
    activity: "400000 t"              # 年消耗量（请替换）
    consumers: [BF1]
  - id: flux
    name: 熔剂石灰石
    kind: process
    material: limestone
    activity: "60000 t"
    consumers: [BF1]
  - id: power
    name: 外购电力
    kind: electricity
    material: grid_electricity
    activity: "300000 MWh"
    consumers: [BOF1]
""",
        """  - {id: JL-01, name: 入厂焦炭汽车衡, type: truck_scale, measures: coke, at: boundary, accuracy: III,
     interval: 1 年, last_confirmed: 2025-03-01, status: in_use}
  - {id: JL-02, name: 高炉上料皮带秤, type: belt_scale, measures: coke, at: BF1, accuracy: "0.5",
     interval: 6 个月, last_confirmed: 2025-10-01, status: in_use}
  - {id: JL-03, name: 熔剂皮带秤, type: belt_scale, measures: flux, at: BF1, accuracy: "0.5",
     interval: 6 个月, last_confirmed: 2025-10-01, status: in_use}
  - {id: JL-04, name: 关口电能表, type: electricity_meter, measures: power, at: boundary, accuracy: 0.5S,
     interval: 2 年, last_confirmed: 2024-05-20, status: in_use}
"""),
    "chemical": Starter(
        "化工生产企业（天然气制氢/合成氨）", "某某化工有限公司",
        "  - {id: SYN, name: 合成氨装置}\n  - {id: UTIL, name: 公用工程, major: false}\n",
        "  - {id: R1, name: 一段转化炉, subunit: SYN, kind: reformer}\n",
        """  - id: gas
    name: 原料及燃料天然气
    kind: combustion
    material: natural_gas             # 天然气
    activity: "8000 万Nm3"            # 年消耗量（请替换；万Nm3 即 10⁴ 标准立方米）
    consumers: [R1]
  - id: power
    name: 外购电力
    kind: electricity
    material: grid_electricity
    activity: "60000 MWh"
    consumers: [UTIL]
  - id: steam
    name: 外购蒸汽
    kind: heat                        # 购入热力
    material: purchased_heat
    activity: "300000 GJ"
    consumers: [SYN]
""",
        """  - {id: JL-01, name: 入厂天然气流量计, type: gas_flow_meter, measures: gas, at: boundary, accuracy: "1.0",
     interval: 1 年, last_confirmed: 2025-03-01, status: in_use}
  - {id: JL-02, name: 转化炉天然气流量计, type: gas_flow_meter, measures: gas, at: R1, accuracy: "1.5",
     interval: 1 年, last_confirmed: 2025-03-01, status: in_use}
  - {id: JL-03, name: 关口电能表, type: electricity_meter, measures: power, at: boundary, accuracy: 0.5S,
     interval: 2 年, last_confirmed: 2024-05-20, status: in_use}
  - {id: JL-04, name: 外购蒸汽流量计, type: steam_flow_meter, measures: steam, at: boundary, accuracy: "1.0",
     interval: 1 年, last_confirmed: 2025-03-01, status: in_use}
"""),
    "glass": Starter(
        "平板玻璃生产企业", "某某玻璃有限公司",
        "  - {id: MELT, name: 熔化工段}\n  - {id: AUX, name: 辅助生产系统, major: false}\n",
        "  - {id: F1, name: 浮法玻璃熔窑, subunit: MELT, kind: furnace, capacity: \"600 t/d\"}\n",
        """  - id: gas
    name: 熔窑用天然气
    kind: combustion
    material: natural_gas
    activity: "3000 万Nm3"            # 年消耗量（请替换）
    consumers: [F1]
  - id: soda
    name: 配合料纯碱
    kind: process
    material: soda_ash                # 纯碱（碳酸钠）
    activity: "40000 t"
    consumers: [F1]
  - id: dolomite
    name: 配合料白云石
    kind: process
    material: dolomite                # 白云石
    activity: "35000 t"
    consumers: [F1]
  - id: power
    name: 外购电力
    kind: electricity
    material: grid_electricity
    activity: "50000 MWh"
    consumers: [AUX]
""",
        """  - {id: JL-01, name: 熔窑天然气流量计, type: gas_flow_meter, measures: gas, at: F1, accuracy: "1.0",
     interval: 1 年, last_confirmed: 2025-03-01, status: in_use}
  - {id: JL-02, name: 配料电子秤（纯碱）, type: platform_scale, measures: soda, at: F1, accuracy: III,
     interval: 1 年, last_confirmed: 2025-03-01, status: in_use}
  - {id: JL-03, name: 配料电子秤（白云石）, type: platform_scale, measures: dolomite, at: F1, accuracy: III,
     interval: 1 年, last_confirmed: 2025-03-01, status: in_use}
  - {id: JL-04, name: 关口电能表, type: electricity_meter, measures: power, at: boundary, accuracy: 0.5S,
     interval: 2 年, last_confirmed: 2024-05-20, status: in_use}
"""),
    "lime": Starter(
        "石灰生产企业", "某某石灰有限公司",
        "  - {id: CALC, name: 石灰煅烧}\n  - {id: AUX, name: 辅助生产系统, major: false}\n",
        "  - {id: L1, name: 1号石灰竖窑, subunit: CALC, kind: kiln, capacity: \"600 t/d\"}\n",
        """  - id: coal
    name: 窑用无烟煤
    kind: combustion
    material: anthracite              # 无烟煤
    activity: "20000 t"               # 年消耗量（请替换）
    consumers: [L1]
  - id: limestone
    name: 入窑石灰石
    kind: process
    material: limestone
    activity: "350000 t"
    consumers: [L1]
  - id: power
    name: 外购电力
    kind: electricity
    material: grid_electricity
    activity: "12000 MWh"
    consumers: [AUX]
""",
        """  - {id: JL-01, name: 入厂汽车衡, type: truck_scale, measures: [coal, limestone], at: boundary, accuracy: III,
     interval: 1 年, last_confirmed: 2025-03-01, status: in_use}
  - {id: JL-02, name: 入窑石灰石皮带秤, type: belt_scale, measures: limestone, at: L1, accuracy: "0.5",
     interval: 6 个月, last_confirmed: 2025-10-01, status: in_use}
  - {id: JL-03, name: 入窑煤皮带秤, type: belt_scale, measures: coal, at: L1, accuracy: "0.5",
     interval: 6 个月, last_confirmed: 2025-10-01, status: in_use}
  - {id: JL-04, name: 关口电能表, type: electricity_meter, measures: power, at: boundary, accuracy: 0.5S,
     interval: 2 年, last_confirmed: 2024-05-20, status: in_use}
"""),
    "aluminium": Starter(
        "电解铝生产企业", "某某铝业有限公司",
        "  - {id: POT, name: 电解车间}\n  - {id: AUX, name: 辅助生产系统, major: false}\n",
        "  - {id: P1, name: 1号电解系列, subunit: POT, kind: potline}\n",
        """  - id: anode
    name: 预焙阳极消耗
    kind: process
    material: carbon_anode            # 预焙阳极
    activity: "120000 t"              # 年消耗量（请替换）
    consumers: [P1]
  - id: power
    name: 外购电力
    kind: electricity
    material: grid_electricity
    activity: "3000000 MWh"
    consumers: [P1]
""",
        """  - {id: JL-01, name: 阳极入厂汽车衡, type: truck_scale, measures: anode, at: boundary, accuracy: III,
     interval: 1 年, last_confirmed: 2025-03-01, status: in_use}
  - {id: JL-02, name: 整流所关口电能表, type: electricity_meter, measures: power, at: boundary, accuracy: 0.2S,
     interval: 2 年, last_confirmed: 2024-05-20, status: in_use}
  - {id: JL-03, name: 1号系列电能表, type: electricity_meter, measures: power, at: P1, accuracy: 0.5S,
     interval: 2 年, last_confirmed: 2024-05-20, status: in_use}
"""),
    "heat": Starter(
        "供热企业（燃气锅炉房）", "某某供热有限公司",
        "  - {id: BH, name: 锅炉房}\n",
        "  - {id: B1, name: 1号燃气锅炉, subunit: BH, kind: boiler, capacity: \"29 MW\"}\n"
        "  - {id: B2, name: 2号燃气锅炉, subunit: BH, kind: boiler, capacity: \"29 MW\"}\n",
        """  - id: gas
    name: 锅炉用天然气
    kind: combustion
    material: natural_gas             # 天然气
    activity: "1200 万Nm3"            # 年消耗量（请替换）
    consumers: {B1: 0.5, B2: 0.5}     # 各锅炉用量份额，合计为 1
  - id: power
    name: 外购电力
    kind: electricity
    material: grid_electricity
    activity: "2000 MWh"
    consumers: [BH]
""",
        """  - {id: JL-01, name: 入厂天然气流量计, type: gas_flow_meter, measures: gas, at: boundary, accuracy: "1.0",
     interval: 1 年, last_confirmed: 2025-03-01, status: in_use}
  - {id: JL-02, name: 1号炉天然气流量计, type: gas_flow_meter, measures: gas, at: B1, accuracy: "1.5",
     interval: 1 年, last_confirmed: 2025-03-01, status: in_use}
  - {id: JL-03, name: 2号炉天然气流量计, type: gas_flow_meter, measures: gas, at: B2, accuracy: "1.5",
     interval: 1 年, last_confirmed: 2025-03-01, status: in_use}
  - {id: JL-04, name: 关口电能表, type: electricity_meter, measures: power, at: boundary, accuracy: 0.5S,
     interval: 2 年, last_confirmed: 2024-05-20, status: in_use}
"""),
}


def sector_code(sector: str) -> str:
    """The model's sector for a kind of plant (石灰 and 供热 are ``other`` where the model has
    no sector of their own)."""
    return sector if sector in get_args(Sector) else "other"


#: The file around the sector's parts (``str.format`` fields). Written in Chinese; another
#: language's text comes from the catalogue, a comment block or a value at a time (:func:`localise`).
_TEMPLATE = """# {title} — 单位文件（tanjiliang/unit@1）起始模板，由 `tanjiliang init --sector {sector}` 生成。
# 按本单位实际情况修改后运行：tanjiliang check 本文件
# 编码处也可直接写中文名称，如 material: 天然气、type: 气体流量计、at: 1号锅炉、activity: "350 万立方米"，
# 读取时换成编码并逐项列出。器具也可用旁边的 Excel 台账填写后导入：tanjiliang ledger import 本文件 台账.xlsx
format: tanjiliang/unit@1
unit:
  name: {name}                # 单位名称（请替换）
  # credit_code: 统一社会信用代码，未填；填写时加在 unit 中，如 credit_code: 91410100XXXXXXXXXX（校验码须正确）
  sector: {code}                        # 行业{note}
  region: 河南省                        # 所在地区
  year: {year}                          # 报告年度
pack: henan-2025-draft                  # 规则包（河南省碳计量规范，征求意见稿）

# 次级单位 / 工序：核算边界内的生产单元
subunits:
{subunits}
# 主要排放设施：锅炉、窑炉等；subunit 写所属次级单位的编号
equipment:
{equipment}
# 源流：每种燃料、原料、外购电力/热力一条。kind: combustion 燃料燃烧 | process 工业过程 |
# electricity 购入电力 | heat 购入热力；material 为排放因子库中的物料；activity 为年活动数据（含单位）；
# consumers 为使用它的设施或次级单位（列表平分，或写份额合计为 1）
source_streams:
{streams}
# 计量器具台账（JJF 1356-2012 附录B + 碳计量字段）。type 器具类型；measures 测量的源流（或 源流.ncv 等参数）；
# at 安装使用地点：boundary 核算边界、lab 实验室，或次级单位/设施编号；accuracy 准确度等级；
# interval 检定周期/校准间隔；last_confirmed 最近检定/校准日期；status: in_use 在用 | standby 备用 | out_of_service 停用
instruments:
{instruments}
# 计量管理：制度、人员、记录保存年限（请按本单位实际填写）
management:
  procedures:
    - {{title: 碳计量管理制度, kind: metering_management, issued: {year}-01-01}}
    - {{title: 碳计量器具管理办法, kind: instrument_management, issued: {year}-01-01}}
    - {{title: 碳排放数据管理及存证办法, kind: data_management, issued: {year}-01-01}}
    - {{title: 计量人员培训及考核制度, kind: personnel_training, issued: {year}-01-01}}
  personnel:
    - {{name: 张三, role: 碳计量负责人, trained: {year}-03-01}}   # 请替换为实际人员
  records_retention_years: 5
"""

_NOTE = "（模型中无“{title}”行业，记为 other）"

#: The catalogue's context of the starters' words.
CONTEXT = "starter"
_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")
_COMMENT_LINE = re.compile(r"^(\s*)# (.*)$")
_INLINE_COMMENT = re.compile(r"^(\s*[^\s#].*?)(\s+)# (.*)$")
_VALUE = re.compile(r"(?<=: )[^,{}\[\]]+")
#: What a plain value in a ``{…}`` mapping may not hold.
_PLAIN_UNSAFE = re.compile(r"[,{}\[\]#&*!|>'\"%@`]|: |^[-?:]")


def _say(text: str, lang: str, messages: set[str] | None) -> str:
    if messages is not None:
        messages.add(text)
    return gettext(text, lang, CONTEXT)


def _value(m: re.Match[str], lang: str, messages: set[str] | None) -> str:
    raw = m.group()
    text = raw.rstrip()
    if not _CJK.search(text):
        return raw
    quoted = len(text) > 1 and text[0] == text[-1] == '"'
    said = _say(text[1:-1] if quoted else text, lang, messages)
    if quoted or _PLAIN_UNSAFE.search(said):  # "Co., Ltd." in a {…} mapping: quoted
        said = json.dumps(said, ensure_ascii=False)
    return said + raw[len(text):]


def _line(line: str, lang: str, messages: set[str] | None) -> str:
    """One line of YAML: its values with Chinese in them and its comment."""
    m = _INLINE_COMMENT.match(line)
    code, gap, comment = (m.group(1), m.group(2), m.group(3)) if m else (line, "", None)
    said = _VALUE.sub(lambda v: _value(v, lang, messages), code)
    if comment is None:
        return said
    if _CJK.search(comment):
        comment = _say(comment, lang, messages)
    return f"{said}{gap}# {comment}"


def _aligned(text: str) -> str:
    """The file's comments after a key (not a list item) set in their column again: 40 at the
    top level, 38 below it (the Chinese file's layout, whose names are twice as wide); two
    spaces after a longer line. Other comments are kept where they are."""
    out = []
    for line in text.split("\n"):
        m = _INLINE_COMMENT.match(line)
        if m and len(m.group(2)) > 2 and not m.group(1).lstrip().startswith("- "):
            code = m.group(1)
            column = 40 if len(code) - len(code.lstrip()) <= 2 else 38
            line = f"{code}{' ' * max(2, column - len(code))}# {m.group(3)}"
        out.append(line)
    return "\n".join(out)


def localise(text: str, lang: str, messages: set[str] | None = None) -> str:
    """``text`` (a starter's YAML written in Chinese) in ``lang``: each block of whole-line
    comments is one message, each inline comment one, each value with Chinese in it one
    (context :data:`CONTEXT`); keys, codes, ids and layout stay. Chinese is the text itself.
    ``messages`` collects the Chinese looked up (for the catalogue's completeness test)."""
    if lang == SOURCE and messages is None:
        return text
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        m = _COMMENT_LINE.match(lines[i])
        if m is None or not _CJK.search(m.group(2)):
            out.append(_line(lines[i], lang, messages))
            i += 1
            continue
        indent, block = m.group(1), [m.group(2)]
        i += 1
        while i < len(lines) and (n := _COMMENT_LINE.match(lines[i])) is not None \
                and n.group(1) == indent and _CJK.search(n.group(2)):
            block.append(n.group(2))
            i += 1
        out += [f"{indent}# {said}" for said in _say("\n".join(block), lang, messages).split("\n")]
    return "\n".join(out)


def starter_text(sector: str, year: int = 2025, lang: str = SOURCE,
                 messages: set[str] | None = None) -> str:
    """The commented unit file for ``sector`` (one of :data:`SECTORS`) in ``lang``: comments,
    names and intervals in that language; keys, codes and ids the same in every language."""
    s = _STARTERS[sector]
    code = sector_code(sector)
    title = _say(s.title, lang, messages)

    def say(text: str) -> str:
        return localise(text, lang, messages)

    note = "" if code == sector else _say(_NOTE, lang, messages).format(title=title)
    text = say(_TEMPLATE).format(
        title=title, sector=sector, name=_say(s.name, lang, messages), code=code, note=note,
        year=year,
        subunits=say(s.subunits), equipment=say(s.equipment), streams=say(s.streams),
        instruments=say(s.instruments))
    return text if lang == SOURCE else _aligned(text)


def starter_messages() -> set[str]:
    """Every Chinese text the starters look up in the catalogue (context :data:`CONTEXT`)."""
    found: set[str] = set()
    for sector in SECTORS:
        starter_text(sector, lang="en", messages=found)
    return found


# ------------------------------------------------------------------------- the file init writes

_Path = tuple[str | int, ...]


def _node_lines(text: str) -> tuple[dict[_Path, int], dict[int, _Path]]:
    """Where each node of a YAML text starts (a mapping's entry at its key, a sequence's item
    at the item): path → line, and each line's own node (the shallowest starting on it)."""
    import yaml

    where: dict[_Path, int] = {}
    own: dict[int, _Path] = {}

    def mark(path: _Path, line: int) -> None:
        where[path] = line
        if line not in own or len(path) < len(own[line]):
            own[line] = path

    def walk(node: yaml.Node, path: _Path) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                mark((*path, str(key.value)), key.start_mark.line)
                walk(value, (*path, str(key.value)))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                mark((*path, i), item.start_mark.line)
                walk(item, (*path, i))

    root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    if root is not None:
        walk(root, ())
    return where, own


def _width(text: str) -> int:
    """The columns ``text`` takes in a terminal (a Chinese character two)."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _key_text(path: _Path) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else (f".{p}" if i else p)
                   for i, p in enumerate(path))


def with_comments(canonical: str, template: str) -> str:
    """``canonical`` (a text :func:`~tanjiliang.model.write.dump_yaml` wrote) with every comment
    of ``template`` (a YAML text of the same data) put in it, each where it explains the same
    key: a block of comment lines before the line of the key that followed it in the template,
    a trailing comment after that key's line. A key written on a line with others (in a flow
    mapping: ``unit: {name: …, sector: …}``) has its trailing comment on a line of its own
    before that line, naming the key (``# sector: 行业``). Only comments are added: the text
    apart from its comments is ``canonical`` (what ``fmt --check`` asks)."""
    import bisect

    from tanjiliang.model.load import comment_starts

    lines = template.split("\n")
    offsets, pos = [], 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    first: dict[int, int] = {}  # template line → column of its comment
    for at in comment_starts(template) or []:
        i = bisect.bisect_right(offsets, at) - 1
        first.setdefault(i, at - offsets[i])
    _, t_own = _node_lines(template)
    c_where, c_own = _node_lines(canonical)
    out_lines = canonical.split("\n")
    before: dict[int, list[str]] = {}
    trailing: dict[int, str] = {}

    def target(path: _Path) -> tuple[int, _Path]:
        while path and path not in c_where:  # a key the canonical text lacks: its parent's line
            path = path[:-1]
        line = c_where.get(path, 0)
        return line, c_own.get(line, path)

    def node_of(i: int) -> _Path:  # a line's own node, or that of the last line with one
        return t_own[max((j for j in t_own if j <= i), default=min(t_own))]

    pending: list[str] = []  # a block of comment lines waiting for the key after it
    for i, line in enumerate(lines):
        if i in first and not line[:first[i]].strip():
            pending.append(line[first[i]:])
            continue
        if pending and i in t_own:
            at, _ = target(t_own[i])
            before.setdefault(at, []).extend(pending)
            pending = []
        if i in first:
            path = node_of(i)
            at, own = target(path)
            text = line[first[i] + 1:].strip()
            key = _key_text(path[len(own):]) if path[:len(own)] == own else ""
            if not key and at not in trailing:
                trailing[at] = text
            else:
                before.setdefault(at, []).append(f"# {key}: {text}" if key else f"# {text}")
    if pending:
        raise ValueError(f"comments after the last key: {pending}")
    out = []
    for i, line in enumerate(out_lines):
        indent = line[:len(line) - len(line.lstrip(" "))]
        out += [indent + c for c in before.get(i, [])]
        if i in trailing:
            line = f"{line}{' ' * max(2, 40 - _width(line))}# {trailing[i]}"
        out.append(line)
    return "\n".join(out)
