#!/usr/bin/env python3
"""Lists the longest Rust functions and the largest files in src/ and crates/.

Usage: scripts/code-size.py [N]   (default 10). A function runs from its `fn`
line to the line of its matching closing brace (braces in strings, chars and
comments are skipped well enough for this code base)."""
import pathlib, re, sys

N = int(sys.argv[1]) if len(sys.argv) > 1 else 10
ROOT = pathlib.Path(__file__).resolve().parent.parent
FN = re.compile(r"^\s*(pub(\([^)]*\))?\s+)?(const\s+)?(async\s+)?(unsafe\s+)?fn\s+(\w+)")

def code_only(line):
    # Drop string/char literals and line comments so braces in them do not count.
    line = re.sub(r'"(\\.|[^"\\])*"', '""', line)
    line = re.sub(r"'(\\.|[^'\\])'", "''", line)
    return line.split("//")[0]

files = sorted(p for d in ("src", "crates") for p in (ROOT / d).rglob("*.rs") if "target" not in p.parts)
functions, sizes = [], []
for path in files:
    lines = path.read_text().splitlines()
    rel = path.relative_to(ROOT)
    sizes.append((len(lines), str(rel)))
    i = 0
    while i < len(lines):
        m = FN.match(lines[i])
        if not m:
            i += 1
            continue
        depth, opened, j = 0, False, i
        while j < len(lines):
            c = code_only(lines[j])
            if not opened and ";" in c and "{" not in c:
                break  # a declaration without a body
            depth += c.count("{") - c.count("}")
            opened = opened or "{" in c
            if opened and depth <= 0:
                functions.append((j - i + 1, f"{rel}:{i + 1}", m.group(6)))
                break
            j += 1
        i += 1

print(f"Longest functions (lines):")
for n, where, name in sorted(functions, reverse=True)[:N]:
    print(f"  {n:4}  {name}  ({where})")
print(f"Largest files (lines):")
for n, rel in sorted(sizes, reverse=True)[:N]:
    print(f"  {n:4}  {rel}")
