#!/usr/bin/env python3
"""The import rule of docs/architecture.md, checked on the source text.

The kernel and shared pieces sit at the bottom; an area (a vertical slice)
may use them, never another area. Tests of an area may set scenarios up
through another area's services, but never call its server functions
(`api`) or pages. lib.rs and demo.rs put everything together and may import
anything. Every top-level module of app/src that is not shared or a root is
an area, so a new area is checked from its first file. `super::super`
paths that climb out of an area are refused too. Exit 1 with one line per
breach.
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent / "app" / "src"
# Below every area: the identity kernel, notifications, plumbing, the design
# system, the page frame, and the test support of service tests.
SHARED = {"auth", "charges", "notify", "platform", "ui", "format", "error", "errors", "site", "layout", "testing"}
ROOTS = {"lib", "demo"}

PATH = re.compile(r"crate\s*::\s*(\{|\w+)(?:\s*::\s*(\w+))?")
COMMENT = re.compile(r"//[^\n]*")


def modules() -> set:
    names = {p.stem for p in ROOT.glob("*.rs")} | {p.name for p in ROOT.iterdir() if p.is_dir()}
    return names


def owner(path: pathlib.Path) -> str:
    return path.relative_to(ROOT).parts[0].removesuffix(".rs")


def is_test(path: pathlib.Path) -> bool:
    return path.name == "tests.rs" or "tests" in path.relative_to(ROOT).parts[:-1]


def braces(text: str, start: int) -> str:
    """The text of the `{ … }` group opening at `start`, nested groups included."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return text[start + 1 : i]
    return text[start + 1 :]


def imported(text: str):
    """(line, top module, next segment) of every `crate::…` path, across lines."""
    for m in PATH.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        if m.group(1) == "{":
            group = braces(text, m.start(1))
            # Top-level names of the group: `a`, `a::b`, `a::{…}`.
            depth = 0
            token = ""
            for ch in group + ",":
                if ch == "{":
                    depth += 1
                elif ch == "}":
                    depth -= 1
                elif ch == "," and depth == 0:
                    parts = [p.strip() for p in token.split("::")]
                    if parts and parts[0]:
                        yield line, parts[0], parts[1] if len(parts) > 1 else None
                    token = ""
                    continue
                if depth == 0:
                    token += ch
        else:
            yield line, m.group(1), m.group(2)


def main() -> int:
    breaches = []
    areas = modules() - SHARED - ROOTS
    for path in sorted(ROOT.rglob("*.rs")):
        rel = path.relative_to(ROOT)
        me = owner(path)
        if me in ROOTS:
            continue
        text = COMMENT.sub("", path.read_text(encoding="utf-8"))
        depth = len(rel.parts) - 1  # folders below app/src
        # Only chains of two or more: a lone `super` is the parent module
        # (or, in an inline `mod tests`, the file itself).
        for m in re.finditer(r"(?:super\s*::\s*){2,}", text):
            climbs = m.group(0).count("super")
            # A file `a/b.rs` is module a::b: one `super` reaches a, two reach the crate.
            if path.name == "mod.rs":
                climbs += 1
            if climbs > depth:
                line = text.count("\n", 0, m.start()) + 1
                breaches.append(f"app/src/{rel}:{line}: `super::` climbs out of {me}/ (name the layer with crate::)")
        for line, top, sub in imported(text):
            if top not in areas or top == me:
                continue
            if me in SHARED:
                breaches.append(f"app/src/{rel}:{line}: the {me} layer imports the {top} area")
            elif not is_test(path):
                breaches.append(f"app/src/{rel}:{line}: the {me} area imports the {top} area")
            elif sub in ("api", "pages"):
                breaches.append(f"app/src/{rel}:{line}: a test of {me} calls {top}::{sub}")
    for b in breaches:
        print(b)
    if breaches:
        print(f"{len(breaches)} import(s) break the layer rule (docs/architecture.md)", file=sys.stderr)
        return 1
    print(f"layers: no area imports another ({', '.join(sorted(areas))}; docs/architecture.md)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
