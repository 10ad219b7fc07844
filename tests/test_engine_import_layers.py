"""The engine's and the package layer's modules import one way: no two modules import each
other (at the top or inside a function), so each can be read, and loaded, after the modules
it builds on."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "xladdin"


def _modules():
    mods = {}
    for f in ROOT.rglob("*.py"):
        parts = f.relative_to(ROOT.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        mods[name] = f
    return mods


def _imports(name, path, mods):
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            submodules = [target + "." + a.name for a in node.names if target + "." + a.name in mods]
            found.update(submodules or ([target] if target in mods else []))
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name in mods)
    found.discard(name)
    return found


def test_no_two_modules_import_each_other():
    mods = _modules()
    graph = {name: _imports(name, path, mods) for name, path in mods.items()}
    both_ways = sorted({tuple(sorted((a, b))) for a in graph for b in graph[a] if a in graph.get(b, ())})
    # a package's __init__ may import the modules it gathers, which import their siblings
    # through the package: only real module pairs count
    both_ways = [(a, b) for a, b in both_ways if not (mods[a].name == "__init__.py" or mods[b].name == "__init__.py")]
    assert not both_ways, both_ways
