"""Every expression of cases.scm must answer as Guile 3.0 did (guile_cases.json).

Answers are compared as written text; an error is compared by its key only (vsys words
its messages for config authors, so the text differs from Guile's on purpose).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vsys.dsl import api
from vsys.dsl.datatypes import Values
from vsys.dsl.errors import SchemeError
from vsys.dsl.loader import new_user_module
from vsys.dsl.printer import write_string

CASES = json.loads((Path(__file__).parent / "guile_cases.json").read_text())
_modules: dict[str, object] = {}


def module_for(imports: str):
    """A module seeing (guile) and `imports` only, as Guile's fresh user module does."""
    module = _modules.get(imports)
    if module is None:
        api.boot()
        module = new_user_module(("builtins-test", str(len(_modules))), imports=[("guile",)])
        if imports:
            api.eval_string(f"(use-modules {imports})", module)
        _modules[imports] = module
    return module


def answer(imports: str, expr: str) -> str:
    try:
        value = api.eval_string(expr, module_for(imports))
    except SchemeError as e:
        cond = e.condition
        return f"ERROR {cond.key.name if cond else 'non-condition'}"
    if type(value) is Values:
        return " ".join(write_string(v) for v in value.items)
    return write_string(value)


@pytest.mark.parametrize("imports,expr,expected", CASES, ids=[c[1][:60] for c in CASES])
def test_answers_as_guile(imports, expr, expected):
    assert answer(imports, expr) == expected
