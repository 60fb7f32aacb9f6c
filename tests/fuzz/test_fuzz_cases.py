"""What the config fuzzer found, kept as regression cases: each `cases/NAME.scm` is built
as `vsys build NAME.scm` from inside cases/, and what it prints on standard error must be
exactly `cases/NAME.err` (exit status 1), where `{cases}` stands for the cases directory
(errors listing the load path name it, and the checkout may live anywhere).  An empty
NAME.err is a config that must build (exit status 0, the generation's path on standard
output)."""

from __future__ import annotations

import os

import pytest
from fuzz_harness import build_cli

CASES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cases")
NAMES = sorted(n[:-4] for n in os.listdir(CASES) if n.endswith(".scm"))


@pytest.mark.parametrize("name", NAMES)
def test_fuzz_case_gives_its_located_error(name, state_dir, monkeypatch):
    monkeypatch.chdir(CASES)
    with open(f"{name}.err", encoding="utf-8") as f:
        expected = f.read().replace("{cases}", CASES)
    status, out, err = build_cli(f"{name}.scm")
    if expected:
        assert (status, err) == (1, expected)
        assert out == ""
    else:
        assert status == 0, err
        assert out.startswith(str(state_dir)) and out.endswith("-system\n")
