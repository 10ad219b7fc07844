"""Framework and example files: found by name or path, ``extends`` resolved, validated."""
from __future__ import annotations

import copy
import marshal
import os
import sys
from pathlib import Path
from typing import Optional, Union

from .model import Framework, FrameworkError
from .validation import _Validator

PACKAGE_DIR = Path(__file__).resolve().parent
FRAMEWORKS_DIR = PACKAGE_DIR / "frameworks"
EXAMPLES_DIR = PACKAGE_DIR / "examples"


def list_frameworks() -> list[str]:
    """Names of the framework definitions shipped in workbook/frameworks/."""
    return sorted(p.stem for p in FRAMEWORKS_DIR.glob("*.toml"))


def list_examples() -> list[str]:
    return sorted(p.stem for p in EXAMPLES_DIR.glob("*.toml"))


def _resolve(name_or_path: Union[str, Path], directory: Path, what: str, base_dir: Optional[Path] = None) -> Path:
    if isinstance(name_or_path, Path) or str(name_or_path).endswith(".toml") or "/" in str(name_or_path) or "\\" in str(name_or_path):
        path = Path(name_or_path)
        if not path.is_absolute() and base_dir is not None and (base_dir / path).exists():
            path = base_dir / path
        return path
    if base_dir is not None and (base_dir / f"{name_or_path}.toml").exists():
        return base_dir / f"{name_or_path}.toml"
    return directory / f"{name_or_path}.toml"


def _read_toml(path: Path, what: str) -> dict:
    if not path.exists():
        known = list_frameworks() if what == "framework" else list_examples()
        raise FrameworkError(path, f"文件不存在（file not found）；已有的{'框架' if what == 'framework' else '示例'}：{', '.join(known) or '无'}")
    source = path.read_bytes()
    parsed = _kept_parse(path, source)
    if parsed is not None:
        return parsed
    import tomllib  # only when a file is parsed: most runs find it kept

    try:
        parsed = tomllib.loads(source.decode())
    except tomllib.TOMLDecodeError as exc:
        raise FrameworkError(path, f"TOML 格式错误（TOML syntax error）：{exc}") from None
    if not sys.dont_write_bytecode:
        keep_parse(path, source, parsed)
    return parsed


# A parsed file is kept beside it, as Python keeps a module's bytecode, and used while the
# file's bytes are the same (the kept copy holds them, and is compared): a one-workbook run then
# neither imports tomllib nor parses. Written when bytecode is written; scripts/setup
# writes those of the shipped files (`keep_shipped_parses`), as it compiles the modules.
_KEPT_FORMAT = b"xladdin parsed toml 2\n"


def _kept_path(path: Path) -> Path:
    return path.parent / "__pycache__" / f"{path.name}.{sys.implementation.cache_tag}.marshal"


def _kept_parse(path: Path, source: bytes) -> Optional[dict]:
    head = _KEPT_FORMAT + len(source).to_bytes(8, "little")
    try:
        kept = _kept_path(path).read_bytes()
        start = len(head) + len(source)
        if kept[:len(head)] == head and kept[len(head):start] == source:
            parsed = marshal.loads(kept[start:])
            if type(parsed) is dict:
                return parsed
    except (OSError, ValueError, EOFError, TypeError):
        pass  # none kept, or unreadable: parsed again
    return None


def keep_parse(path: Path, source: bytes, parsed: dict) -> None:
    """Keep ``parsed`` (the TOML ``source`` of ``path``) beside it; silently not where it
    cannot be written or holds what marshal cannot (TOML dates)."""
    target = _kept_path(path)
    try:
        data = _KEPT_FORMAT + len(source).to_bytes(8, "little") + source + marshal.dumps(parsed)
        target.parent.mkdir(exist_ok=True)
        temporary = target.with_name(f"{target.name}.{os.getpid()}.tmp")
        try:
            temporary.write_bytes(data)
            os.replace(temporary, target)
        finally:
            temporary.unlink(missing_ok=True)
    except (OSError, ValueError):
        pass


def keep_shipped_parses() -> int:
    """Keep the parse of every shipped framework and example (for scripts/setup); returns
    how many were kept."""
    import tomllib

    count = 0
    for path in sorted(FRAMEWORKS_DIR.glob("*.toml")) + sorted(EXAMPLES_DIR.glob("*.toml")):
        source = path.read_bytes()
        keep_parse(path, source, tomllib.loads(source.decode()))
        count += _kept_parse(path, source) is not None
    return count


def _merge_keyed(
    base: list[dict], override: list[dict], section: str, path: Path, child_lists: dict[str, str] | None = None, mark_origin: bool = True
) -> list[dict]:
    """Merge ``override`` entries into ``base`` by ``key`` (see the variant file's header)."""
    out = [copy.deepcopy(e) for e in base]
    index = {e.get("key"): i for i, e in enumerate(out)}
    for entry in override:
        if not isinstance(entry, dict) or "key" not in entry:
            raise FrameworkError(path, f"[[{section}]] 的覆盖项缺少 key 字段（override entry without key）")
        key = entry["key"]
        if entry.get("remove") is True:
            if key not in index:
                raise FrameworkError(path, f"[[{section}]] key = \"{key}\" 要删除（remove = true），但被继承的框架中没有此项", None)
            out[index[key]] = None  # type: ignore[assignment]
            continue
        if key in index and out[index[key]] is not None:
            target = out[index[key]]
            for field_name, value in entry.items():
                if child_lists and field_name in child_lists:
                    target[field_name] = _merge_keyed(target.get(field_name, []), value, child_lists[field_name], path, mark_origin=False)
                else:
                    target[field_name] = copy.deepcopy(value)
            if "score" in entry and "note" not in entry:
                target.pop("note", None)  # a new score formula gets its matching _NOTE
            if mark_origin:
                target["__origin__"] = str(path)
        else:
            new = copy.deepcopy(entry)
            if mark_origin:
                new["__origin__"] = str(path)
            out.append(new)
            index[key] = len(out) - 1
    return [e for e in out if e is not None]


def _load_raw(path: Path, seen: tuple[Path, ...] = ()) -> tuple[dict, list[str]]:
    """The definition as a plain dict with ``extends`` resolved; also the chain of files."""
    path = path.resolve()
    if path in seen:
        chain = " → ".join(p.name for p in (*seen, path))
        raise FrameworkError(path, f"extends 形成循环（circular extends）：{chain}")
    data = _read_toml(path, "framework")
    for section in ("level1", "level2", "indicator"):
        for e in data.get(section, []) or []:
            if isinstance(e, dict):
                e.setdefault("__origin__", str(path))
    parent_name = data.pop("extends", None)
    if parent_name is None:
        return data, [str(path)]
    if not isinstance(parent_name, str) or not parent_name:
        raise FrameworkError(path, "extends 应为框架名称或文件路径（extends must be a name or a path）")
    parent_path = _resolve(parent_name, FRAMEWORKS_DIR, "framework", base_dir=path.parent)
    if not parent_path.exists():
        raise FrameworkError(path, f"extends = \"{parent_name}\"：找不到被继承的框架（{parent_path}）")
    base, chain = _load_raw(parent_path, (*seen, path))
    merged: dict = {}
    fw = dict(base.get("framework", {}))
    fw.update(data.get("framework", {}))
    merged["framework"] = fw
    merged["level1"] = _merge_keyed(base.get("level1", []), data.get("level1", []), "level1", path)
    merged["level2"] = _merge_keyed(base.get("level2", []), data.get("level2", []), "level2", path)
    merged["indicator"] = _merge_keyed(
        base.get("indicator", []), data.get("indicator", []), "indicator", path, child_lists={"input": "indicator.input"}
    )
    for k, v in data.items():
        if k not in ("framework", "level1", "level2", "indicator"):
            merged[k] = v
    merged["__extends__"] = parent_name
    return merged, [*chain, str(path)]


def load_framework(name_or_path: Union[str, Path, "Framework"]) -> Framework:
    """Load and validate a framework: a name from ``list_frameworks()`` or a .toml path."""
    if isinstance(name_or_path, Framework):
        return name_or_path
    path = _resolve(name_or_path, FRAMEWORKS_DIR, "framework")
    memo = _LOADED.get(path)
    if memo is not None and memo[0] == _stamps(memo[1].sources or [str(path)]):
        return memo[1]
    raw, chain = _load_raw(path)
    framework = _Validator(path, raw, chain).build()
    _LOADED[path] = (_stamps(framework.sources or [str(path)]), framework)
    return framework


#: Frameworks already loaded in this process, by path, with the (size, mtime) of every
#: file of their ``extends`` chain: the department reader, the summary and the report
#: each ask for one, and parsing a definition costs more than a whole template's reading.
#: A file changed on disk is read again.
_LOADED: dict = {}


def _stamps(files) -> tuple:
    out = []
    for name in files:
        try:
            st = Path(name).stat()
        except OSError:
            return ()
        out.append((name, st.st_size, st.st_mtime_ns))
    return tuple(out)


def load_example(name_or_path: Union[str, Path]) -> dict:
    """An example data file: {"framework": name, "department": {...}, "values": {...}}."""
    path = _resolve(name_or_path, EXAMPLES_DIR, "example")
    data = _read_toml(path, "example")
    meta = data.get("meta", {})
    values = data.get("values", {})
    if not isinstance(values, dict):
        raise FrameworkError(path, "[values] 应为表（table）")
    return {
        "path": path,
        "framework": meta.get("framework"),
        "department": {
            "name": meta.get("department"),
            "year": meta.get("year"),
            "preparer": meta.get("preparer"),
        },
        "values": values,
    }
