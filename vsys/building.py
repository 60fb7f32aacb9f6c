"""Building a config file's generation: evaluate the file, fold its services, build the
generation in memory (builders), check its runner specs, and write its items to the
store.  `vsys build`, `vsys reconfigure`, `vsys container` and the images of VMs build
through it."""
from __future__ import annotations

import json
import os
import sys

from . import state, store
from .builders import build_system
from .builders.lowering import build_error
from .console import Progress
from .dsl.api import cyclic_gc_paused, stack_overflow_error, with_big_stack
from .dsl.datatypes import Location
from .dsl.errors import SchemeError, error
from .dsl.loader import load_file, set_load_path
from .dsl.printer import write_string
from .failures import Failure, UsageFailure, file_problem
from .runner_spec import RunnerSpec, RunnerSpecError
from .stdlib import system
from .stdlib.guix_modules import config_module


def vsys_command() -> list[str]:
    """How generated scripts call vsys again (the secret service of a VM)."""
    return [sys.executable, "-m", "vsys"]


def evaluate_and_build(path: str, load_path: list[str], store: str | None = None,
                       command: list[str] | None = None, select=None):
    """Evaluate the config file PATH and build its generation in memory (a Build), for
    the store directory STORE (default: the state directory's).  SELECT, when given,
    picks the system to build from the one PATH evaluates to (a VM's guest)."""
    given = path          # errors name the file as the user wrote it, as Guile does
    path = os.path.abspath(path)
    problem = file_problem(path)
    if problem:
        raise UsageFailure(problem)
    # Read once: the copy kept with the generation is the text evaluated, even when an
    # editor replaces the file meanwhile, and a pipe (`<(...)`, /dev/stdin) can be read.
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise Failure(f"cannot read {given}: {e.strerror or e}") from None
    text = data.decode("utf-8", errors="replace")
    set_load_path(list(load_path) + [os.path.dirname(path)])
    store = store or _store_dir()
    command = command or vsys_command()

    def work():
        where: list = []
        os_ = load_file(given, config_module(), where, data)
        if not where:
            raise build_error("the file has no forms: it must end with an "
                              "(operating-system ...)", Location(given, 1, 1))
        if getattr(os_, "rtype", None) is not system.OPERATING_SYSTEM:
            shown = write_string(os_)
            raise build_error(f"the file must evaluate to an (operating-system ...); its "
                              f"last form gives {shown[:80]}{'...' if len(shown) > 80 else ''}",
                              where[-1])
        if select is not None:
            os_ = select(os_)
        try:
            with system.operating_system_scope(os_):
                folded = system.fold_operating_system(os_)
                return build_system(os_, folded, path, text, store, command)
        except SchemeError as e:
            if e.loc is None:   # no better place known: the system it is part of
                e.loc = os_.loc
            raise

    def guarded():
        # Past the stack or the memory, a located error as `vsys run` gives, never a
        # Python traceback.
        try:
            return work()
        except RecursionError:
            raise stack_overflow_error() from None
        except MemoryError:
            raise error("out of memory: evaluating the config used up the memory vsys "
                        "may use", key="out-of-memory",
                        hints=["a procedure probably builds an enormous value (a list, "
                               "string or vector) or loops without end"]) from None

    with cyclic_gc_paused():
        return with_big_stack(guarded)


def _store_dir() -> str:
    return os.path.join(state.state_dir(), "store")


def check_specs(build) -> None:
    """Every runner spec must be one the supervisor accepts (a builder bug otherwise)."""
    services = build.items[build.generation].entries["services"].entries
    for name, content in services.items():
        if name.endswith(".json"):
            try:
                RunnerSpec.from_json(json.loads(content.data), name)
            except RunnerSpecError as e:
                # A value of the config the supervisor would refuse (or act on outside
                # the root): say so now, not when the service starts.
                raise Failure(f"the service {name[:-len('.json')]} cannot run as "
                              f"configured: {e}") from None


def write_build(build, progress=None, keep=None) -> list[str]:
    """Write the items of BUILD; with KEEP (an ExitStack), they are kept from `gc` until
    KEEP closes, so that a gc run while this command waits for the state lock does not
    remove the generation it is about to link."""
    with store.lock(shared=True):
        if keep is not None:
            keep.enter_context(store.protect(build.items))
        written = store.add_all(build.items, progress)
        # Items that were there already must still be what their names say: one edited
        # by hand (through a managed file, as root) is put back from this build.
        for path, content in build.items.items():
            if path not in written:
                problem = store.verify(path)
                if problem:
                    store.repair(path, content)
                    build.repaired.append(f"{path}: {problem}; repaired from this build")
                else:
                    store.seal(path)    # written by a run killed before it sealed it
        return written


def build_and_write(path: str, load_path: list[str], show_progress: bool = False,
                    keep=None):
    build = evaluate_and_build(path, load_path)
    check_specs(build)
    if show_progress and len(build.items) > 50:
        with Progress(len(build.items)) as progress:
            write_build(build, lambda item: progress.step("store"), keep)
    else:
        write_build(build, keep=keep)
    return build
