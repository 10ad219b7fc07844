"""Every file the tool writes is a package strict readers and Microsoft's validator accept.

A bureau checks what it receives with independent tools; a file Excel opens only after a
repair prompt is a file it sends back.  For each kind of output (template and example of
both frameworks, recalc -o and --in-place, freeze once and twice, both summaries) this
checks, on every run:

* every XML part parses with lxml, strictly and namespace-aware (an undeclared prefix
  is fatal there, as in openpyxl and the Open XML SDK);
* every part has a content type, every internal relationship target exists, and the ids
  of each relationships part are unique;
* ``openxml-audit`` (a Python port of the Open XML SDK validator) reports nothing outside
  `ALLOWED`, a short list whose every entry says why it is harmless.

For the Excel-saved corpus the inputs are not the tool's: there only what recalculation
adds counts (a finding of the output that its input does not have).
"""
from __future__ import annotations

import collections
import copy
import posixpath
import re
import shutil
import zipfile
from pathlib import Path
from urllib.parse import unquote

import pytest
from lxml import etree

from excel_corpus import CORPUS_DIR, corpus_workbooks
from workbook import build_template, load_example, load_framework
from xladdin import cli

CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"

#: What the validator reports of files Excel opens without a prompt: (part pattern, description pattern).
ALLOWED = [
    # openpyxl writes a font's children in its own order (name, family, b, color, sz …).
    # ECMA-376 Part 1 §18.8.22 makes CT_Font's children an unbounded choice, in any order;
    # the SDK's schema has them as a sequence.  Excel opens such a file without a prompt
    # (every openpyxl workbook is one).
    (r"/xl/styles\.xml", r"Unexpected element '(b|i|strike|condense|extend|outline|shadow|u|vertAlign|sz|color|name|family|charset|scheme)' found"),
    # An app-compat warning, not a repair: Excel moves inline strings (what openpyxl and a
    # frozen text result write) into a shared-string table the next time it saves.
    (r"/xl/worksheets/[^/]+\.xml", r"has \d+ inline-string cell\(s\)"),
]


def _allowed(part: str, description: str) -> bool:
    return any(re.fullmatch(p, part or "") and re.search(d, description) for p, d in ALLOWED)


# --------------------------------------------------------------------------- the checks


def strict_problems(path: Path) -> list[str]:
    """What lxml and the package rules find in one file (empty: none)."""
    problems = []
    with zipfile.ZipFile(path) as zf:
        names = [zi.filename for zi in zf.infolist() if not zi.is_dir()]
        parts = {name: zf.read(name) for name in names}
    lower = {name.lower() for name in names}
    if len(lower) != len(names):
        problems.append("duplicate part names")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    trees = {}
    for name, data in parts.items():
        if name.lower().endswith((".xml", ".rels")):
            try:
                trees[name] = etree.fromstring(data, parser)
            except etree.XMLSyntaxError as error:
                problems.append(f"{name}: {error}")
    types = trees.get("[Content_Types].xml")
    if types is None:
        return problems + ["no [Content_Types].xml"]
    defaults = {el.get("Extension", "").lower() for el in types if el.tag == CT_NS + "Default"}
    overrides = {unquote(el.get("PartName", "")).lstrip("/").lower() for el in types if el.tag == CT_NS + "Override"}
    for name in names:
        if name == "[Content_Types].xml":
            continue
        base = name.rsplit("/", 1)[-1]
        extension = base.rpartition(".")[2].lower() if "." in base else None
        if name.lower() not in overrides and extension not in defaults:
            problems.append(f"{name}: no content type")
    for override in overrides - lower:
        problems.append(f"[Content_Types].xml: override of a missing part /{override}")
    for name, tree in trees.items():
        if not name.endswith(".rels"):
            continue
        folder, rels_name = posixpath.split(name)
        source_folder = posixpath.dirname(folder)
        ids = [rel.get("Id") for rel in tree if rel.tag == REL_NS + "Relationship"]
        for rid, count in collections.Counter(ids).items():
            if count > 1:
                problems.append(f"{name}: relationship id {rid} used {count} times")
        for rel in tree:
            if rel.get("TargetMode") == "External":
                continue
            target = unquote(rel.get("Target", "")).split("#", 1)[0]
            part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(source_folder, target))
            if part.lower() not in lower:
                problems.append(f"{name}: {rel.get('Id')} points at a missing part {part}")
    return problems


_VALIDATOR = None


def validator_findings(path: Path) -> collections.Counter:
    """(part, description) of every finding of openxml-audit, counted."""
    global _VALIDATOR
    if _VALIDATOR is None:
        from openxml_audit import OpenXmlValidator

        _VALIDATOR = OpenXmlValidator(max_errors=0)
    result = _VALIDATOR.validate(str(path))
    return collections.Counter((e.part_uri or "", e.description) for e in result.errors)


def assert_clean(path: Path) -> None:
    assert strict_problems(path) == []
    reported = [f"{part}: {description}" for (part, description) in validator_findings(path) if not _allowed(part, description)]
    assert reported == [], path.name


# --------------------------------------------------------------------------- the outputs

OUTPUTS = [
    "template longgang_2020", "template variant_linear_staff",
    "example longgang_2020", "example variant_linear_staff",
    "recalc -o", "recalc --in-place", "freeze", "freeze twice", "summary .xlsx",
    "template --native", "example --native", "recalc native", "freeze native", "selfcheck",
]


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("outputs")
    out: dict[str, Path] = {}
    for framework in ("longgang_2020", "variant_linear_staff"):
        out[f"template {framework}"] = folder / f"模板_{framework}.xlsx"
        assert cli.main(["template", "--framework", framework, "-o", str(out[f"template {framework}"])]) == 0
    out["example longgang_2020"] = folder / "示例.xlsx"
    assert cli.main(["example", "-o", str(out["example longgang_2020"])]) == 0
    # the variant filled with the seed department's figures, then recalculated
    seed = load_example("longgang_2020_seed")
    filled = folder / "变体_未重算.xlsx"
    build_template(load_framework("variant_linear_staff"), filled, values=copy.deepcopy(seed["values"]), department=seed["department"])
    out["example variant_linear_staff"] = folder / "变体.xlsx"
    assert cli.main(["recalc", str(filled), "-o", str(out["example variant_linear_staff"])]) == 0

    departments = folder / "各部门"
    departments.mkdir()
    shutil.copy(out["example longgang_2020"], departments / "甲.xlsx")
    shutil.copy(out["template longgang_2020"], departments / "乙.xlsx")
    results = folder / "结果"
    summary = folder / "汇总.xlsx"
    assert cli.main(["recalc", str(departments), "-o", str(results), "--summary", str(summary)]) == 0
    out["recalc -o"] = results / "甲.xlsx"
    out["summary .xlsx"] = summary
    in_place = folder / "就地.xlsx"
    shutil.copy(filled, in_place)
    assert cli.main(["recalc", str(in_place), "--in-place"]) == 0
    out["recalc --in-place"] = in_place
    out["freeze"] = folder / "定稿.xlsx"
    assert cli.main(["freeze", str(out["example longgang_2020"]), "-o", str(out["freeze"])]) == 0
    out["freeze twice"] = folder / "再定稿.xlsx"
    assert cli.main(["freeze", str(out["freeze"]), "-o", str(out["freeze twice"])]) == 0

    out["template --native"] = folder / "原生模板.xlsx"
    assert cli.main(["template", "--native", "-o", str(out["template --native"])]) == 0
    out["example --native"] = folder / "原生示例.xlsx"
    assert cli.main(["example", "--native", "-o", str(out["example --native"])]) == 0
    out["recalc native"] = folder / "原生重算.xlsx"
    assert cli.main(["recalc", str(out["example --native"]), "-o", str(out["recalc native"])]) == 0
    out["freeze native"] = folder / "原生定稿.xlsx"
    assert cli.main(["freeze", str(out["recalc native"]), "-o", str(out["freeze native"])]) == 0
    out["selfcheck"] = folder / "自检.xlsx"
    assert cli.main(["selfcheck", "-o", str(out["selfcheck"])]) == 0
    return out


@pytest.mark.parametrize("kind", OUTPUTS)
def test_every_output_passes_strict_readers_and_the_validator(outputs, kind):
    assert_clean(outputs[kind])


def test_the_checks_catch_what_they_are_for(tmp_path):
    """The sweep fails for the faults it exists for: the undeclared vt: prefix earlier
    versions wrote into docProps/custom.xml, a part without a content type, a dangling
    relationship, a repeated id."""
    src = tmp_path / "模板.xlsx"
    assert cli.main(["template", "-o", str(src)]) == 0
    bad = tmp_path / "坏.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(bad, "w") as zout:
        for zi in zin.infolist():
            data = zin.read(zi)
            if zi.filename == "docProps/custom.xml":  # what earlier versions wrote after openpyxl's part
                data = (b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties">'
                        b'<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="x"><vt:lpwstr>y</vt:lpwstr></property></Properties>')
            if zi.filename == "_rels/.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rId1" Type="x" Target="nowhere.xml"/></Relationships>')
            zout.writestr(zi, data)
        zout.writestr("xl/media/extra.bin", b"\0")
    problems = strict_problems(bad)
    assert any(p.startswith("docProps/custom.xml: Namespace prefix vt") for p in problems), problems
    assert "xl/media/extra.bin: no content type" in problems
    assert "_rels/.rels: rId1 points at a missing part nowhere.xml" in problems
    assert "_rels/.rels: relationship id rId1 used 2 times" in problems
    assert any("custom.xml" in part for part, _ in validator_findings(bad))


#: openxml-audit takes minutes over a 1 MB workbook with drawings; the corpus's 166
#: workbooks of up to this size take about a minute, the others get the strict checks only
VALIDATED_CORPUS_BYTES = 30_000


def test_recalculating_the_excel_corpus_adds_no_problem(tmp_path):
    """Excel-saved inputs may carry findings of their own; recalculation adds none."""
    folders = [CORPUS_DIR, CORPUS_DIR.parent / "excel-saved-2"]
    inputs = [p for folder in folders if folder.is_dir() for p in corpus_workbooks(folder) if "clusterfuzz" not in p.name]
    if not inputs:
        pytest.skip("the Excel corpus is not beside the project")
    given, results = tmp_path / "输入", tmp_path / "结果"
    given.mkdir()
    for workbook in inputs:
        shutil.copy(workbook, given / workbook.name)
    assert cli.main(["recalc", str(given), "-o", str(results), "-j", "2"]) == 0
    added = {}
    for workbook in inputs:
        out = results / workbook.name
        problems = sorted(set(strict_problems(out)) - set(strict_problems(workbook)))
        if workbook.stat().st_size <= VALIDATED_CORPUS_BYTES:
            findings = validator_findings(out)
            if findings:  # the input's own findings do not count
                findings -= validator_findings(workbook)
            problems += [f"{part}: {description}" for part, description in findings]
        if problems:
            added[workbook.name] = problems
    assert added == {}
