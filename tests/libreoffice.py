"""LibreOffice headless, the one way the tests run it: what a user of LibreOffice sees.

Each run gets its own profile in the test's work folder, so runs never share state and
the settings that matter are explicit:

* ``recalculate``: LibreOffice's "Recalculation on file load" for Excel files
  (``OOXMLRecalcMode``): ``"always"`` (0), ``"never"`` (1), or ``None`` for LibreOffice's
  default ("never recalculate", cached values shown), which is what a user gets;
* ``locale``: the office locale (``"zh-CN"`` as a Chinese finance office has it, or
  ``"en-US"`` for TEXT's separators), ``None`` for the machine's.

A test that must prove LibreOffice recalculated plants a wrong cached value in every
formula cell first (:func:`plant_stale_values`) and checks none survives.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Optional

import pytest

#: One soffice run never takes this long on this machine; longer means it hangs.
SOFFICE_TIMEOUT = 600

#: The cached value planted in every formula cell before a forced recalculation.
STALE = -987654.321

_RECALC_MODES = {"always": 0, "never": 1}
_LANG = {"zh-CN": "zh_CN.UTF-8", "en-US": "en_US.UTF-8"}


def soffice_path() -> Optional[str]:
    return shutil.which("soffice") or shutil.which("libreoffice")


def required_soffice(what: str = "the LibreOffice comparison") -> str:
    """The soffice path; skips without LibreOffice, but fails under CI, which must run it."""
    path = soffice_path()
    if path is None:
        reason = "LibreOffice (soffice) is not installed"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI must run {what} (scripts/ensure-libreoffice installs it)", pytrace=False)
        pytest.skip(reason)
    return path


def _registry(recalculate: Optional[str], locale: Optional[str]) -> str:
    items = []
    if recalculate is not None:
        items.append('<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">'
                     f"<value>{_RECALC_MODES[recalculate]}</value></prop></item>")
    if locale is not None:
        items.append('<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse">'
                     f"<value>{locale}</value></prop></item>")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n' + "\n".join(items) + "\n</oor:items>\n")


def run_soffice(soffice: str, args: list[str], workdir: Path, *, recalculate: Optional[str] = None,
                locale: Optional[str] = None) -> None:
    """One soffice run with its own profile in ``workdir``."""
    profile = workdir / "profile"
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(_registry(recalculate, locale), encoding="utf-8")
    env = dict(os.environ)
    if locale is not None:
        env.update(LANG=_LANG.get(locale, "C.UTF-8"), LC_ALL="C.UTF-8")
    try:
        proc = subprocess.run(
            [soffice, "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}", *args],
            capture_output=True, text=True, timeout=SOFFICE_TIMEOUT, cwd=workdir, env=env,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"soffice did not finish within {SOFFICE_TIMEOUT} s: {args}", pytrace=False)
    assert proc.returncode == 0, f"soffice failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"


def recalculated_xlsx(soffice: str, source: Path, workdir: Path, *, locale: Optional[str] = "zh-CN",
                      recalculate: Optional[str] = "always") -> Path:
    """``source`` opened by LibreOffice (recalculated on load unless told otherwise) and saved as .xlsx."""
    outdir = workdir / "out"
    outdir.mkdir(parents=True, exist_ok=True)
    run_soffice(soffice, ["--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(outdir), str(source)], workdir,
                recalculate=recalculate, locale=locale)
    out = outdir / (source.stem + ".xlsx")
    assert out.exists(), f"LibreOffice wrote no {out.name}: {sorted(os.listdir(outdir))}"
    return out


def plant_stale_values(path: Path) -> int:
    """Give every formula cell the wrong cached value :data:`STALE`, so a cell LibreOffice did
    not recalculate shows as a mismatch; returns how many were planted."""
    tmp = path.with_suffix(".tmp")
    planted = 0
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet"):
                text, n = re.subn(r'(<c\b[^>]*?)(?: t="\w+")?(>\s*<f\b[^>]*>[^<]*</f>)(?:<v\s*/>|<v>[^<]*</v>)?',
                                  rf'\1\2<v>{STALE}</v>', data.decode("utf-8"))
                planted += n
                data = text.encode("utf-8")
            dst.writestr(info, data)
    tmp.replace(path)
    return planted
