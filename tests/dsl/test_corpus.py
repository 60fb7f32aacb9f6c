"""Differential corpus: every program in tests/corpus must behave as under Guile 3.0.

Each `NNN-topic.scm` has its recorded Guile stdout in `NNN-topic.out`; a
`NNN-topic.status` file means Guile exited with that non-zero status (the program ends
with an uncaught error), in which case only stdout and "the status is non-zero" are
compared. See tests/corpus/README.md for adding programs and re-recording.
"""

from __future__ import annotations

import importlib.util
import io
import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from vsys.dsl import modules
from vsys.dsl.api import run_file

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
PROGRAMS = sorted(CORPUS.glob("[0-9][0-9][0-9]-*.scm"))

# One runaway program must not stall the whole suite.
CASE_TIMEOUT = 20.0
# Deep non-tail recursion in a program may use a deep host stack; give the worker
# thread room so a shortfall shows up as a failed case rather than a crash.
WORKER_STACK_SIZE = 256 * 1024 * 1024


def _load_recorder():
    spec = importlib.util.spec_from_file_location("corpus_record", CORPUS / "record.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


record = _load_recorder()


def _run_in_thread(path: Path) -> tuple[int, str, str]:
    # Scheme modules a program loads are forgotten after it, as a process ending would:
    # later tests in this process (the REPL's ,apropos) see the registry they expect.
    before = set(modules.loaded_module_names())
    try:
        return _run(path, run_file)
    finally:
        for name in set(modules.loaded_module_names()) - before:
            if not modules.is_builtin(name):
                modules.forget_module(name)


def _run(path: Path, run_file) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    outcome: dict[str, object] = {}

    def target() -> None:
        try:
            outcome["status"] = run_file(str(path), stdout, stderr)
        except BaseException as exc:  # reported by the test, not swallowed
            outcome["exception"] = exc

    previous = threading.stack_size(WORKER_STACK_SIZE)
    try:
        worker = threading.Thread(target=target, name=f"corpus-{path.stem}", daemon=True)
        worker.start()
    finally:
        threading.stack_size(previous)
    worker.join(CASE_TIMEOUT)
    if worker.is_alive():
        pytest.fail(
            f"{path.name}: still running after {CASE_TIMEOUT:.0f}s\n"
            f"--- stdout so far ---\n{stdout.getvalue()[-2000:]}"
        )
    if "exception" in outcome:
        raise outcome["exception"]  # type: ignore[misc]
    return outcome["status"], stdout.getvalue(), stderr.getvalue()  # type: ignore[return-value]


def test_corpus_is_complete():
    assert len(PROGRAMS) >= 150
    missing = [p.name for p in PROGRAMS if not p.with_suffix(".out").exists()]
    assert not missing, f"programs without a recording: {missing}"
    orphans = [
        p.name
        for p in sorted(CORPUS.glob("*.out")) + sorted(CORPUS.glob("*.status"))
        if not p.with_suffix(".scm").exists()
    ]
    assert not orphans, f"recordings without a program: {orphans}"


@pytest.mark.parametrize("program", PROGRAMS, ids=[p.stem for p in PROGRAMS])
def test_program_matches_guile(program: Path):
    want = record.expected(program)
    status, out, err = _run_in_thread(program)

    expected_out = want.stdout.decode("utf-8")
    assert out == expected_out, (
        f"{program.name}: stdout differs from Guile's\n--- stderr ---\n{err}"
    )
    if want.status == 0:
        assert status == 0, \
            f"{program.name}: exit status {status}, Guile's is 0\n--- stderr ---\n{err}"
    else:
        assert status != 0, f"{program.name}: exit status 0, Guile's is {want.status}"


def test_recordings_are_current():
    guile = record.guile_binary()
    if guile is None:
        if os.environ.get("CI") == "true":
            pytest.fail("guile is not installed (package guile-3.0); CI must check the recordings")
        pytest.skip("guile is not installed (install the guile-3.0 package to check recordings)")
    with ThreadPoolExecutor(max_workers=min(8, (os.cpu_count() or 2))) as pool:
        fresh = dict(zip(PROGRAMS, pool.map(lambda p: record.run_guile(p, guile), PROGRAMS)))
    stale = [p.name for p, rec in fresh.items() if rec != record.expected(p)]
    assert not stale, (
        "recordings differ from what guile prints now; re-record with "
        f"`python tests/corpus/record.py`: {stale}"
    )
