"""CSV of points: read a user's x,y,label file (every rejected row explained), write a run's."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np

from engine.datasets import DOMAIN
from engine.options import LIMITS, PROBLEMS

Array = np.ndarray
MAX_ROWS = LIMITS["points"]["max"]
MIN_ROWS = LIMITS["points"]["min"]
DELIMITERS = {";": "semicolons", "\t": "tabs", ",": "commas"}  # tie-break order
SPLITS = ("train", "validation", "test")
# ASCII digits only, as a spreadsheet writes them: \d alone would take ١ or １ for 1.
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", re.ASCII)
_DECIMAL_COMMA = re.compile(r"[+-]?\d*,\d+", re.ASCII)
# Three plain numbers separated by commas (spaces around them): most rows of most files.
_PLAIN_ROW = re.compile(" *(?P<x>{0}) *, *(?P<y>{0}) *, *(?P<label>{0}) *".format(
    r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?"), re.ASCII)  # fmt: skip
_NAN = {"nan", "+nan", "-nan"}
_INFINITY = {"inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"}
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class Rejection:
    """A data row left out: its 1-based line number in the file and why, for a student."""

    line: int
    reason: str


@dataclass
class CsvImport:
    """The accepted points (n, 2) and labels (n,), the rejected rows, notes on how the file
    was read; n_rows lines in the file = accepted + rejected + n_skipped (blank, #, header)."""

    points: Array
    labels: Array
    rejected: list[Rejection] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    n_rows: int = 0
    n_skipped: int = 0


@dataclass
class _Row:
    line: int
    x: float
    y: float
    label: float
    texts: tuple[str, str, str]


def parse_csv(text: str, problem: str, n_classes: int = 3, rescale: bool = False) -> CsvImport:
    """Points from CSV text `x,y,label` (header optional; comma, semicolon or tab).

    Blank lines and lines starting with # are skipped. Classification labels are -1/1, or
    0/1 meaning -1/1 (one convention per file); classes are 0..n_classes-1; regression
    labels are any finite number. With `rescale`, points outside [-6, 6]² make the whole set
    map linearly into it (aspect ratio kept); without it they are rejected. Raises
    ValueError (and nothing else) for bad arguments, more than 5 000 data rows or fewer
    than 2 valid ones.
    """
    _check_arguments(text, problem, n_classes, rescale)
    lines = _LINE_BREAK.split(text.removeprefix("\ufeff"))
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()  # the final line break ends the last line; it starts no new one
    content = [(i + 1, s) for i, s in enumerate(lines) if s.strip() and s.lstrip()[0] != "#"]
    if not content:
        raise ValueError("csv: the file has no rows; expected lines x,y,label")
    delimiter = _detect_delimiter([s for _, s in content])
    notes = [] if delimiter == "," else [f"columns separated by {DELIMITERS[delimiter]}"]
    if _is_header(content[0][1], delimiter):
        notes.append(f"header line {content[0][0]} skipped")
        content = content[1:]
    if not content:
        raise ValueError("csv: the file has only a header; expected rows x,y,label below it")
    if len(content) > MAX_ROWS:
        raise ValueError(f"csv: {len(content)} data rows; at most {MAX_ROWS} are allowed")
    rows, rejected, flags = _read_rows(content, delimiter)
    rows = _check_labels(rows, rejected, problem, n_classes, notes)
    rows = rows if rescale else _inside(rows, rejected)
    rejected.sort(key=lambda r: r.line)
    _check_enough(len(rows), notes)
    points = np.array([[r.x, r.y] for r in rows], dtype=np.float64).reshape(-1, 2)
    if rescale and len(points):
        points = _rescaled(points, notes)
    notes += [_FLAG_NOTES[name] for name in sorted(flags)]
    labels = np.array([r.label for r in rows], dtype=np.float64)
    n_skipped = len(lines) - len(rows) - len(rejected)
    return CsvImport(points, labels, rejected, notes, len(lines), n_skipped)


def _check_arguments(text: object, problem: object, n_classes: object, rescale: object) -> None:
    low, high = LIMITS["numClasses"]["min"], LIMITS["numClasses"]["max"]
    if not isinstance(text, str):
        raise ValueError(f"csv: {type(text).__name__} is not allowed; use the file's text")
    if problem not in PROBLEMS:
        raise ValueError(f"problem: {problem!r} is not allowed; use one of {', '.join(PROBLEMS)}")
    if type(n_classes) is not int or not low <= n_classes <= high:
        raise ValueError(f"n_classes: {n_classes!r} is not allowed; use an integer {low}..{high}")
    if not isinstance(rescale, bool):
        raise ValueError(f"rescale: {rescale!r} is not allowed; use true or false")


def _detect_delimiter(lines: list[str]) -> str:
    """The delimiter found on the most lines; on a tie ; then tab then , (a comma can be a
    decimal comma in a semicolon or tab file)."""
    counts = {d: sum(d in line for line in lines) for d in DELIMITERS}
    return max(DELIMITERS, key=lambda d: counts[d])


def _is_header(line: str, delimiter: str) -> bool:
    """A first line none of whose fields is a number (or NaN/infinity), e.g. x,y,label."""
    fields = [_unquote(f) for f in line.split(delimiter)]
    return any(fields) and not any(_looks_numeric(f) for f in fields)


def _looks_numeric(text: str) -> bool:
    lower = text.lower()
    return bool(
        lower in _NAN
        or lower in _INFINITY
        or _NUMBER.fullmatch(text)
        or _DECIMAL_COMMA.fullmatch(text)
    )


_FLAG_NOTES = {
    "split": "the split column (train/validation/test) was ignored: the data is split again",
    "decimal_comma": "decimal commas read as points (1,5 = 1.5)",
}


def _read_rows(
    content: list[tuple[int, str]], delimiter: str
) -> tuple[list[_Row], list[Rejection], set[str]]:
    """Rows whose three columns are finite numbers; the others as rejections."""
    rows, rejected, flags = [], [], set()
    plain = _PLAIN_ROW.fullmatch if delimiter == "," else None
    for number, line in content:
        match = plain(line) if plain else None
        if match:  # the usual row, read at once; anything else takes the careful way below
            x, y, label = (float(text) for text in match.groups())
            if math.isfinite(x + y + label):
                rows.append(_Row(number, x, y, label, texts=match.groups()))
                continue
        fields = _fields(line, delimiter, flags)
        if isinstance(fields, str):
            rejected.append(Rejection(number, fields))
            continue
        values = [_parse_number(text, i + 1, delimiter, flags) for i, text in enumerate(fields)]
        reason = next((v for v in values if isinstance(v, str)), None)
        if reason is not None:
            rejected.append(Rejection(number, reason))
        else:
            rows.append(_Row(number, *values, texts=tuple(fields)))
    return rows, rejected, flags


def _fields(line: str, delimiter: str, flags: set[str]) -> list[str] | str:
    """The three column texts of a line, or why it has not got them."""
    others = [d for d in DELIMITERS if d != delimiter and d in line]
    if delimiter in line:
        others = [d for d in others if d != ","]  # here a comma may be a decimal comma
    if others:
        used = ", ".join(DELIMITERS[d] for d in others)
        if delimiter not in line:
            return f"columns separated by {used}; the file uses {DELIMITERS[delimiter]}"
        return f"mixes {DELIMITERS[delimiter]} and {used}; use one kind per file"
    fields = [_unquote(f) for f in line.split(delimiter)]
    while len(fields) > 3 and fields[-1] == "":
        fields.pop()  # a trailing delimiter, as spreadsheets sometimes write
    if len(fields) == 4 and fields[3].lower() in SPLITS:
        flags.add("split")
        fields.pop()
    if len(fields) != 3:
        plural = "column" if len(fields) == 1 else "columns"
        hint = " separated by commas, semicolons or tabs" if len(fields) == 1 else ""
        return f"{len(fields)} {plural}; expected x,y,label{hint}"
    return fields


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1].strip()
    return text


def _shown(text: str) -> str:
    """A field as a message shows it: quoted, at most 20 characters."""
    return repr(text if len(text) <= 20 else text[:20] + "…")


def _parse_number(
    text: str, column: int, delimiter: str, flags: set[str] | None = None
) -> float | str:
    """The finite number in a field, or the reason it is not one."""
    if text == "":
        return f"column {column} is empty"
    lower = text.lower()
    if lower in _NAN:
        return f"column {column}: NaN is not a value"
    if lower in _INFINITY:
        return f"column {column}: infinite value"
    if delimiter != "," and _DECIMAL_COMMA.fullmatch(text):
        text = text.replace(",", ".")
        if flags is not None:
            flags.add("decimal_comma")
    if not _NUMBER.fullmatch(text):
        return f"column {column} is {_shown(text)}, not a number"
    value = float(text)
    if not np.isfinite(value):
        return f"column {column}: infinite value ({_shown(text)} is too large)"
    return value


def _check_labels(
    rows: list[_Row], rejected: list[Rejection], problem: str, n_classes: int, notes: list[str]
) -> list[_Row]:
    """Rows with a label of the problem (0/1 mapped to -1/1); others become rejections."""
    if problem == "regression":
        if rows:
            low, high = min(r.label for r in rows), max(r.label for r in rows)
            notes.append(f"regression values range from {low:g} to {high:g}")
        return rows
    kept = []
    for row, reason in zip(rows, _label_reasons(rows, problem, n_classes, notes), strict=True):
        if reason is None:
            kept.append(row)
        else:
            rejected.append(Rejection(row.line, f"label {row.texts[2]} {reason}"))
    return kept


def _label_reasons(
    rows: list[_Row], problem: str, n_classes: int, notes: list[str]
) -> list[str | None]:
    """Why each row's label is not one of the problem's (None when it is). Two classes: the
    file's convention is 0/1 when 0 is more frequent than -1, else -1/1; 0 becomes -1."""
    if problem == "multiclass":
        why = f"is not a class (use 0..{n_classes - 1})"
        return [None if r.label == int(r.label) and 0 <= r.label < n_classes else why for r in rows]
    zero_one = sum(r.label == 0 for r in rows) > sum(r.label == -1 for r in rows)
    allowed, other = ((0.0, 1.0), -1.0) if zero_one else ((-1.0, 1.0), 0.0)
    why = "is not 0 or 1" if zero_one else "is not -1 or 1"
    mixed = " (do not mix 0/1 and -1/1 labels in one file)"
    reasons = [None if r.label in allowed else why + mixed * (r.label == other) for r in rows]
    if None in reasons:
        notes.append(
            "labels 0/1 read as -1 (orange) and 1 (blue)"
            if zero_one
            else "labels -1 (orange) and 1 (blue)"
        )
    for row in rows:
        row.label = -1.0 if zero_one and row.label == 0 else row.label
    return reasons


def _inside(rows: list[_Row], rejected: list[Rejection]) -> list[_Row]:
    """Rows inside the picture; the others become rejections that suggest rescaling."""
    kept = []
    for row in rows:
        if abs(row.x) <= DOMAIN and abs(row.y) <= DOMAIN:
            kept.append(row)
            continue
        where = f"({row.texts[0]}, {row.texts[1]})"
        hint = "tick 'rescale' to fit the data into the picture"
        rejected.append(Rejection(row.line, f"point {where} is outside [-6, 6]²; {hint}"))
    return kept


def _rescaled(points: Array, notes: list[str]) -> Array:
    """Points mapped into [-6, 6]² by one shift and one factor (aspect ratio kept), when any
    is outside; the bounding box's centre goes to the origin, its longer side to 12."""
    if np.abs(points).max() <= DOMAIN:
        notes.append("every point is inside [-6, 6]²; nothing to rescale")
        return points
    low, high = points.min(axis=0), points.max(axis=0)
    half = points / 2  # halves, so that spans near the float limit do not overflow
    centre = (half.min(axis=0) + half.max(axis=0)) / 2
    half_span = float((half.max(axis=0) - half.min(axis=0)).max())
    factor = 2 * DOMAIN / half_span if half_span > 0 else 0.0  # applied to the halves
    factor = factor if np.isfinite(factor) else 0.0  # all but equal points: the centre
    ranges = ", ".join(
        f"{axis} from [{a:g}, {b:g}]" for axis, a, b in zip("xy", low, high, strict=True)
    )
    notes.append(f"rescaled {ranges} into [-6, 6]² (×{factor / 2:.4g}, aspect ratio kept)")
    return np.clip((half - centre) * factor, -DOMAIN, DOMAIN)


def _check_enough(n_valid: int, notes: list[str]) -> None:
    """Too few valid rows is said in the notes, not raised: the report keeps every
    rejected row's reason, and the import is simply not applied."""
    if n_valid < MIN_ROWS:
        found = "no valid row" if n_valid == 0 else "only 1 valid row"
        notes.append(f"{found}: at least {MIN_ROWS} points are needed, so nothing was imported")


def to_csv(run) -> str:
    """The run's points as CSV: header x,y,label,split, then the train, validation and test
    rows; numbers written exactly (parse_csv reads them back bit for bit)."""
    lines = ["x,y,label,split"]
    whole = run.config["problem"] != "regression"
    parts = zip(SPLITS, (run.train_data, run.validation_data, run.test_data), strict=True)
    for split, (points, labels) in parts:
        for (x, y), label in zip(points.tolist(), labels.tolist(), strict=True):
            label_text = str(int(label)) if whole else repr(label)
            lines.append(f"{x!r},{y!r},{label_text},{split}")
    return "\n".join(lines) + "\n"
