"""What the code's comments and docstrings point a reader to exists: every dotted `vsys.`
name imports (a module, or an attribute of one), and every document they cite is a file
of the repository (docs/design.md, say; never a document only its authors had).

Each file is its own case. The files other work is rewriting now carry their remaining
hits as strict expected failures: once a file is mended its case passes, and the strict
mark fails until it is taken off."""

from __future__ import annotations

import ast
import importlib
import io
import os
import re
import tokenize

import pytest
from support.paths import REPO

CODE = ("dsl", "stdlib", "builders", "vsys", "tests", "bench", "scripts")
SKIPPED = {os.path.join("tests", "corpus")}

# A dotted name of the package, not part of a path or a longer word.
DOTTED = re.compile(r"(?<![\w./-])vsys(?:\.[A-Za-z_]\w*)+")
# A cited document: a Markdown file's name, with its folders if any.
DOCUMENT = re.compile(r"(?<![\w.-])[\w./-]*\w\.md\b")
# Somewhere only the authors' machine has.
OUTSIDE = re.compile(r"(?<![\w.])/work/[\w./-]+|\bspec/reference\b|\bseeds/\d")

def python_files() -> list[str]:
    found = []
    for top in CODE:
        for dirpath, dirnames, files in os.walk(os.path.join(REPO, top)):
            rel = os.path.relpath(dirpath, REPO)
            dirnames[:] = sorted(d for d in dirnames if d != "__pycache__"
                                 and os.path.join(rel, d) not in SKIPPED)
            found += [os.path.join(rel, f) for f in sorted(files) if f.endswith(".py")]
    return found


def prose(path: str) -> list[tuple[int, str]]:
    """The comments and docstrings of the Python file PATH: (line, text)."""
    with open(os.path.join(REPO, path), encoding="utf-8") as f:
        source = f.read()
    out = [(t.start[0], t.string) for t in tokenize.generate_tokens(io.StringIO(source).readline)
           if t.type == tokenize.COMMENT]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            doc = ast.get_docstring(node, clean=False)
            if doc is not None:
                out.append((node.body[0].lineno, doc))
    return out


def imports(name: str) -> bool:
    """Whether NAME is a module, or an attribute of the longest module it starts with."""
    parts = name.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        try:
            for attr in parts[i:]:
                obj = getattr(obj, attr)
        except AttributeError:
            return False
        return True
    return False


def cited_elsewhere(path: str, document: str) -> bool:
    """Whether DOCUMENT, as PATH cites it, is not a file of the repository (relative to
    the repository's top or to PATH's folder)."""
    return not any(os.path.isfile(os.path.join(base, document))
                   for base in (REPO, os.path.join(REPO, os.path.dirname(path))))


def hits(path: str) -> list[str]:
    found = []
    for line, text in prose(path):
        found += [f"{path}:{line}: {n} does not import" for n in DOTTED.findall(text)
                  if not imports(n)]
        found += [f"{path}:{line}: cites {d}, which is not in the repository"
                  for d in DOCUMENT.findall(text) if cited_elsewhere(path, d)]
        found += [f"{path}:{line}: cites {m}, outside the repository"
                  for m in OUTSIDE.findall(text)]
    return found


@pytest.mark.parametrize("path", python_files())
def test_comments_and_docstrings_point_to_what_exists(path):
    assert hits(path) == []


def test_the_check_finds_what_it_is_for(tmp_path, monkeypatch):
    """A wrong name, a document outside the repository and an author's path are found;
    a module, a module's attribute and a document of the repository are not."""
    monkeypatch.setitem(globals(), "REPO", str(tmp_path))
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "design.md").write_text("# Design\n")
    (tmp_path / "m.py").write_text(
        '"""Uses vsys.state.socket_path and vsys.dsl (see docs/design.md)."""\n'
        "# vsys.state.no_such_thing, as design.md says\n"
        "X = 'vsys.not_checked'  # reference.md; /work/shared/spec/reference.md\n")
    assert hits("m.py") == [
        "m.py:2: vsys.state.no_such_thing does not import",
        "m.py:2: cites design.md, which is not in the repository",
        "m.py:3: cites reference.md, which is not in the repository",
        "m.py:3: cites /work/shared/spec/reference.md, outside the repository",
    ]
