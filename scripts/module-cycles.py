#!/usr/bin/env python3
"""Lists the `use crate::` edges between top-level modules of each crate in
src/ and crates/*/src, and fails if any module imports one that imports it
back (directly or around a longer circle).

An edge a -> b is any `crate::b` path in a file of module a (`use` lines and
paths written inline), or `crate::Item` where the crate root re-exports
`Item` from b (`pub use b::{Item, ...}`); a module's submodules count as the
module itself.
Tests (`#[cfg(test)] mod tests` blocks) are left out: they may reach anywhere."""
import pathlib, re, sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
PATH = re.compile(r"\bcrate::(?:\{([^}]*)\}|(\w+))")

def top_module(src: pathlib.Path, file: pathlib.Path) -> str:
    parts = file.relative_to(src).with_suffix("").parts
    if parts[0] in ("lib", "main"):
        return "(root)"
    return parts[0]

def code_of(text: str) -> str:
    """The file without its tests and comments (doc links are not imports)."""
    cut = text.find("#[cfg(test)]\nmod tests")
    text = text if cut < 0 else text[:cut]
    return "\n".join(line.split("//")[0] for line in text.splitlines())

REEXPORT = re.compile(r"pub use (\w+)::(?:\{([^}]*)\}|(\w+));", re.S)

def reexports(src: pathlib.Path) -> dict:
    """Item name -> the module the crate root re-exports it from."""
    items = {}
    for root in ("lib.rs", "main.rs"):
        if (src / root).exists():
            for m in REEXPORT.finditer((src / root).read_text()):
                for item in (m.group(2) or m.group(3)).split(","):
                    if item.strip():
                        items[item.strip()] = m.group(1)
    return items

def edges_of(src: pathlib.Path):
    items = reexports(src)
    edges = set()
    for file in src.rglob("*.rs"):
        if "bin" in file.relative_to(src).parts:
            continue
        a = top_module(src, file)
        for m in PATH.finditer(code_of(file.read_text())):
            names = [m.group(2)] if m.group(2) else [
                n.strip().split("::")[0] for n in m.group(1).split(",") if n.strip()]
            for b in names:
                b = items.get(b, b)
                is_module = (src / f"{b}.rs").exists() or (src / b / "mod.rs").exists()
                if b != a and is_module:
                    edges.add((a, b))
    return edges

def cycles(edges):
    graph = {}
    for a, b in edges:
        graph.setdefault(a, set()).add(b)
    found, state = [], {}
    def visit(node, path):
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                found.append(path[path.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = "done"
    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    return found

status = 0
for src in [ROOT / "src"] + sorted(ROOT.glob("crates/*/src")):
    edges = edges_of(src)
    name = src.parent.relative_to(ROOT) if src.parent != ROOT else pathlib.Path(".")
    print(f"{name}:")
    for a, b in sorted(edges):
        print(f"  {a} -> {b}")
    for c in cycles(edges):
        print(f"  CYCLE: {' -> '.join(c)}")
        status = 1
print("no cycles" if status == 0 else "cycles found")
sys.exit(status)
