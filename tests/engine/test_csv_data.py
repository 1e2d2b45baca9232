"""CSV in and out: every rejected row explained by line, conventions noted, exact round trips."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine import Run
from engine.csv_data import CsvImport, parse_csv, to_csv
from engine.options import PROBLEMS


def _only_rejection(text: str, problem: str = "classification", **options) -> str:
    """The reason for line 3 of a file whose lines 1, 2 and 4 are good rows."""
    other = 0 if problem == "multiclass" else -1
    result = parse_csv(f"1,1,1\n2,2,{other}\n{text}\n3,3,1\n", problem, **options)
    assert [r.line for r in result.rejected] == [3]
    return result.rejected[0].reason


@pytest.mark.parametrize(
    ("row", "problem", "reason"),
    [
        ("1,abc,1", "classification", "column 2 is 'abc', not a number"),
        ("nan,1,1", "classification", "NaN is not a value"),
        ("1,NaN,1", "regression", "NaN is not a value"),
        ("1,-inf,1", "classification", "infinite value"),
        ("1e999,1,1", "classification", "infinite value"),
        ("1,1,3", "multiclass", "label 3 is not a class (use 0..2)"),
        ("1,1,1.5", "multiclass", "label 1.5 is not a class (use 0..2)"),
        ("1,1,0.5", "classification", "label 0.5 is not -1 or 1"),
        ("1,1,2", "classification", "label 2 is not -1 or 1"),
        ("1,2,1,0", "classification", "4 columns; expected x,y,label"),
        ("1,2,1,2,3", "classification", "5 columns; expected x,y,label"),
        ("1,2", "classification", "2 columns; expected x,y,label"),
        ("12", "classification", "1 column; expected x,y,label"),
        (",2,1", "classification", "column 1 is empty"),
        ("1;2;1", "classification", "columns separated by semicolons; the file uses commas"),
        ("1,2\t1", "classification", "mixes commas and tabs"),
        ("1,1_000,1", "classification", "column 2 is '1_000', not a number"),
        (
            "7.2,1,1",
            "classification",
            "point (7.2, 1) is outside [-6, 6]²; tick 'rescale' to fit the data into the picture",
        ),
    ],
)
def test_a_bad_row_is_rejected_with_its_line_and_a_reason_for_a_student(row, problem, reason):
    assert reason in _only_rejection(row, problem)


def test_labels_0_and_1_mean_orange_and_blue_and_the_notes_say_which_convention():
    result = parse_csv("0,0,0\n1,1,1\n2,2,0\n", "classification")
    assert result.labels.tolist() == [-1.0, 1.0, -1.0] and not result.rejected
    assert "labels 0/1 read as -1 (orange) and 1 (blue)" in result.notes
    plus_minus = parse_csv("0,0,-1\n1,1,1\n2,2,0\n3,3,-1\n", "classification")
    assert "labels -1 (orange) and 1 (blue)" in plus_minus.notes
    assert plus_minus.rejected[0].line == 3
    assert "do not mix 0/1 and -1/1" in plus_minus.rejected[0].reason
    zero_one = parse_csv("0,0,0\n1,1,1\n2,2,-1\n3,3,0\n", "classification")
    assert zero_one.rejected[0].reason.startswith("label -1 is not 0 or 1")


def test_regression_takes_any_finite_value_and_notes_the_range():
    result = parse_csv("1,1,-250\n2,2,3.5\n", "regression")
    assert result.labels.tolist() == [-250.0, 3.5]
    assert "regression values range from -250 to 3.5" in result.notes


def test_header_comments_blanks_quotes_bom_and_crlf_are_read_with_file_line_numbers():
    text = (
        '\ufeff# drawn in class\r\n"x","y","label"\r\n\r\n1,2,1\r\n  \r\nx,2,1\r\n"3", "4" ,-1\r\n'
    )
    result = parse_csv(text, "classification")
    assert result.points.tolist() == [[1.0, 2.0], [3.0, 4.0]]
    assert result.labels.tolist() == [1.0, -1.0]
    assert [(r.line, r.reason) for r in result.rejected] == [(6, "column 1 is 'x', not a number")]
    assert "header line 2 skipped" in result.notes
    assert (result.n_rows, result.n_skipped) == (7, 4)


@pytest.mark.parametrize(
    ("text", "note"),
    [
        ("x;y;label\n1;2;1\n3;4;-1\n", "columns separated by semicolons"),
        ("x\ty\tlabel\n1\t2\t1\n3\t4\t-1\n", "columns separated by tabs"),
        ("x;y;label\n1,0;2;1\n3;4,0;-1\n", "decimal commas read as points (1,5 = 1.5)"),
    ],
)
def test_semicolon_and_tab_files_are_detected_and_noted(text, note):
    result = parse_csv(text, "classification")
    assert result.points.tolist() == [[1.0, 2.0], [3.0, 4.0]] and not result.rejected
    assert note in result.notes


def test_a_split_column_is_accepted_and_said_to_be_ignored():
    result = parse_csv("x,y,label,split\n1,2,1,train\n3,4,-1,test\n", "classification")
    assert len(result.points) == 2 and not result.rejected
    assert any("split column" in note for note in result.notes)


def test_rescale_maps_every_point_into_the_picture_keeping_the_aspect_ratio():
    text = "-50,0,1\n120,10,-1\n35,30,1\n"
    assert len(parse_csv(text + "1,1,1\n1,2,1\n", "classification").rejected) == 3
    result = parse_csv(text, "classification", rescale=True)
    assert not result.rejected
    low, high = result.points.min(axis=0), result.points.max(axis=0)
    assert low[0] == -6.0 and high[0] == 6.0
    assert (high[1] - low[1]) == pytest.approx(12 * 30 / 170)
    assert abs(low[1] + high[1]) < 1e-12  # centred
    assert any(
        note.startswith("rescaled x from [-50, 120], y from [0, 30]") for note in result.notes
    )


def test_rescale_leaves_data_that_already_fits_alone():
    result = parse_csv("1,2,1\n-3,4,-1\n", "classification", rescale=True)
    assert result.points.tolist() == [[1.0, 2.0], [-3.0, 4.0]]
    assert any("nothing to rescale" in note for note in result.notes)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no rows"),
        ("\n  \n# only a comment\n", "no rows"),
        ("x,y,label\n", "only a header"),
        ("0,0,1\n" * 5001, "5001 data rows; at most 5000"),
    ],
)
def test_a_file_without_enough_good_rows_is_refused_with_a_clear_message(text, message):
    with pytest.raises(ValueError, match="^csv: ") as caught:
        parse_csv(text, "classification")
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("text", "valid", "note"),
    [("a,1,1\n1,b,1\n", 0, "no valid row"), ("1,1,1\n1,b,1\n", 1, "only 1 valid row")],
)
def test_too_few_valid_rows_keep_every_reason_in_the_report(text, valid, note):
    result = parse_csv(text, "classification")
    assert len(result.points) == valid and any(note in n for n in result.notes)
    assert [r.line for r in result.rejected] == ([1, 2] if valid == 0 else [2])
    assert "not a number" in result.rejected[-1].reason


def test_5000_rows_are_accepted():
    assert len(parse_csv("x,y,label\n" + "0,0,1\n" * 5000, "classification").points) == 5000


@pytest.mark.parametrize(
    ("arguments", "name"),
    [
        ((b"1,1,1", "classification"), "csv"),
        (("1,1,1", "ranking"), "problem"),
        (("1,1,1", "multiclass", 9), "n_classes"),
        (("1,1,1", "multiclass", True), "n_classes"),
        (("1,1,1", "classification", 3, "yes"), "rescale"),
    ],
)
def test_bad_arguments_name_the_argument(arguments, name):
    with pytest.raises(ValueError, match=f"^{name}: "):
        parse_csv(*arguments)


@pytest.mark.parametrize("problem", PROBLEMS)
def test_data_to_csv_to_data_is_exact(problem):
    run = Run({"seed": "0.25", "problem": problem, "percTrainData": 70, "percValData": 10})
    text = to_csv(run)
    lines = text.splitlines()
    assert lines[0] == "x,y,label,split"
    splits = [line.rsplit(",", 1)[1] for line in lines[1:]]
    sizes = [len(run.train_data[0]), len(run.validation_data[0]), len(run.test_data[0])]
    assert splits == ["train"] * sizes[0] + ["validation"] * sizes[1] + ["test"] * sizes[2]
    result = parse_csv(text, problem, n_classes=run.config["numClasses"])
    parts = (run.train_data, run.validation_data, run.test_data)
    np.testing.assert_array_equal(result.points, np.concatenate([p[0] for p in parts]))
    np.testing.assert_array_equal(result.labels, np.concatenate([p[1] for p in parts]))
    assert not result.rejected


def test_user_points_with_awkward_floats_round_trip_bit_for_bit():
    rng = np.random.default_rng(7)
    points = rng.uniform(-6, 6, size=(300, 2))
    points[:3] = [[-0.0, 6.0], [5e-324, -6.0], [1 / 3, 2 / 3]]
    run = Run({"seed": "0.5", "problem": "regression"})
    run.set_data(points, rng.normal(size=300) * 1e-7)
    result = parse_csv(to_csv(run), "regression")
    expected = np.concatenate([run.train_data[0], run.test_data[0]])
    assert result.points.tobytes() == expected.tobytes()  # the sign of -0.0 too
    labels = np.concatenate([run.train_data[1], run.test_data[1]])
    assert result.labels.tobytes() == labels.tobytes()


# ----- fuzzing: never a crash, every row accounted for and explained -----------------------


def _check_accounting(result: CsvImport, problem: str) -> None:
    assert result.n_rows == len(result.points) + len(result.rejected) + result.n_skipped
    assert result.n_skipped >= 0
    assert len(result.points) >= 2 or any("nothing was imported" in n for n in result.notes)
    lines = [r.line for r in result.rejected]
    assert len(set(lines)) == len(lines) and all(1 <= n <= result.n_rows for n in lines)
    assert all(isinstance(r.reason, str) and r.reason.strip() for r in result.rejected)
    assert result.points.shape == (len(result.labels), 2)
    assert np.isfinite(result.points).all() and np.isfinite(result.labels).all()
    assert (np.abs(result.points) <= 6).all()
    if problem == "classification":
        assert set(result.labels.tolist()) <= {-1.0, 1.0}
    if problem == "multiclass":
        assert set(result.labels.tolist()) <= {0.0, 1.0, 2.0}


def _parse_or_refuse(text: str, problem: str, rescale: bool) -> None:
    try:
        result = parse_csv(text, problem, rescale=rescale)
    except ValueError as error:
        assert str(error)
        return
    _check_accounting(result, problem)


_CSV_ALPHABET = st.sampled_from(list('0123456789.,;\t\n\r -+eE#"xyabnNaIif') + ["\ufeff", "é"])


@settings(max_examples=400, deadline=None)
@given(
    st.one_of(st.text(), st.text(alphabet=_CSV_ALPHABET, max_size=300)),
    st.sampled_from(PROBLEMS),
    st.booleans(),
)
def test_random_text_gives_a_result_or_a_value_error(text, problem, rescale):
    _parse_or_refuse(text, problem, rescale)


_value = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(-8, 8),
    st.integers(-3, 3),
    st.sampled_from(["", "abc", "1e999", "NaN", "-inf", "1,5", '"2"']),
)


@st.composite
def _mutated_csv(draw) -> str:
    """A valid file, then rows edited: odd values, extra or missing columns, other
    delimiters, blank lines, comments."""
    n = draw(st.integers(2, 30))
    rows = [[draw(st.floats(-6, 6)), draw(st.floats(-6, 6)), draw(st.sampled_from([-1, 1]))]]
    rows += [[round(i / 7, 3), -i / 9, 1 if i % 2 else -1] for i in range(n)]
    lines = [",".join(map(str, row)) for row in rows]
    for _ in range(draw(st.integers(0, 8))):
        index = draw(st.integers(0, len(lines) - 1))
        kind = draw(st.sampled_from(["value", "columns", "delimiter", "blank", "comment"]))
        cells = lines[index].split(",")
        if kind == "value":
            cells[draw(st.integers(0, len(cells) - 1))] = str(draw(_value))
        elif kind == "columns":
            cells = cells + ["1"] if draw(st.booleans()) else cells[:-1]
        elif kind == "delimiter":
            lines[index] = draw(st.sampled_from([";", "\t"])).join(cells)
            continue
        elif kind == "blank":
            lines.insert(index, draw(st.sampled_from(["", "   ", "\t"])))
            continue
        else:
            lines.insert(index, "# " + draw(st.text(max_size=10)))
            continue
        lines[index] = ",".join(cells)
    header = ["x,y,label"] if draw(st.booleans()) else []
    return draw(st.sampled_from(["\n", "\r\n"])).join(header + lines)


@settings(max_examples=300, deadline=None)
@given(_mutated_csv(), st.sampled_from(PROBLEMS), st.booleans())
def test_mutated_valid_csv_gives_a_result_or_a_value_error(text, problem, rescale):
    _parse_or_refuse(text, problem, rescale)
