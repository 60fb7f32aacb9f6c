"""The rule, tested by fuzzing: an example config with realistic mistakes (fuzz_mutate.py)
either builds, or is refused with `FILE:LINE:COLUMN: error: ...` (or a `vsys: ...` line
for a problem that is not the config's) — never another exception, an internal error
(exit 70), Python text in the message or a hang.  Derandomized, so every run checks the
same cases; tests/fuzz/run_fuzz.py runs many more by hand.

The reader alone gets random text (only its located read error may come out), and the
REPL gets mutated configs line by line (it must report, never print an internal error).
"""

from __future__ import annotations

import io
import os
import random
import re

import fuzz_harness
import fuzz_mutate
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vsys.dsl.errors import SchemeError
from vsys.dsl.reader import is_complete, read_located
from vsys.repl import Session

pytestmark = pytest.mark.slow

FUZZ = settings(max_examples=300, deadline=None, derandomize=True, database=None,
                suppress_health_check=list(HealthCheck))


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    saved = os.environ.get("VSYS_STATE_DIR")
    ws = fuzz_harness.Workspace(str(tmp_path_factory.mktemp("fuzz")))
    ws.corpus = fuzz_mutate.Corpus(list(ws.sources.values()))
    yield ws
    if saved is None:
        os.environ.pop("VSYS_STATE_DIR", None)
    else:
        os.environ["VSYS_STATE_DIR"] = saved


def _case(workspace, seed: int, mutations: list[str] | None = None) -> tuple[bytes, list]:
    rng = random.Random(seed)
    name = rng.choice(sorted(workspace.sources))
    return fuzz_mutate.mutate(rng, workspace.sources[name], workspace.corpus, names=mutations)


def _check(workspace, seed: int, mutations: list[str] | None = None) -> None:
    text, done = _case(workspace, seed, mutations)
    out = fuzz_harness.build(workspace.write(text), timeout=10)
    assert not out.bad, f"seed {seed}: {'; '.join(done)}\n{out.kind}: {out.message}"
    assert out.seconds < 10


# Structure: parentheses, order, wrapping, prefixes, truncation, comments, bytes.
@FUZZ
@given(seed=st.integers(0, 2**32))
def test_syntax_mistakes_give_located_errors(workspace, seed):
    _check(workspace, seed, ["delete-paren", "duplicate-paren", "move-close-paren",
                             "swap-adjacent", "wrap", "unwrap", "prefix", "truncate",
                             "open-comment", "random-bytes"])


# Values and names: strings replaced, misspellings, arguments, records in the wrong place.
@FUZZ
@given(seed=st.integers(0, 2**32))
def test_value_mistakes_give_located_errors(workspace, seed):
    _check(workspace, seed, ["replace-string", "replace-atom", "misspell", "drop-argument",
                             "add-argument", "replace-record", "record-for-list",
                             "replace-form", "duplicate-form"])


@settings(max_examples=100, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(seed=st.integers(0, 2**32))
def test_vsys_build_never_exits_70(workspace, seed):
    """The same through `vsys build`'s own entry point: exit 0 or 1, and what it prints
    on failure is located (or a `vsys:` line)."""
    text, done = _case(workspace, seed)
    status, out, err = fuzz_harness.build_cli(workspace.write(text))
    assert status in (0, 1), f"seed {seed}: {'; '.join(done)}\n{err}"
    if status == 1:
        first = err.splitlines()[0]
        assert re.match(r"^[^\n]+:\d+:\d+: error: \S", first) or first.startswith("vsys: "), \
            f"seed {seed}: {'; '.join(done)}\n{err}"
        assert "internal error" not in err and "Traceback" not in err


READER_ALPHABET = list("()[]\"';`,@#|\\ \n\tabcxyz019.-+:/{}$~!?*<>=") + [
    "#|", "|#", "#;", "#\\", "#(", "#vu8(", "#u8(", "#:", "#t", "#f", "#e", "#x", "#b",
    "1/0", "1e999", "#\\x", "#\\space", "\\x41;", "\x00", "\u00e9", "\ufffd", "#!", "!#",
    "#{", "}#", "#'", "#~", "#$", "#@", "#$@", ".", " . ", "#<", "#d"]


@settings(max_examples=500, deadline=None, derandomize=True, database=None)
@given(st.lists(st.sampled_from(READER_ALPHABET), max_size=40).map("".join))
def test_the_reader_only_raises_its_located_read_error(text):
    for fn in (read_located, is_complete):
        try:
            fn(text, "f.scm") if fn is read_located else fn(text)
        except SchemeError as e:
            assert e.condition is not None and e.condition.key.name == "read-error", text
            assert e.loc is not None and e.loc.file == "f.scm", text


@settings(max_examples=40, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(seed=st.integers(0, 2**32))
def test_the_repl_reports_mutated_configs(workspace, seed):
    """A mutated config typed into the REPL line by line: each entry's error is
    reported and the session goes on; it never prints an internal error."""
    text, done = _case(workspace, seed)
    lines = text.decode("utf-8", "replace").replace("\x00", "").splitlines()
    out = io.StringIO()
    session = Session(out=out)
    for line in lines[:80] + [",services", ",describe operating-system"]:
        if line.lstrip().startswith(",q"):
            continue                  # a mutation that happens to spell ,quit
        assert session.feed(line) is not False
    assert "internal error" not in out.getvalue(), f"seed {seed}: {'; '.join(done)}\n" \
        f"{out.getvalue()[-2000:]}"
