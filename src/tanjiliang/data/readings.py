"""Reading metering data (readings) into one lazy polars frame.

Formats (shared/spec/unit-file.md "Readings"): CSV, Excel (.xlsx) and Parquet, either in the
*long* format — columns ``instrument, time, value[, unit][, kind]`` — or in a *wide* format:
one time column and one column per instrument, the header being the ledger id optionally
followed by the unit in brackets (``W-01 [t]``, ``E-01（kWh）``).

Every frame is normalised to the columns of :data:`SCHEMA`, keeping the source file and row so
that flagged rows can be traced back to what the user exported. Nothing is dropped silently:
rows whose time or value cannot be read, and readings of ids not in the ledger, are reported
(:class:`ReadingsIssue`).

Everyday files never crash the reader (issue 18): an empty or header-only file is a "no data"
result; CSV text in GBK/GB18030, UTF-16 or with a BOM is detected (charset-normalizer); the
separator is detected from the header (``,`` ``;`` tab ``|``), and with ``;`` a decimal comma is
read as one (``12,5`` → 12.5); a line with more fields than the header is reported by its line
number; a folder, an unreadable file or a corrupt Parquet/Excel file is a :class:`ReadingsError`
naming the file; a value that is not finite (``NaN``, ``inf``, ``1e400``) is a bad value.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import polars as pl

from tanjiliang.ledger.catalogue import norm
from tanjiliang.model.errors import LoadError, os_reason

SCHEMA: dict[str, pl.DataType] = {
    "fid": pl.UInt16(),  # index into Readings.files
    "row": pl.Int64(),
    "instrument": pl.String(),
    "time": pl.Datetime("us"),
    "value": pl.Float64(),
    "unit": pl.String(),
    "kind": pl.String(),
}
KINDS = ("reading", "total", "amount")
#: Words a file may hold for a kind (compared after NFKC, trimming and lower case): the product's
#: own labels (assess/labels.py ``reading_kind``: 累计值 / running total, 区间量, 瞬时值) and
#: what people write in exports (probe s9 #10: 累计值 and 累计 were refused).
KIND_WORDS: dict[str, tuple[str, ...]] = {
    "total": ("累计值", "累计", "累计量", "累积值", "累积", "累计读数", "表底", "表底数", "表码",
              "running total", "runningtotal", "totaliser", "totalizer", "register", "cumulative",
              "counter"),
    "amount": ("区间量", "区间值", "增量", "时段量", "计量量", "用量", "interval", "interval amount",
               "increment", "delta"),
    "reading": ("瞬时值", "瞬时", "瞬时量", "实时值", "instantaneous", "instant"),
}


@lru_cache(maxsize=1)
def _kind_table() -> dict[str, str]:
    """Each word of a kind (:data:`KIND_WORDS`, the catalogue's labels) → its code."""
    from tanjiliang.assess.labels import LABELS

    out = {w: code for code, words in KIND_WORDS.items() for w in words}
    for code, (zh, en) in LABELS["reading_kind"].items():
        out[zh] = out[en.lower()] = code
    return {unicodedata.normalize("NFKC", w).strip().lower(): c for w, c in out.items()}


def kind_expr(name: str) -> pl.Expr:
    """Column ``name`` of kinds as codes: a word of :data:`KIND_WORDS` (or a code in another
    case) becomes its code; anything else is left as written, for the checks to refuse."""
    raw = pl.col(name).cast(pl.String)
    key = raw.str.normalize("NFKC").str.strip_chars().str.to_lowercase()
    table = _kind_table() | {k: k for k in KINDS}
    return pl.when(key.is_in(list(table))).then(key.replace_strict(table, default=None)).otherwise(raw)


def plain_kinds(values: Iterable[object]) -> bool:
    """Whether no kind in ``values`` is a word of :data:`KIND_WORDS` (the compiled checks read
    codes, and refuse anything else as :func:`kind_expr` leaves it; a word needs the polars
    path, which codes it)."""
    words = set(_kind_table()) - set(KINDS)
    return not any(v is not None and unicodedata.normalize("NFKC", str(v)).strip().lower() in words
                   for v in values)

#: Header names accepted for the long format's columns (compared after :func:`norm_header`).
LONG_HEADERS: dict[str, tuple[str, ...]] = {
    "instrument": ("instrument", "id", "器具", "计量器具", "管理编号", "仪表", "表计", "meter",
                   "器具编号", "计量器具编号", "仪表编号", "表计编号", "表号", "编号", "测点",
                   "测点编号", "instrumentid", "meterid"),
    "time": ("time", "timestamp", "datetime", "date", "时间", "日期", "采集时间", "时刻",
             "数据时间", "记录时间", "抄表时间", "日期时间", "时间戳", "采样时间"),
    "value": ("value", "reading", "数值", "值", "读数", "示值", "测量值", "读数值", "示数"),
    "unit": ("unit", "单位", "计量单位"),
    "kind": ("kind", "type", "类型", "数据类型"),
    # what the row measured, for an instrument that measures several things (issue 17)
    "target": ("target", "measures", "测量对象", "计量对象", "源流", "物料"),
}

#: Time formats tried on a sample of the time column, all year first (none reads a text as
#: another does): the sample's formats are applied to the whole column, value by value
#: (:func:`_time_expr`).
TIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M",
    "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%d", "%Y/%m/%d", "%Y%m%d%H%M%S",
    "%Y.%m.%d %H:%M:%S", "%Y.%m.%d %H:%M", "%Y.%m.%d",  # 2025.01.01 08:00, as written in China
    # with an offset (unit-file.md: "local time unless an offset is given"); %#z also reads the
    # ISO 8601 "Z" of UTC, and the offset may follow minutes or a fraction of a second
    "%Y-%m-%dT%H:%M:%S%#z", "%Y-%m-%d %H:%M:%S%#z", "%Y-%m-%dT%H:%M%#z", "%Y-%m-%dT%H:%M:%S%.f%#z",
)


def columns_named(cols: Iterable[str], headers: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    """The columns among ``cols`` by what they hold: key of ``headers`` (:data:`LONG_HEADERS`,
    :data:`DAS_HEADERS`) → the header as written, the first of the key's names present."""
    normed = {norm_header(c): c for c in cols}
    out: dict[str, str] = {}
    for key, names in headers.items():
        hit = next((normed[norm_header(n)] for n in names if norm_header(n) in normed), None)
        if hit is not None:
            out[key] = hit
    return out


def norm_header(text: object) -> str:
    """Header text compared loosely: the ledger's loose form (NFKC, lower case, no spaces or
    underscores), without hyphens either (``date-time``)."""
    return norm(text).replace("-", "")


_WIDE_HEADER = re.compile(r"^\s*(?P<id>[^\[\(（【]+?)\s*(?:[\[\(（【]\s*(?P<unit>[^\]\)）】]*)\s*[\]\)）】])?\s*$")


@dataclass(frozen=True, slots=True)
class ReadingsIssue:
    """A problem in a readings file (file, row or column, value, reason in zh/en)."""

    file: str
    row: int | None
    column: str | None
    value: str | None
    zh: str
    en: str
    #: readings this issue leaves out of the checks (an id not in the ledger, an unusable kind
    #: or unit: their count; a wide column that is no ledger id: None), else 0
    set_aside: int | None = 0
    #: the instrument (ledger id) whose kind or unit could not be used, where that is the reason
    instrument: str | None = None

    def message(self, lang: str = "zh") -> str:
        where = self.file + (f":{self.row}" if self.row else "") + (f" [{self.column}]" if self.column else "")
        quote = "“{}”" if lang == "zh" else '"{}"'  # each language's own quotation marks
        val = " " + quote.format(self.value) if self.value is not None else ""
        return f"{where}{val}: {self.zh if lang == 'zh' else self.en}"


class ReadingsError(Exception):
    """A readings file that cannot be read at all (nothing is analysed)."""

    def __init__(self, issues: list[ReadingsIssue]) -> None:
        self.issues = issues
        super().__init__("\n".join(i.message("en") for i in issues))

    def message(self, lang: str = "zh") -> str:
        return "\n".join(i.message(lang) for i in self.issues)


@dataclass
class ParquetColumns:
    """A long-layout Parquet file whose columns the checks can read as they are (issue 16):
    the column names of instrument, time, value and the optional unit and kind, and the table
    when it was already decoded at opening (small files), its text columns as dictionaries."""

    path: str
    instrument: str
    time: str
    time_scale: int  # microseconds per unit of the stored time stamps (1, 1 000, 1 000 000)
    value: str
    unit: str | None = None
    kind: str | None = None
    table: Any = None  # pyarrow.Table or None


@dataclass
class Readings:
    """Readings of one or more files, lazily: ``frame`` has the columns of :data:`SCHEMA`.

    ``parquet`` (one entry per file, in ``fid`` order) is set when every file is a long-layout
    Parquet file with plain column types, so that the checks can read the columns straight
    into arrays instead of through ``frame`` (:mod:`tanjiliang.data.columns`); ``bounds`` is
    then the ``start <= time < end`` filter applied to ``frame``, and ``plain_frame`` the
    frame they describe (a changed ``frame`` is read through polars)."""

    frame: pl.LazyFrame
    files: list[str] = field(default_factory=list)
    layouts: dict[str, str] = field(default_factory=dict)  # file → "long" | "wide"
    issues: list[ReadingsIssue] = field(default_factory=list)
    parquet: list[ParquetColumns] | None = None
    bounds: tuple[datetime | None, datetime | None] = (None, None)
    plain_frame: pl.LazyFrame | None = None
    #: rows of long-layout files with a ``target`` column, of wide files with ``ID:target``
    #: headers and of stored objects that kept one (:data:`TARGET_SCHEMA`): what each reading
    #: of a several-target instrument measured (data/attribution.py, issue 17)
    targets: pl.LazyFrame | None = None
    #: (file, instrument, target) → the wide header that named them, to point at the column
    target_headers: dict[tuple[str, str, str], str] = field(default_factory=dict)
    #: sources read from store objects of schema version 1, stored without their targets
    untargeted: list[str] = field(default_factory=list)
    #: (file, instrument, text in brackets) → the wide header, for telling a target written
    #: where the unit goes (``W1（甲煤）``) from a unit
    unit_headers: dict[tuple[str, str, str], str] = field(default_factory=dict)
    #: file → column (``instrument``, ``time``, ``value``, ``unit``, ``kind``) → its header as
    #: the file writes it (类型, 管理编号), for messages that name the user's column
    column_headers: dict[str, dict[str, str]] = field(default_factory=dict)


#: The columns of :attr:`Readings.targets`.
TARGET_SCHEMA: dict[str, pl.DataType] = {**SCHEMA, "target": pl.String()}


def _issue(path: Path, zh: str, en: str, row: int | None = None) -> ReadingsError:
    return ReadingsError([ReadingsIssue(str(path), row, None, None, zh, en)])


#: What polars raises on a corrupt file: its errors, and a Rust panic (a BaseException).
READ_ERRORS: tuple[type[BaseException], ...] = (pl.exceptions.PolarsError, pl.exceptions.PanicException)
#: Parquet files up to this size are decoded whole (pyarrow) when opened, so that corruption
#: is found then and never reaches polars' decoder.
_PARQUET_CHECK_BYTES = 64 * 1024 * 1024

#: Bytes read to detect a CSV file's encoding and separator.
_SNIFF_BYTES = 256 * 1024
_SEPARATORS = (",", ";", "\t", "|")


@dataclass(frozen=True, slots=True)
class CsvDialect:
    """How a CSV file is written: its encoding, separator and decimal mark."""

    encoding: str  # a Python codec name; "utf-8" needs no transcoding
    separator: str
    decimal_comma: bool


def _encoding(head: bytes) -> str:
    """The encoding of a text file from its first bytes: a BOM, else UTF-8 if it decodes, else
    charset-normalizer's best guess (a GBK export from Chinese Windows reads as GB18030)."""
    for bom, name in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"),
                      (b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if head.startswith(bom):
            return name
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3:  # a character cut by the sample's end
            return "utf-8"
    from charset_normalizer import from_bytes

    # Chinese first: a short GBK header is as plausible in Korean (cp949) to the detector
    candidates = [m.encoding.lower().replace("-", "_") for m in from_bytes(head)]
    if any(c in _CHINESE for c in candidates) or not candidates:
        return "gb18030"
    return candidates[0]


#: Codecs a Chinese Windows export may be in; read as GB18030, their superset.
_CHINESE = {"gb18030", "gbk", "gb2312", "cp936", "hz"}


def sniff_csv(path: Path) -> CsvDialect:
    """Encoding, separator (the most frequent of , ; tab | in the header line) and decimal mark
    (a comma when the separator is ``;`` and the first lines hold numbers like ``12,5``)."""
    with open(path, "rb") as f:
        head = f.read(_SNIFF_BYTES)
    enc = _encoding(head)
    text = head.decode(enc, errors="replace").lstrip("\ufeff")
    lines = text.splitlines()[:50]
    header = lines[0] if lines else ""
    sep = max(_SEPARATORS, key=lambda c: (header.count(c), c == ","))
    if not header.count(sep):
        sep = ","
    # a decimal comma, thousands grouped by dots or not: 12,5 · 1.234,5 (never read as 1.2345)
    decimal_comma = sep == ";" and any(re.search(r"(?:^|;)\s*-?(?:\d{1,3}(?:\.\d{3})+|\d+),\d+\s*(?:;|$)", ln)
                                       for ln in lines[1:])
    return CsvDialect("utf-8" if enc == "utf-8-sig" else enc, sep, decimal_comma)


def _ragged_lines(path: Path, d: CsvDialect, limit: int = 20) -> list[ReadingsIssue]:
    """The lines with more fields than the header (polars refuses the file; the user is told
    which lines). Only run when polars has refused a file."""
    out: list[ReadingsIssue] = []
    with open(path, encoding=d.encoding, errors="replace", newline="") as f:
        reader = csv.reader(f, delimiter=d.separator)
        width = None
        for row in reader:
            if width is None:
                width = len(row)
                continue
            if len(row) > width:
                out.append(ReadingsIssue(str(path), reader.line_num, None, d.separator.join(row)[:80],
                                         f"此行有 {len(row)} 个字段，表头只有 {width} 个",
                                         f"the line has {len(row)} fields, the header {width}"))
                if len(out) >= limit:
                    break
    return out


def _scan_csv(path: Path) -> tuple[pl.LazyFrame, CsvDialect]:
    d = sniff_csv(path)
    options = {"separator": d.separator, "row_index_name": "row", "row_index_offset": 2,
               "infer_schema": False}
    try:
        if d.encoding == "utf-8":
            lf = pl.scan_csv(path, encoding="utf8-lossy", **options)  # type: ignore[arg-type]
        else:  # transcoded in memory: polars reads UTF-8 only
            data = path.read_bytes().decode(d.encoding, errors="replace").lstrip("\ufeff")
            lf = pl.read_csv(io.BytesIO(data.encode("utf-8")), **options).lazy()  # type: ignore[arg-type]
        lf.head(2000).collect()
        return lf, d
    except pl.exceptions.NoDataError:  # not even a header
        return pl.LazyFrame(), d
    except READ_ERRORS as exc:
        ragged = _ragged_lines(path, d)
        if ragged:
            raise ReadingsError(ragged) from None
        raise _issue(path, "无法读取 CSV 文件（格式错误，或不是文本文件）",
                     f"cannot read the CSV file: {str(exc).splitlines()[0]}") from None


def read_parquet_table(path: Path, columns: list[str] | None = None) -> Any:
    """``path`` decoded by pyarrow (all columns, or ``columns``), text columns as
    dictionaries (a Parquet file stores them so: no text is built per row); ReadingsError
    naming the file when it cannot be decoded."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        schema = pq.read_schema(path)
        text = [f.name for f in schema if pa.types.is_string(f.type) or pa.types.is_large_string(f.type)]
        if columns is not None:
            text = [c for c in text if c in columns]
        # mapped, read as needed rather than buffered first: ~30 % faster here (issue 16); one
        # file read as such, not through pyarrow.dataset (pq.read_table), which imports pandas
        # (0.2 s of a fresh `tanjiliang data check`)
        table = pq.ParquetFile(path, read_dictionary=text, memory_map=True,
                               pre_buffer=False).read(columns=columns)
        _validate(table)
        return table
    except Exception:
        raise _issue(path, "不是有效的 Parquet 文件（文件损坏或不完整）",
                     "not a valid Parquet file (corrupt or incomplete)") from None


def _validate(table: Any) -> None:
    """What ``table.validate(full=True)`` checks (text that is not UTF-8, offsets, dictionary
    indices outside their dictionary), at a seventh of its cost: the layout of every column,
    a dictionary column's dictionaries in full (they are small) and its indices by their
    least and greatest (one vectorised pass), other columns in full unless they hold fixed-
    width values, where full validation has nothing more to check. The full pass over 5 M
    dictionary indices was 8 ms a text column (issue 16). Raises ValueError."""
    import pyarrow as pa

    from tanjiliang.data.columns import numbers

    table.validate()
    for col in table.columns:
        t = col.type
        if pa.types.is_dictionary(t):
            for chunk in col.chunks:
                chunk.dictionary.validate(full=True)
                if chunk.null_count == len(chunk):
                    continue
                indices, missing = numbers(chunk.indices)  # numpy's min and max: no pyarrow.compute
                if missing is not None:
                    indices = indices[~missing]
                if indices.min() < 0 or indices.max() >= len(chunk.dictionary):
                    raise ValueError("a dictionary index outside its dictionary")
        elif not (pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_temporal(t)
                  or pa.types.is_boolean(t)):
            col.validate(full=True)


def _scan(path: Path) -> tuple[pl.LazyFrame, CsvDialect | None]:
    lf, dialect, _ = _scan_keeping(path)
    return lf, dialect


def _scan_keeping(path: Path) -> tuple[pl.LazyFrame, CsvDialect | None, Any]:
    """:func:`_scan`, and a small Parquet file's table as decoded while checking it."""
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        table = None
        if path.stat().st_size <= _PARQUET_CHECK_BYTES:
            # Fuzzing found single flipped bytes that make polars panic or abort the process
            # (an allocation of 2**61 bytes) while decoding; pyarrow refuses them cleanly.
            # The decoded table is kept: the checks read their columns from it (issue 16).
            table = read_parquet_table(path)
        try:
            lf = pl.scan_parquet(path, row_index_name="row", row_index_offset=1)
            lf.collect_schema()
            return lf, None, table
        except READ_ERRORS:
            raise _issue(path, "不是有效的 Parquet 文件（文件损坏或不完整）",
                         "not a valid Parquet file (corrupt or incomplete)") from None
    if suffix in (".csv", ".txt"):
        return (*_scan_csv(path), None)
    if suffix in (".xlsx", ".xlsm"):
        from tanjiliang.model.limits import check_workbook

        try:
            check_workbook(path)
        except LoadError as err:
            raise ReadingsError([ReadingsIssue(i.file, None, None, None, i.zh, i.en) for i in err.issues]) from None
        try:
            df = read_excel_text(path).with_row_index("row", offset=2)  # the sheet's row numbers
        except Exception as exc:  # fastexcel raises its own error types for a corrupt workbook
            raise _issue(path, f"无法读取 Excel 文件（文件损坏或不是 .xlsx）：{type(exc).__name__}",
                         f"cannot read the Excel file (corrupt or not .xlsx): {type(exc).__name__}") from None
        return df.filter(~pl.all_horizontal(pl.exclude("row").is_null())).lazy(), None, None  # no empty rows
    raise ReadingsError([ReadingsIssue(str(path), None, None, None,
                                       f"不支持的文件类型“{suffix}”（应为 .csv、.xlsx 或 .parquet）",
                                       f'unsupported file type "{suffix}" (use .csv, .xlsx or .parquet)')])


def readings_sheet(reader: Any, headers: Iterable[str] | None = None) -> int:
    """The sheet holding the data: the first whose header has one of ``headers`` (default a
    time column; a workbook often opens with a cover or notes sheet); the first sheet if none
    has."""
    times = {norm_header(n) for n in (LONG_HEADERS["time"] if headers is None else headers)}
    for i in range(len(reader.sheet_names)):
        try:
            header = reader.load_sheet(i, n_rows=0).to_polars().columns
        except Exception:  # fastexcel's own errors: an unreadable sheet is not the readings
            continue
        if any(norm_header(h) in times for h in header):
            return i
    return 0


def read_excel_text(path: Path, sheet: int | None = None, headers: Iterable[str] | None = None) -> pl.DataFrame:
    """The readings sheet of a workbook (:func:`readings_sheet`, or ``sheet``), every cell as
    the exact text of its value.

    Read with calamine (fastexcel, ~12× faster than openpyxl on a year of hourly readings:
    benchmarks/readings.py). A column holding one kind of cell keeps its type from the reader;
    a text or mixed column (numbers with a few text cells, dates with some typed as text) is
    read again as numbers and as dates, so that a number or a date is never taken from
    calamine's display text, which rounds (10.1234567890123 → "10.123456789"). Numbers
    become their shortest exact text, whole numbers without ".0" (an id 123 stays "123");
    date-times become ``YYYY-MM-DD HH:MM:SS[.ffffff]`` as openpyxl would give them."""
    import fastexcel

    reader = fastexcel.read_excel(str(path))
    at = readings_sheet(reader, headers) if sheet is None else sheet
    typed = reader.load_sheet(at, schema_sample_rows=None).to_polars()
    mixed = [c for c in typed.columns if typed[c].dtype == pl.String]
    extra: dict[str, pl.DataFrame] = {}
    if mixed and typed.height:
        for kind in ("float", "datetime"):
            extra[kind] = reader.load_sheet(at, use_columns=mixed, dtypes=kind).to_polars()
    out = []
    for c in typed.columns:
        col = typed[c]
        if c in mixed and extra:
            text = _cell_text(extra["float"][c])
            text = text.fill_null(_cell_text(extra["datetime"][c])).fill_null(col)
        else:
            text = _cell_text(col)
        out.append(text.alias(c))
    return pl.DataFrame(out)


def _cell_text(s: pl.Series) -> pl.Series:
    """Exact text of typed cells (see :func:`read_excel_text`)."""
    if s.dtype == pl.String:
        return s
    if s.dtype.is_float():
        whole = s.is_finite() & (s == s.round()) & (s.abs() < 2**53)
        return (pl.select(pl.when(whole).then(s.cast(pl.Int64, strict=False).cast(pl.String))
                          .otherwise(s.cast(pl.String))).to_series())
    if s.dtype == pl.Date:
        s = s.cast(pl.Datetime("us"))
    if isinstance(s.dtype, pl.Datetime):
        return (pl.select(pl.when(s.dt.microsecond() == 0)  # microsecond: the whole fraction
                          .then(s.dt.strftime("%Y-%m-%d %H:%M:%S"))
                          .otherwise(s.dt.strftime("%Y-%m-%d %H:%M:%S%.6f"))).to_series())
    return s.cast(pl.String)


def _time_expr(sample: pl.Series, name: str, file: str, rows: pl.Series | None = None) -> pl.Expr:
    """An expression turning column ``name`` into naive local datetimes (us); ``rows``: the
    sample's row numbers, for naming the row a refusal is about."""
    dtype = sample.dtype
    col = pl.col(name)
    if dtype == pl.Datetime or isinstance(dtype, pl.Datetime):
        tz = getattr(dtype, "time_zone", None)
        if tz:
            return col.dt.convert_time_zone("Asia/Shanghai").dt.replace_time_zone(None).dt.cast_time_unit("us")
        return col.dt.cast_time_unit("us")
    if dtype == pl.Date:
        return col.cast(pl.Datetime("us"))
    text = sample.cast(pl.String).str.strip_chars().drop_nulls()
    text = text.filter(text != "")
    # the formats the sample is written in, the one reading most first (every format is year
    # first, so no two read one text differently): a column may mix them — Excel's typed dates
    # beside dates typed as text, a system's export appended to another's — and each value is
    # read in the first that reads it; values none reads become bad_time rows
    formats, rest = _formats_of(text.head(2000))  # a whole workbook column: its head first
    if len(text) > 2000:
        more, rest = _formats_of(_unread(text, formats))  # (those found read none of it)
        formats += more
    read = len(text) - len(rest)
    if formats and read * 2 >= len(text):
        raw = col.cast(pl.String)
        if sample.cast(pl.String).str.contains(r"^\s|\s$").any():
            raw = raw.str.strip_chars()
        each = [_in_format(raw, fmt) for fmt in formats]
        return each[0] if len(each) == 1 else pl.coalesce(each)
    raise _time_refusal(sample, name, file, rows, formats, read)


def _in_format(raw: pl.Expr, fmt: str) -> pl.Expr:
    expr = raw.str.to_datetime(fmt, strict=False, time_unit="us")
    if fmt.endswith(("%z", "%#z")):
        expr = expr.dt.convert_time_zone("Asia/Shanghai").dt.replace_time_zone(None)
    return expr


def _unread(text: pl.Series, formats: list[str]) -> pl.Series:
    for fmt in formats:
        text = text.filter(text.str.to_datetime(fmt, strict=False, time_unit="us").is_null())
    return text


def _formats_of(text: pl.Series) -> tuple[list[str], pl.Series]:
    """The formats of :data:`TIME_FORMATS` that read ``text`` — the one reading most, then the
    one reading most of what is left, and so on while one reads any — and what none reads."""
    formats: list[str] = []
    while len(text):
        best, unread = None, text
        for fmt in TIME_FORMATS:
            left = text.filter(text.str.to_datetime(fmt, strict=False, time_unit="us").is_null())
            if len(left) < len(unread):
                best, unread = fmt, left
        if best is None:
            break
        formats.append(best)
        text = unread
    return formats, text


def _time_refusal(sample: pl.Series, name: str, file: str, rows: pl.Series | None, formats: list[str],
                  read: int) -> ReadingsError:
    """The refusal of a time column less than half of whose sample any format reads: the first
    row that does not read (probe s9 #12: it quoted the first value, a valid ISO time, and no
    row), with the share that was read."""
    raw = sample.cast(pl.String).str.strip_chars()
    ok = raw.is_not_null() & (raw != "")
    for fmt in formats:
        ok = ok & raw.str.to_datetime(fmt, strict=False, time_unit="us").is_null()
    at = ok.arg_true()
    k = int(at[0]) if len(at) else 0
    row = int(rows[k]) if rows is not None and len(rows) > k and rows[k] is not None else None
    value = raw[k] if len(raw) else None
    n = int((raw.is_not_null() & (raw != "")).sum())
    if not formats:
        return ReadingsError([ReadingsIssue(file, row, name, value,
                                            "无法识别时间格式（应为 ISO 格式，如 2025-01-01 08:00:00）",
                                            "cannot read the time format (use ISO, e.g. 2025-01-01 08:00:00)")])
    return ReadingsError([ReadingsIssue(
        file, row, name, value,
        f"此列的时间大多无法识别：抽查的 {n} 个时间只读得出 {read} 个，此行是第一个读不出的；"
        "请写成年份在前的格式（ISO，如 2025-01-01 08:00:00）",
        f"most of the column's times cannot be read: {read} of the {n} times sampled read, and this row "
        "is the first that does not; write them year first (ISO, e.g. 2025-01-01 08:00:00)")])


def _value_expr(dtype: pl.DataType, name: str, decimal_comma: bool = False) -> pl.Expr:
    """Numbers as floats; text that is not a finite number becomes null (a bad value).
    ``1,234.5`` drops its thousands separator; with ``decimal_comma`` ``1.234,5`` is 1234.5."""
    if dtype.is_numeric():
        v = pl.col(name).cast(pl.Float64)
    else:
        text = pl.col(name).cast(pl.String).str.strip_chars()
        if decimal_comma:
            text = text.str.replace_all(r"[.\s]", "").str.replace(",", ".", literal=True)
        else:
            text = text.str.replace_all(",", "")
        v = text.cast(pl.Float64, strict=False)
    return pl.when(v.is_finite()).then(v).otherwise(None)


def scan_readings(path: str | Path, instrument_ids: set[str] | None = None, fid: int = 0) -> Readings:
    """One file → :class:`Readings` (long or wide layout detected from the header); ``fid``
    is the file's index in a list of files (the ``fid`` column)."""
    p = Path(path)
    if not p.exists():
        raise ReadingsError([ReadingsIssue(str(p), None, None, None, "文件不存在", "no such file")])
    if p.is_dir():
        raise _issue(p, "这是文件夹，不是文件", "this is a folder, not a file")
    try:
        lf, dialect, table = _scan_keeping(p)
        cols = [c for c in lf.collect_schema().names() if c != "row"]
        sample = lf.head(2000).collect()
    except PermissionError:
        raise _issue(p, "没有读取此文件的权限", "permission denied: cannot read the file") from None
    except OSError as exc:
        raise _issue(p, f"无法读取文件：{os_reason(exc)[0]}", f"cannot read the file: {os_reason(exc)[1]}") from None
    except READ_ERRORS as exc:
        raise _issue(p, "无法读取文件（格式错误或文件损坏）",
                     f"cannot read the file: {str(exc).splitlines()[0]}") from None
    decimal_comma = dialect is not None and dialect.decimal_comma
    file = str(p)
    if not cols:  # an empty file: no header, no readings: a "no data" result
        return Readings(pl.LazyFrame(schema=SCHEMA), [file], {file: "long"},
                        [ReadingsIssue(file, None, None, None, "文件为空，没有读数",
                                       "the file is empty: no readings")])
    mapped = columns_named(cols, LONG_HEADERS)
    issues: list[ReadingsIssue] = []
    twice = sorted({re.sub(r"_duplicated_\d+$", "", c) for c in cols if re.search(r"_duplicated_\d+$", str(c))})
    if twice:  # polars renames a repeated header: the second column would be read as nothing
        raise ReadingsError([ReadingsIssue(file, 1, c, None, "表头中此列出现了不止一次，无法确定读哪一列",
                                           "this column appears more than once in the header: which "
                                           "one to read is unclear") for c in twice])
    if "time" not in mapped:
        raise ReadingsError([ReadingsIssue(file, 1, None, None, "找不到时间列（表头应有“时间”或“采集时间”等）",
                                           'no time column (a header such as "time" or "timestamp")')])
    if ("instrument" in mapped and "value" not in mapped and instrument_ids is not None and sample.height
            and sample[mapped["instrument"]].cast(pl.String).is_in(list(instrument_ids)).any()):
        # a long file (its instrument column names ledger ids) without its value column: said,
        # not read as a wide file whose columns are all "not an instrument id" (nothing analysed)
        raise ReadingsError([ReadingsIssue(file, 1, None, None, "长表缺少数值列（表头应有“数值”或“读数”等）",
                                           'a long-format file without a value column (a header such as "value" '
                                           'or "reading")')])
    if sample.height == 0:  # a header and no rows: nothing to analyse, and it is said
        layout = "long" if "instrument" in mapped and "value" in mapped else "wide"
        return Readings(pl.LazyFrame(schema=SCHEMA), [file], {file: layout},
                        [ReadingsIssue(file, None, None, None, "文件中没有读数（只有表头）",
                                       "the file holds no readings (a header only)")])
    if p.suffix.lower() in (".xlsx", ".xlsm"):  # in memory already: every time is looked at
        whole = lf.select(mapped["time"], "row").collect()
        time = _time_expr(whole[mapped["time"]], mapped["time"], file, whole["row"])
    else:
        time = _time_expr(sample[mapped["time"]], mapped["time"], file, sample["row"])
    plain = None
    if "instrument" in mapped and "value" in mapped:
        layout = "long"
        unread = [c for c in cols if c not in mapped.values() and str(c).strip()]
        if unread:  # a DCS quality flag or a note column: said, not dropped in silence
            issues.append(ReadingsIssue(file, 1, None, None,
                                        f"未读取的列：{'、'.join(map(str, unread))}（读数只读器具、时间、数值、单位、类型、测量对象列）",
                                        f"columns not read: {', '.join(map(str, unread))} (readings read the instrument, "
                                        "time, value, unit, kind and target columns)"))
        out = lf.select(
            pl.lit(fid, pl.UInt16).alias("fid"),
            pl.col("row").cast(pl.Int64),
            pl.col(mapped["instrument"]).cast(pl.String).alias("instrument"),
            time.alias("time"),
            _value_expr(sample[mapped["value"]].dtype, mapped["value"], decimal_comma).alias("value"),
            (pl.col(mapped["unit"]).cast(pl.String) if "unit" in mapped
             else pl.lit(None, pl.String)).alias("unit"),
            (kind_expr(mapped["kind"]) if "kind" in mapped else pl.lit(None, pl.String)).alias("kind"),
        )
        plain = _plain_parquet(p, mapped, table) if p.suffix.lower() == ".parquet" else None
    else:
        layout = "wide"
        value_cols = [c for c in cols if c != mapped["time"]]
        ids: dict[str, str] = {}
        units: dict[str, str | None] = {}
        column_targets: dict[str, str | None] = {}
        for c in value_cols:
            m = _WIDE_HEADER.match(unicodedata.normalize("NFKC", str(c)))
            ident, column_targets[c] = wide_target(m["id"].strip() if m else str(c).strip(), instrument_ids)
            ids[c] = ident
            units[c] = (m["unit"].strip() or None) if m and m["unit"] else None
            if instrument_ids is not None and ident not in instrument_ids:
                issues.append(ReadingsIssue(file, 1, str(c), str(c),
                                            f"列“{c}”不是台账中的计量器具编号，该列未分析",
                                            f'column "{c}" is not an instrument id of the ledger; not analysed',
                                            set_aside=None))
        keep = [c for c in value_cols if instrument_ids is None or ids[c] in instrument_ids]
        # the value columns under names of their own: a header "value" or "column" (a long file
        # whose instrument header was damaged reads as wide) no longer clashes with the
        # unpivot's columns (polars' DuplicateError escaped the reader; found by fuzzing)
        own = {c: f"\x00{k}" for k, c in enumerate(keep)}
        renamed = lf.select(
            pl.col("row").cast(pl.Int64),
            time.alias("time"),
            *[_value_expr(sample[c].dtype, c, decimal_comma).alias(own[c]) for c in keep],
        )
        out = (renamed.unpivot(index=["row", "time"], on=list(own.values()), variable_name="column",
                               value_name="value")
               .select(pl.lit(fid, pl.UInt16).alias("fid"), "row",
                       pl.col("column").replace_strict({own[c]: ids[c] for c in keep},
                                                       return_dtype=pl.String).alias("instrument"),
                       "time", "value",
                       pl.col("column").replace_strict({own[c]: units[c] for c in keep},
                                                       return_dtype=pl.String).alias("unit"),
                       pl.lit(None, pl.String).alias("kind"),
                       pl.col("column").replace_strict({own[c]: column_targets[c] for c in keep},
                                                       return_dtype=pl.String).alias("target"),
                       pl.col("column")))
        out = _one_reading_per_cell_group(out, [ids[c] for c in keep])
    frame = out.select([pl.col(k).cast(v) for k, v in SCHEMA.items()])
    targets = None
    if layout == "long" and "target" in mapped:
        targets = pl.concat([frame, lf.select(pl.col(mapped["target"]).cast(pl.String).str.strip_chars()
                                              .alias("target"))], how="horizontal")
    if layout == "wide":
        bracketed = {(file, ids[c], units[c] or ""): str(c) for c in keep if units[c]}
        if any(column_targets[c] for c in keep):
            targets = out.select([pl.col(k).cast(v) for k, v in TARGET_SCHEMA.items()])
        headers = {(file, ids[c], column_targets[c] or ""): str(c) for c in keep if column_targets[c]}
        return Readings(frame, [file], {file: layout}, issues, targets=targets, target_headers=headers,
                        unit_headers=bracketed, column_headers={file: {"time": str(mapped["time"])}})
    named = {file: {k: str(v) for k, v in mapped.items()}}
    if layout == "long" and plain is not None:
        return Readings(frame, [file], {file: layout}, issues, [plain], plain_frame=frame, targets=targets,
                        column_headers=named)
    return Readings(frame, [file], {file: layout}, issues, targets=targets, column_headers=named)


def cells_as_written(path: str | Path, rows: list[int], instrument_ids: set[str] | None = None
                     ) -> pl.DataFrame:
    """The time and value of ``rows`` of a readings file as the file holds them (text), for the
    rows the checks could not read (``bad_time``, ``bad_value``: the checks keep the parsed
    value only, null there): ``row``, ``instrument``, ``time_text``, ``value_text``. A wide
    file gives one row per instrument column (several columns of one instrument: the first
    that is not empty). Empty when the file cannot be read again."""
    schema = {"row": pl.Int64, "instrument": pl.String, "time_text": pl.String, "value_text": pl.String}
    try:
        lf, _, _ = _scan_keeping(Path(path))
        cols = [c for c in lf.collect_schema().names() if c != "row"]
        mapped = columns_named(cols, LONG_HEADERS)
        if "time" not in mapped:
            return pl.DataFrame(schema=schema)
        part = lf.filter(pl.col("row").is_in(rows)).with_columns(pl.col("row").cast(pl.Int64))
        if "instrument" in mapped and "value" in mapped:
            out = part.select("row", *[pl.col(mapped[k]).cast(pl.String).alias(n) for k, n in
                                       (("instrument", "instrument"), ("time", "time_text"), ("value", "value_text"))])
            return out.collect().with_columns(pl.col("instrument").str.strip_chars())
        ids = {}
        for c in cols:
            if c == mapped["time"]:
                continue
            m = _WIDE_HEADER.match(unicodedata.normalize("NFKC", str(c)))
            ids[c] = wide_target(m["id"].strip() if m else str(c).strip(), instrument_ids)[0]
        long = (part.select("row", pl.col(mapped["time"]).cast(pl.String).alias("time_text"),
                            *[pl.col(c).cast(pl.String).alias(f"\x00{k}") for k, c in enumerate(ids)])
                .unpivot(index=["row", "time_text"], variable_name="column", value_name="value_text")
                .with_columns(pl.col("column").replace_strict({f"\x00{k}": i for k, i in enumerate(ids.values())},
                                                              return_dtype=pl.String).alias("instrument"))
                .collect())
        return (long.sort("row", pl.col("value_text").is_null()).group_by("row", "instrument", maintain_order=True)
                .agg(pl.col("time_text").first(), pl.col("value_text").first()).select(list(schema)))
    except (ReadingsError, OSError, *READ_ERRORS):  # type: ignore[misc]  # mypy reads no starred tuple here
        return pl.DataFrame(schema=schema)


def wide_target(header_id: str, instrument_ids: set[str] | None) -> tuple[str, str | None]:
    """A wide header's instrument id and target (issue 17): ``TS-01:coal_a`` (or ``TS-01：甲煤``,
    the full-width colon read as ``:``) is the column of instrument ``TS-01``'s readings of
    ``coal_a`` — a stream id as written in ``measures`` or the stream's name. A header that
    is a ledger id as a whole is that id, even if it holds a colon."""
    if ":" not in header_id or (instrument_ids is not None and header_id in instrument_ids):
        return header_id, None
    ident, _, target = header_id.partition(":")
    ident, target = ident.strip(), target.strip()
    if instrument_ids is not None and ident not in instrument_ids:
        return header_id, None
    return ident, target or None


def _one_reading_per_cell_group(out: pl.LazyFrame, col_ids: list[str]) -> pl.LazyFrame:
    """An instrument with several columns (one per target, issue 17) weighed one target in a
    row: the other columns' empty cells of that row are no readings. A row where all its
    columns are empty is one unreadable reading (bad value), as in a one-column instrument."""
    if len(set(col_ids)) == len(col_ids):
        return out
    present = pl.col("value").is_not_null().sum().over("row", "instrument")
    first = pl.col("column") == pl.col("column").first().over("row", "instrument")
    return out.filter(pl.col("value").is_not_null() | ((present == 0) & first))


def _plain_parquet(path: Path, mapped: dict[str, str], table: Any) -> ParquetColumns | None:
    """The columns of a long-layout Parquet file when the checks can read them as stored:
    text ids (and units, kinds), time stamps without a time zone in s, ms or us, numbers for
    values (else None: the file is read through polars)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = table.schema if table is not None else pq.read_schema(path)

    def text(name: str | None) -> bool:
        if name is None:
            return True
        t = schema.field(name).type
        if pa.types.is_dictionary(t):
            t = t.value_type
        return bool(pa.types.is_string(t) or pa.types.is_large_string(t))

    t = schema.field(mapped["time"]).type
    v = schema.field(mapped["value"]).type
    scale = {"s": 1_000_000, "ms": 1_000, "us": 1}.get(getattr(t, "unit", ""), 0)
    if not (pa.types.is_timestamp(t) and t.tz is None and scale and text(mapped["instrument"])
            and text(mapped.get("unit")) and text(mapped.get("kind"))
            and (pa.types.is_floating(v) or pa.types.is_integer(v))):
        return None
    if "kind" in mapped:  # kinds written as words (累计值): read through polars, which codes them
        if table is not None:
            import pyarrow.compute as pc

            col = table.column(mapped["kind"])
            if pa.types.is_dictionary(col.type):  # the distinct texts are the dictionaries
                kinds = [t for chunk in col.chunks for t in chunk.dictionary.to_pylist()]
            else:
                kinds = pc.unique(col).to_pylist()
            if not plain_kinds(kinds):
                return None
        elif not plain_kinds(pl.scan_parquet(path).select(pl.col(mapped["kind"]).unique())
                             .collect().to_series().to_list()):
            return None
    return ParquetColumns(str(path), mapped["instrument"], mapped["time"], scale, mapped["value"],
                          mapped.get("unit"), mapped.get("kind"), table)


def scan_many(paths: list[str | Path], instrument_ids: set[str] | None = None,
              start: date | datetime | None = None, end: date | datetime | None = None) -> Readings:
    """Several files as one frame, optionally restricted to ``start <= time < end``."""
    parts = [scan_readings(p, instrument_ids, k) for k, p in enumerate(paths)]
    frame = pl.concat([r.frame for r in parts], how="vertical") if parts else pl.LazyFrame(schema=SCHEMA)
    # a row whose time cannot be read belongs to no period: it is kept (flagged bad_time by the
    # checks), never dropped by the period's bounds as if it had not been written
    if start is not None:
        frame = frame.filter((pl.col("time") >= _as_datetime(start)) | pl.col("time").is_null())
    if end is not None:
        frame = frame.filter((pl.col("time") < _as_datetime(end)) | pl.col("time").is_null())
    plain = [c for r in parts if r.parquet and r.plain_frame is r.frame for c in r.parquet]
    # when one file names targets, the others' rows name none (null): a several-target
    # instrument's rows there take the split or are refused, never the other file's shares
    targets = None
    if any(r.targets is not None for r in parts):
        targets = pl.concat([r.targets if r.targets is not None
                             else r.frame.with_columns(pl.lit(None, pl.String).alias("target"))
                             for r in parts], how="vertical")
    headers = {k: v for r in parts for k, v in r.target_headers.items()}
    bracketed = {k: v for r in parts for k, v in r.unit_headers.items()}
    if targets is not None and start is not None:
        targets = targets.filter(pl.col("time") >= _as_datetime(start))
    if targets is not None and end is not None:
        targets = targets.filter(pl.col("time") < _as_datetime(end))
    return Readings(frame, [f for r in parts for f in r.files],
                    {k: v for r in parts for k, v in r.layouts.items()},
                    [i for r in parts for i in r.issues],
                    plain if parts and len(plain) == len(parts) else None,
                    (None if start is None else _as_datetime(start), None if end is None else _as_datetime(end)),
                    frame, targets, headers, unit_headers=bracketed,
                    column_headers={k: v for r in parts for k, v in r.column_headers.items()})


def same_time_targets_summed(readings: Readings, units: dict[str, str | None]) -> Readings:
    """``readings`` as the checks see them when rows name their targets (issue 17): an
    instrument's readings of *different* targets at the same time (a wide row with
    ``W1:coal_a`` and ``W1:乙煤`` both filled, a long file's per-stream rows) are one reading of
    the instrument, their sum; each target's share is still taken from its own rows
    (data/attribution.py). ``units``: each instrument's unit, for rows that state none. Not
    summed, so still flagged as before: a second reading of the same target at that time (the
    n-th readings of each target are summed together), rows without a target, time or value,
    readings in different units or kinds. Unchanged (the same object) when no instrument has
    readings of two targets at one time."""
    import dataclasses

    if readings.targets is None:
        return readings
    unit = pl.col("unit").fill_null(pl.col("instrument").replace_strict(units, default=None, return_dtype=pl.String))
    keys = ["instrument", "time", "unit", "kind"]
    t = readings.targets.with_columns(unit.alias("unit"))
    summable = pl.col("target").is_not_null() & pl.col("time").is_not_null() & pl.col("value").is_not_null()
    # read once: the windows need every row, and both parts below come from them
    rows = t.with_columns(pl.int_range(pl.len()).over([*keys, "target"]).alias("_nth"),
                          (summable & (pl.col("target").n_unique().over(keys) > 1)).alias("_sum")).collect()
    together = rows.filter(pl.col("_sum"))
    if not together.height:
        return readings
    columns = [pl.col(k).cast(v) for k, v in SCHEMA.items()]
    summed = (together.lazy().group_by([*keys, "_nth"])
              .agg(pl.col("fid").first(), pl.col("row").min(), pl.col("value").sum()).select(columns))
    frame = pl.concat([summed, rows.lazy().filter(~pl.col("_sum")).select(columns),
                       readings.frame.filter(pl.col("time").is_null())],  # kept by the period's bounds
                      how="vertical").sort("fid", "row")
    return dataclasses.replace(readings, frame=frame, plain_frame=None, parquet=None)


def _as_datetime(d: date | datetime) -> datetime:
    return d if isinstance(d, datetime) else datetime(d.year, d.month, d.day)


def read_error(paths: list[str | Path], exc: BaseException) -> ReadingsError:
    """What to tell the user when polars fails while *reading* (after the files were opened:
    a lazy CSV is parsed in full only then). A ragged line anywhere in a CSV file is named by
    its line number; otherwise the files are named as unreadable."""
    for p in map(Path, paths):
        if p.suffix.lower() in (".csv", ".txt") and p.is_file():
            ragged = _ragged_lines(p, sniff_csv(p))
            if ragged:
                return ReadingsError(ragged)
    first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return ReadingsError([ReadingsIssue(", ".join(map(str, paths)), None, None, None,
                                        "无法读取（格式错误或文件损坏）", f"cannot be read (malformed or corrupt): {first}")])


#: Columns of a CEMS DAS export (``tanjiliang data cems``).
DAS_COLUMNS = ("point", "time", "co2", "flow", "temperature", "pressure", "moisture")
#: Header names accepted for them (compared after :func:`norm_header`, as :data:`LONG_HEADERS`
#: for readings; the first Chinese name is the one messages use). Not 标干流量 (flow at
#: standard dry conditions) nor 静压 (static, not absolute, pressure): other quantities.
DAS_HEADERS: dict[str, tuple[str, ...]] = {
    "point": ("point", "emissionpoint", "监测点", "监测点位", "排放口", "排口", "点位", "测点", "烟囱"),
    "time": LONG_HEADERS["time"],
    "co2": ("co2", "二氧化碳", "co2浓度", "二氧化碳浓度", "co2实测浓度", "二氧化碳实测浓度"),
    "flow": ("flow", "烟气流量", "流量", "实测流量", "工况流量", "烟气实测流量", "烟气工况流量"),
    "temperature": ("temperature", "烟气温度", "温度", "烟温"),
    "pressure": ("pressure", "烟气压力", "压力", "绝对压力", "烟气绝对压力"),
    "moisture": ("moisture", "烟气湿度", "湿度", "含湿量", "烟气含湿量", "水分含量", "烟气水分"),
}


def scan_das_export(path: str | Path) -> pl.LazyFrame:
    """A CEMS DAS export (CSV in any of the encodings and separators :func:`sniff_csv` knows,
    or Parquet) as typed columns: ``row`` (the file's line or row), ``point`` text (trimmed),
    ``time`` naive local datetime (null where it cannot be read: the caller says so), the five
    measured values as floats (a value that is not a finite number is null). Headers as
    :data:`DAS_HEADERS` (监测点、时间、二氧化碳 …). ReadingsError naming the file for a file that
    cannot be read, a missing column or a time column in no known format."""
    p = Path(path)
    if not p.exists():
        raise _issue(p, "文件不存在", "no such file")
    if p.is_dir():
        raise _issue(p, "这是文件夹，不是文件", "this is a folder, not a file")
    if p.suffix.lower() not in (".csv", ".txt", ".parquet"):
        raise _issue(p, "只能读 .csv 或 .parquet", "must be .csv or .parquet")
    try:
        lf, dialect = _scan(p)
        cols = [c for c in lf.collect_schema().names() if c != "row"]
        sample = lf.head(2000).collect()
    except OSError as exc:
        raise _issue(p, f"无法读取文件：{os_reason(exc)[0]}", f"cannot read the file: {os_reason(exc)[1]}") from None
    except READ_ERRORS as exc:
        raise read_error([p], exc) from None
    by_key = columns_named(cols, DAS_HEADERS)
    missing = [c for c in DAS_COLUMNS if c not in by_key]
    if missing:
        def zh(c: str) -> str:  # 监测点（point）
            return f"{next(n for n in DAS_HEADERS[c] if not n.isascii())}（{c}）"

        raise ReadingsError([ReadingsIssue(str(p), 1, ", ".join(missing), None,
                                           f"缺少列：{'、'.join(map(zh, missing))}（应有 {'、'.join(map(zh, DAS_COLUMNS))}）",
                                           f"missing columns: {', '.join(missing)} (expected {', '.join(DAS_COLUMNS)})")])
    if sample.height == 0:
        return pl.LazyFrame(schema={"row": pl.Int64, "point": pl.String, "time": pl.Datetime("us"),
                                    **{c: pl.Float64 for c in DAS_COLUMNS[2:]}})
    comma = dialect is not None and dialect.decimal_comma
    time_col = by_key["time"]
    return lf.select(
        pl.col("row").cast(pl.Int64),
        pl.col(by_key["point"]).cast(pl.String).str.strip_chars().alias("point"),
        _time_expr(sample[time_col], time_col, str(p), sample["row"]).alias("time"),
        *[_value_expr(sample[by_key[c]].dtype, by_key[c], comma).alias(c) for c in DAS_COLUMNS[2:]],
    )
