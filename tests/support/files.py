"""Files a test writes and reads."""

from __future__ import annotations

import hashlib
import os
import textwrap


def write(path, text: str):
    """TEXT, dedented, in the file PATH (its folders made): PATH."""
    os.makedirs(os.path.dirname(str(path)) or ".", exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(textwrap.dedent(text))
    return path


def read(path) -> str:
    with open(path, encoding="utf-8") as f:
        return f.read()


def digest(path) -> str:
    """The file's SHA-256, or "?" when it cannot be read."""
    try:
        with open(path, "rb") as f:
            return hashlib.sha256(f.read()).hexdigest()
    except OSError:
        return "?"
