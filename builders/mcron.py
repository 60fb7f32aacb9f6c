"""The mcron jobs file: every job of the system, in Guile syntax, as GNU mcron reads it.

Each job is the lowered code of its gexp, `(job SCHEDULE COMMAND [NAME])`, written with
Scheme's `write`, so any string in it (a shell command, a job name) is escaped the way
Guile reads it back.
"""

from __future__ import annotations

from typing import Any

from vsys.dsl.printer import write_string

from .lowering import Items, build_error

HEADER = (";; The periodic jobs of this system, for GNU mcron.\n"
          ";; `mcron --schedule=5 FILE` lists the next five runs.\n")


def jobs_file(jobs: list, items: Items, where: Any = None) -> str:
    forms = []
    for job in jobs:
        text = write_string(items.lower(job))
        if "#<" in text:
            raise build_error(f"an mcron job refers to a value that cannot be written as "
                              f"code: {text[:200]}", getattr(job, "loc", None) or where)
        forms.append(text)
    return HEADER + "".join(f + "\n" for f in forms)
