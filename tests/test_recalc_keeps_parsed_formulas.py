"""A finance bureau recalculates one department's workbook, then the next: the template's
formulas are parsed once and their trees kept in the user's cache folder
(xladdin/engine/parses.py), and the results are the same with or without them."""

import pytest

from package_builders import build_package, sheet_xml
from xladdin import engine
from xladdin.engine import parses
from xladdin.xlsx import WorkbookPackage


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("XLADDIN_CACHE_DIR", str(folder))
    monkeypatch.setattr(parses, "KEPT_PARSES", parses.KeptParses())
    monkeypatch.setattr(engine, "KEPT_PARSES", parses.KEPT_PARSES)
    return folder


@pytest.fixture(scope="module")
def department(tmp_path_factory):
    from workbook import build_template, load_example

    example = load_example("longgang_2020_seed")
    path = tmp_path_factory.mktemp("wb") / "部门.xlsx"
    return build_template(example["framework"], path, values=example["values"], department=example["department"])


def _fresh_run():
    """As a new process: nothing compiled yet, and the kept trees read from the file again."""
    from xladdin.engine import model

    model._SHAPE_CACHES.clear()
    parses.KEPT_PARSES = engine.KEPT_PARSES = parses.KeptParses()


def _recalc(path):
    return engine.recalculate_package(WorkbookPackage.open(path)).values


def test_a_second_run_reads_the_kept_trees_and_scores_the_same(cache, department, monkeypatch):
    monkeypatch.setenv("XLADDIN_CACHE", "0")
    _fresh_run()
    without = _recalc(department)
    assert not cache.exists()
    monkeypatch.delenv("XLADDIN_CACHE")
    _fresh_run()
    first = _recalc(department)
    assert list(cache.glob("formulas-*.marshal"))
    _fresh_run()
    parsed = []
    real = parses._parser.parse
    monkeypatch.setattr(parses._parser, "parse", lambda *a: parsed.append(a) or real(*a))
    second = _recalc(department)
    # every formula and name from the kept trees, but one with an error literal (#VALUE!)
    assert parsed and all("#VALUE!" in text for text, _, _ in parsed)
    assert first == without and second == without
    total = [v for (sheet, ref), v in second.items() if sheet == "得分汇总" and isinstance(v, float)]
    assert 98.97 in total  # the seed's published total


def test_kept_trees_of_another_parser_or_a_damaged_file_are_not_used(cache, department, monkeypatch):
    _fresh_run()
    expected = _recalc(department)
    (kept,) = cache.glob("formulas-*.marshal")
    data = kept.read_bytes()
    for damaged in (data.replace(b"parser.py:", b"parser.py:9", 1),  # another parser's stamp
                    data[:len(data) // 2],                          # cut short
                    b"garbage"):
        kept.write_bytes(damaged)
        _fresh_run()
        parsed = []
        real = parses._parser.parse
        monkeypatch.setattr(parses._parser, "parse", lambda *a: parsed.append(a) or real(*a))
        assert _recalc(department) == expected
        assert parsed  # parsed afresh
        monkeypatch.setattr(parses._parser, "parse", real)


def test_an_unwritable_cache_folder_is_never_an_error(cache, tmp_path, monkeypatch, department):
    blocker = tmp_path / "a file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("XLADDIN_CACHE_DIR", str(blocker / "cache"))
    _fresh_run()
    assert _recalc(department)


def test_error_literals_and_formulas_that_do_not_parse_are_not_kept(cache, tmp_path):
    rows = ('<row r="1"><c r="A1"><f>IFERROR(1/0,#N/A)</f></c><c r="B1"><f>1+</f><v>7</v></c>'
            '<c r="C1"><f>A1&amp;"x"</f></c><c r="D1"><f>2*3</f></c></row>')
    path = build_package(tmp_path / "errors.xlsx", [("S", sheet_xml(rows))])
    for _ in range(2):
        _fresh_run()
        results = engine.recalculate_package(WorkbookPackage.open(path))
        assert results.values[("S", "A1")] == "#N/A" and results.values[("S", "D1")] == 6.0
        assert ("S", "B1") not in results.values  # does not parse: keeps its stored 7
    kept = parses.KEPT_PARSES
    kept.parse("1", 1, 1)  # loads the file
    texts = {text for text, _, _ in kept._kept}
    assert "2*3" in texts and "IFERROR(1/0,#N/A)" not in texts and "1+" not in texts


def test_a_big_workbook_of_its_own_formulas_does_not_push_the_templates_out(cache, department, tmp_path):
    # the file keeps the newest few hundred trees, and a run that parses more keeps none:
    # reading thousands of trees would cost each later run more than parsing a template
    _fresh_run()
    _recalc(department)
    (kept,) = cache.glob("formulas-*.marshal")
    before = kept.read_bytes()
    rows = "".join(f'<row r="{r}"><c r="A{r}"><f>{r}*{r}+1</f></c></row>' for r in range(1, parses._MAX_KEPT + 50))
    big = build_package(tmp_path / "big.xlsx", [("S", sheet_xml(rows))])
    _fresh_run()
    values = engine.recalculate_package(WorkbookPackage.open(big)).values
    assert values[("S", "A7")] == 50.0
    assert kept.read_bytes() == before  # untouched
    store = parses.KeptParses()
    for n in range(parses._MAX_KEPT + 100):
        store._kept = store._kept if store._kept is not None else {}
        store._path, store._head = str(tmp_path / "own.marshal"), b"head\n"
        store._new[(f"{n}+1", 1, 1)] = ("num", float(n))
        if len(store._new) == 100:
            store._saves = 0
            store.save()
    newest = f"{parses._MAX_KEPT + 99}+1"
    assert len(store._kept) == parses._MAX_KEPT and (newest, 1, 1) in store._kept and ("0+1", 1, 1) not in store._kept
