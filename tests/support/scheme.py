"""Scheme run in this process, as `vsys run FILE` runs it."""

from __future__ import annotations

import io

from vsys.dsl import api


def run_file(path) -> tuple[int, str, str]:
    """Run the file PATH: (its exit status, what it wrote to stdout, to stderr)."""
    out, err = io.StringIO(), io.StringIO()
    status = api.run_file(str(path), out, err)
    return status, out.getvalue(), err.getvalue()
