#!/usr/bin/env python3
"""The import rule of docs/architecture.md, checked on the source text.

The kernel and shared pieces sit at the bottom; an area (a vertical slice)
may use them, never another area. Tests of an area may set up scenarios
through another area's services, but never call its server functions
(`api`) or pages. lib.rs and demo.rs put everything together and may import
anything. Exit 1 with one line per breach.
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent / "app" / "src"
# Below every area: the identity kernel, notifications, plumbing, the design
# system and the page frame.
SHARED = {"auth", "notify", "platform", "ui", "format", "error", "errors", "site", "layout"}
AREAS = {"account", "security", "staff", "home", "dev", "help"}
ROOTS = {"lib.rs", "demo.rs"}

USE = re.compile(r"crate::(\{[^}]*\}|\w+)(?:::(\w+))?")


def owner(path: pathlib.Path) -> str:
    rel = path.relative_to(ROOT)
    return rel.parts[0].removesuffix(".rs")


def is_test(path: pathlib.Path) -> bool:
    return path.name == "tests.rs" or "tests" in path.relative_to(ROOT).parts[:-1]


def imported(text: str):
    """(top module, next segment) for every `crate::…` path in the text."""
    for m in USE.finditer(text):
        head, sub = m.group(1), m.group(2)
        if head.startswith("{"):
            for name in re.findall(r"\b(\w+)\b", head):
                yield name, None
        else:
            yield head, sub


def main() -> int:
    breaches = []
    for path in sorted(ROOT.rglob("*.rs")):
        rel = path.relative_to(ROOT)
        if str(rel) in ROOTS:
            continue
        me = owner(path)
        text = path.read_text(encoding="utf-8")
        for lineno, line in enumerate(text.splitlines(), 1):
            if line.lstrip().startswith("//"):
                continue
            for top, sub in imported(line):
                if top not in AREAS or top == me:
                    continue
                if me in SHARED:
                    breaches.append(f"app/src/{rel}:{lineno}: the {me} layer imports the {top} area")
                elif not is_test(path):
                    breaches.append(f"app/src/{rel}:{lineno}: the {me} area imports the {top} area")
                elif sub in ("api", "pages"):
                    breaches.append(f"app/src/{rel}:{lineno}: a test of {me} calls {top}::{sub}")
    for b in breaches:
        print(b)
    if breaches:
        print(f"{len(breaches)} import(s) break the layer rule (docs/architecture.md)", file=sys.stderr)
        return 1
    print("layers: no area imports another (docs/architecture.md)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
