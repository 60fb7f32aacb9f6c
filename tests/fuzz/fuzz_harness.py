"""Running one (mutated) config through `vsys build`'s own path, in this process, and
judging the outcome against the product's rule: a config either builds, or is refused
with `FILE:LINE:COLUMN: error: ...` (or a `vsys: ...` line for a problem that is not the
config's) — never another exception, never an internal error, never a hang.

`Workspace` copies the examples (with the files they refer to) into a scratch directory
and points VSYS_STATE_DIR at a scratch state directory, so builds write only there.
"""

from __future__ import annotations

import ctypes
import io
import os
import re
import shutil
import sys
import threading
import time
import traceback
from dataclasses import dataclass

from support.paths import EXAMPLES

from vsys import building, plan_text, reconfigure
from vsys.activation import apply, make_plan
from vsys.activation.accounts import AccountError
from vsys.activation.links import UnsafeRoot
from vsys.activation.steps import StepError
from vsys.dsl import control, errors
from vsys.dsl.errors import SchemeError, format_error
from vsys.failures import Failure
from vsys.stdlib import gexp, services
from vsys.store import StoreError

HERE = os.path.dirname(os.path.abspath(__file__))
SEEDS = os.path.join(HERE, "seeds")      # configs the examples do not cover (own services)

# The Python side showing through a message meant for a person.
PYTHON_TEXT = re.compile(
    r"Traceback|object at 0x|<(?:function|class|built-in|bound method|module|vsys\.)|"
    r"\b[Nn]one[Tt]ype\b|\b(?:Key|Type|Attribute|Index|Value|Name|Recursion|Unicode\w*|"
    r"ZeroDivision|Overflow|Assertion|Runtime|Memory)Error\b|__\w+__|\bself\b")

# Outcomes that break the rule.
BAD = ("crash", "internal", "unlocated", "python-text", "hang", "state-leak", "mislocated")


@dataclass
class Outcome:
    kind: str           # "ok", "error", "vsys", or one of BAD
    message: str        # what a person would see (or the Python exception)
    seconds: float = 0.0

    @property
    def bad(self) -> bool:
        return self.kind in BAD

    def signature(self) -> str:
        """What makes two failures the same bug: the kind and the message with its
        particulars (positions, values, names) blurred."""
        text = self.message.splitlines()[0] if self.message else ""
        if self.kind == "crash":            # the exception and where it was raised
            frames = re.findall(r'File "([^"]+)", line \d+, in (\S+)', self.message)
            where = f"{os.path.basename(frames[-1][0])}:{frames[-1][1]}" if frames else "?"
            return f"crash: {text.split(':')[0]} in {where}"
        text = re.sub(r"^\S+:\d+:\d+: ", "", text)
        text = re.sub(r'"(?:[^"\\]|\\.)*"|\'[^\']*\'|\d+|#<[^>]*>', "_", text)
        return f"{self.kind}: {text[:60]}"


class _Stop(BaseException):
    """Raised into an evaluation that ran out of time."""


def _async_raise(ident: int) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident),
                                               ctypes.py_object(_Stop))


def _dynamic_state():
    return (len(errors.handler_stack), len(control._winders), len(gexp._current_modules),
            len(services._lowering), control.current_module[0])


def _judge(exc: BaseException | None, given: str) -> Outcome:
    if exc is None:
        return Outcome("ok", "")
    if isinstance(exc, SchemeError):
        text = format_error(exc)
        if exc.loc is None:
            return Outcome("unlocated", text)
        if PYTHON_TEXT.search(text):
            return Outcome("python-text", text)
        if exc.loc.file != given:
            return Outcome("mislocated", text)
        if not re.match(r"^[^\n]+:\d+:\d+: error: \S", text):
            return Outcome("unlocated", text)
        return Outcome("error", text)
    if isinstance(exc, (Failure, StoreError)) or _activation_failure(exc):
        return Outcome("vsys", f"vsys: {exc}")
    if isinstance(exc, _Stop):
        return Outcome("hang", "stopped after the time limit")
    tb = "".join(traceback.format_exception(exc)[-6:])
    return Outcome("crash", f"{exc.__class__.__name__}: {exc}\n{tb}")


def _activation_failure(exc: BaseException) -> bool:
    """The one-line failures `vsys reconfigure` reports as `vsys: ...`."""
    return isinstance(exc, (AccountError, UnsafeRoot, StepError))


def build(given: str, timeout: float = 10.0, root: str | None = None,
          activate: bool = False) -> Outcome:
    """Evaluate, build and write the config GIVEN (a path, as a user types it) the way
    `vsys build` does, and judge the outcome.  With ROOT (an empty directory), a system
    that builds is also planned against it as `vsys reconfigure --dry-run` does, and with
    ACTIVATE, activated into it (without a supervisor)."""
    before = _dynamic_state()
    box: list = [None, False]

    def work():
        try:
            build = building.build_and_write(given, [])
            if root is not None:
                plan = make_plan(root, build.generation, None, False, False)
                plan_text.plan_lines(plan, "a new generation")
                if activate:
                    apply(plan, False, lambda step: None)
        except BaseException as e:  # noqa: BLE001 -- judged by the caller
            box[0] = e
        box[1] = True

    start = time.monotonic()
    t = threading.Thread(target=work, name="fuzz-build", daemon=True)
    t.start()
    t.join(timeout)
    if t.is_alive():
        # Stop the evaluation thread: the request lands at its next Python instruction.
        deadline = time.monotonic() + 5
        while t.is_alive() and time.monotonic() < deadline:
            for th in threading.enumerate():
                if th.name in ("vsys-eval", "fuzz-build") and th.ident:
                    _async_raise(th.ident)
            t.join(0.1)
        _reset_dynamic_state(before)
        return Outcome("hang", f"no result after {timeout:.0f} s", time.monotonic() - start)
    out = _judge(box[0], given)
    out.seconds = time.monotonic() - start
    after = _dynamic_state()
    if after != before and not out.bad:
        _reset_dynamic_state(before)
        return Outcome("state-leak", f"evaluator state {before[:4]} -> {after[:4]} "
                       f"after: {out.message}", out.seconds)
    return out


def _reset_dynamic_state(before) -> None:
    del errors.handler_stack[before[0]:]
    del control._winders[before[1]:]
    del gexp._current_modules[before[2]:]
    del services._lowering[before[3]:]
    control.current_module[0] = before[4]


def build_cli(given: str) -> tuple[int, str, str]:
    """The same through `build_main` (what `vsys build FILE` runs): status, out, err."""
    out, err = io.StringIO(), io.StringIO()
    old = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        status = reconfigure.build_main(given, [], False)
    finally:
        sys.stdout, sys.stderr = old
    return status, out.getvalue(), err.getvalue()


class Workspace:
    """A scratch copy of the examples and a scratch state directory."""

    def __init__(self, root: str):
        self.root = root
        self.examples = os.path.join(root, "examples")
        if not os.path.isdir(self.examples):
            shutil.copytree(EXAMPLES, self.examples, symlinks=True)
            for name in os.listdir(SEEDS):
                shutil.copy(os.path.join(SEEDS, name), self.examples)
        self.state = os.path.join(root, "state")
        os.makedirs(self.state, exist_ok=True)
        os.environ["VSYS_STATE_DIR"] = self.state
        self.sources = {name: open(os.path.join(d, name), "rb").read()
                        for d in (EXAMPLES, SEEDS)
                        for name in sorted(os.listdir(d)) if name.endswith(".scm")}
        self.count = 0

    def write(self, text: bytes, name: str = "case") -> str:
        """TEXT as a config file beside the examples (so their relative files resolve);
        the path is returned relative to the current directory when it can be, as a
        user would type it."""
        self.count += 1
        path = os.path.join(self.examples, f"fuzz-{os.getpid()}-{name}.scm")
        with open(path, "wb") as f:
            f.write(text)
        return path

    def clear_store(self) -> None:
        """The store grows with every successful build: empty it now and then."""
        _remove(os.path.join(self.state, "store"))

    def remove(self) -> None:
        _remove(self.root)


def _remove(tree: str) -> None:
    """TREE and everything below it (store items are read-only)."""
    if os.path.isdir(tree):
        for dirpath, dirs, files in os.walk(tree):
            os.chmod(dirpath, 0o755)
        shutil.rmtree(tree, ignore_errors=True)
