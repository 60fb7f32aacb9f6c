"""Helpers of the core stdlib tests: evaluate a config the way vsys does."""

from __future__ import annotations

import pytest

from vsys.dsl.api import eval_string
from vsys.dsl.errors import SchemeError, format_error
from vsys.stdlib import config_module


def ev(text: str, filename: str = "config.scm"):
    """Evaluate TEXT in a fresh config module (which sees (gnu)); return the last value."""
    return eval_string(text, config_module(), filename)


def error_of(text: str, filename: str = "config.scm") -> str:
    """The formatted error TEXT raises: `FILE:LINE:COL: error: ...` and hints."""
    with pytest.raises(SchemeError) as info:
        ev(text, filename)
    return format_error(info.value)
