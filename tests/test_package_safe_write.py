"""Writing safely: never clobber a file by accident, never leave half a file."""

from __future__ import annotations

import errno
import os
import stat

import pytest

from package_builders import build_package, sheet_xml
from xladdin.xlsx import PackageError, WorkbookPackage, writer

SHEET = sheet_xml('<row r="1"><c r="A1"><v>2</v></c><c r="B1"><f>A1*3</f><v>0</v></c></row>')


@pytest.fixture
def src(tmp_path):
    return build_package(tmp_path / "部门C.xlsx", [("S", SHEET)])


def snapshot(folder):
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def test_existing_target_needs_replace(src, tmp_path):
    target = tmp_path / "已有.xlsx"
    target.write_bytes(b"keep me")
    before = snapshot(tmp_path)
    with pytest.raises(PackageError) as ei:
        WorkbookPackage.open(src).write({("S", "B1"): 6}, target)
    assert "已存在" in ei.value.message_zh and "已有.xlsx" in ei.value.message_zh
    assert snapshot(tmp_path) == before


def test_source_named_as_target_is_refused_without_replace(src, tmp_path):
    before = snapshot(tmp_path)
    with pytest.raises(PackageError) as ei:
        WorkbookPackage.open(src).write({("S", "B1"): 6}, src)
    assert "源文件" in ei.value.message_zh
    assert snapshot(tmp_path) == before


def test_in_place_update_with_replace(src, tmp_path):
    os.chmod(src, 0o640)
    WorkbookPackage.open(src).write({("S", "B1"): 6}, src, replace=True)
    assert WorkbookPackage.open(src).cells[("S", "B1")].value == 6
    assert stat.S_IMODE(os.stat(src).st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["部门C.xlsx"]  # no temp file left


def test_new_file_gets_ordinary_permissions(src, tmp_path):
    out = tmp_path / "新.xlsx"
    WorkbookPackage.open(src).write({("S", "B1"): 6}, out)
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o666 & ~umask


def test_read_only_target_is_refused(src, tmp_path):
    pkg = WorkbookPackage.open(src)
    os.chmod(src, 0o444)
    before = snapshot(tmp_path)
    try:
        with pytest.raises(PackageError) as ei:
            pkg.write({("S", "B1"): 6}, src, replace=True)
    finally:
        os.chmod(src, 0o644)
    assert "只读" in ei.value.message_zh
    assert snapshot(tmp_path) == before


def test_read_only_folder_is_refused(src, tmp_path, monkeypatch):
    pkg = WorkbookPackage.open(src)
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, m, **kw: False if os.fspath(p) == str(tmp_path) else real_access(p, m, **kw))
    before = snapshot(tmp_path)
    with pytest.raises(PackageError) as ei:
        pkg.write({("S", "B1"): 6}, tmp_path / "out.xlsx")
    assert "没有权限" in ei.value.message_zh
    assert snapshot(tmp_path) == before


def test_permission_denied_when_creating_temp_file(src, tmp_path, monkeypatch):
    pkg = WorkbookPackage.open(src)

    def denied(*a, **kw):
        raise PermissionError(errno.EACCES, "denied")

    monkeypatch.setattr(os, "open", denied)
    with pytest.raises(PackageError) as ei:
        pkg.write({("S", "B1"): 6}, tmp_path / "out.xlsx")
    assert "没有权限" in ei.value.message_zh
    assert sorted(p.name for p in tmp_path.iterdir()) == ["部门C.xlsx"]


def test_target_locked_by_another_program(src, tmp_path, monkeypatch):
    """os.replace fails with PermissionError when Excel holds the file (Windows)."""
    pkg = WorkbookPackage.open(src)
    before = snapshot(tmp_path)

    def locked(a, b):
        raise PermissionError(errno.EACCES, "in use")

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(PackageError) as ei:
        pkg.write({("S", "B1"): 6}, src, replace=True)
    assert "Excel" in ei.value.message_zh
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), PackageError),
        (OSError(errno.EIO, "I/O error"), PackageError),
        (KeyboardInterrupt(), KeyboardInterrupt),
        (RuntimeError("boom"), RuntimeError),
    ],
)
def test_failure_mid_write_leaves_everything_untouched(src, tmp_path, monkeypatch, exc, expected):
    pkg = WorkbookPackage.open(src)
    before = snapshot(tmp_path)

    def fail(fd):
        raise exc

    monkeypatch.setattr(os, "fsync", fail)
    with pytest.raises(expected) as ei:
        pkg.write({("S", "B1"): 6}, src, replace=True)
    if expected is PackageError and exc.errno == errno.ENOSPC:
        assert "磁盘空间不足" in ei.value.message_zh
    assert snapshot(tmp_path) == before  # source intact, no temp file


def test_failure_while_building_the_zip(src, tmp_path, monkeypatch):
    pkg = WorkbookPackage.open(src)
    out = tmp_path / "out.xlsx"
    out.write_bytes(b"old")
    before = snapshot(tmp_path)

    def broken(self, new_parts):
        raise MemoryError

    monkeypatch.setattr(writer, "build_zip", broken)
    with pytest.raises(MemoryError):
        pkg.write({("S", "B1"): 6}, out, replace=True)
    assert snapshot(tmp_path) == before


def test_bad_result_value_writes_nothing(src, tmp_path):
    with pytest.raises(TypeError):
        WorkbookPackage.open(src).write({("S", "B1"): [1, 2]}, tmp_path / "out.xlsx")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["部门C.xlsx"]


def test_missing_target_folder(src, tmp_path):
    with pytest.raises(PackageError) as ei:
        WorkbookPackage.open(src).write({}, tmp_path / "没有" / "out.xlsx")
    assert "文件夹不存在" in ei.value.message_zh


def test_extension_must_match_macros(tmp_path):
    xlsm = build_package(tmp_path / "宏.xlsm", [("S", SHEET)], macro=True)
    with pytest.raises(PackageError) as ei:
        WorkbookPackage.open(xlsm).write({}, tmp_path / "宏.xlsx")
    assert ".xlsm" in ei.value.message_zh
    plain = build_package(tmp_path / "plain.xlsx", [("S", SHEET)])
    with pytest.raises(PackageError):
        WorkbookPackage.open(plain).write({}, tmp_path / "plain.xlsm")
    assert not (tmp_path / "宏.xlsx").exists() and not (tmp_path / "plain.xlsm").exists()


def test_target_is_a_folder(src, tmp_path):
    (tmp_path / "dir.xlsx").mkdir()
    with pytest.raises(PackageError):
        WorkbookPackage.open(src).write({}, tmp_path / "dir.xlsx", replace=True)


def test_source_changes_after_open_do_not_leak_into_output(src, tmp_path):
    """The package keeps the bytes it read; the output never mixes two files."""
    pkg = WorkbookPackage.open(src)
    src.write_bytes(b"overwritten by someone")
    out = tmp_path / "out.xlsx"
    pkg.write({("S", "B1"): 6}, out)
    assert WorkbookPackage.open(out).cells[("S", "B1")].value == 6


def test_temp_file_lives_beside_target(src, tmp_path, monkeypatch):
    seen = []
    real_replace = os.replace

    def spy(a, b):
        seen.append((os.path.dirname(a), os.path.basename(a)))
        return real_replace(a, b)

    monkeypatch.setattr(os, "replace", spy)
    WorkbookPackage.open(src).write({("S", "B1"): 6}, tmp_path / "out.xlsx")
    assert seen and seen[0][0] == str(tmp_path) and seen[0][1].endswith(".tmp")
