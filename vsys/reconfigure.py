"""`vsys build`, `vsys reconfigure` and the generation commands: the path from a config
file to a root that matches it.

  build        evaluate the file, fold its services, build the generation (builders),
               write the store items; print the generation's path
  reconfigure  build, then plan against the root, print the plan, and (unless
               --dry-run) activate under the state lock, then print what changed
  roll-back, switch-generation N    activate an existing generation
  list-generations, delete-generations [PATTERN], gc

Mistakes in the config are reported as `FILE:LINE:COLUMN: error: ...` (exit 1); trouble
writing (permissions, a full disk) as one plain line (exit 1), never a traceback
(`--debug` adds it).  `vsys build` is imported without Typer or Rich: it is held to a
start-up budget.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time

from . import state

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class Failure(Exception):
    """A failure to report as one line (the message is complete)."""


class UsageFailure(Failure):
    """The command line asks for something impossible (a config file that is not one):
    exit status 2, as for other usage errors."""


def vsys_command() -> list[str]:
    """How generated scripts call vsys again (the secret service of a VM)."""
    return [sys.executable, "-m", "vsys"]


# --- building ------------------------------------------------------------------------------------

def evaluate_and_build(path: str, load_path: list[str], store: str | None = None,
                       command: list[str] | None = None, select=None):
    """Evaluate the config file PATH and build its generation in memory (a Build), for
    the store directory STORE (default: the state directory's).  SELECT, when given,
    picks the system to build from the one PATH evaluates to (a VM's guest)."""
    from .dsl.api import cyclic_gc_paused, with_big_stack
    from .dsl.loader import load_file, set_load_path
    given = path          # errors name the file as the user wrote it, as Guile does
    path = os.path.abspath(path)
    from .cli import file_problem
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
        from .builders import build_system
        from .builders.lowering import build_error
        from .dsl.datatypes import Location
        from .dsl.errors import SchemeError
        from .dsl.printer import write_string
        from .stdlib import system
        from .stdlib.guix_modules import config_module
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
        from .dsl.api import stack_overflow_error
        from .dsl.errors import error
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
    import json

    from .runner_spec import RunnerSpec, RunnerSpecError
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
    from . import store
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


def report_errors(fn, path: str | None, debug: bool) -> int:
    """Run FN, turning every failure into its one-line (or located) report."""
    from .dsl.errors import SchemeError, format_error
    from .store import StoreError
    try:
        return fn()
    except SchemeError as e:
        text = format_error(e, debug)
        if e.loc is None and path:
            text = f"{path}: {text}"
        sys.stderr.write(text + "\n")
        return EXIT_FAILED
    except (Failure, StoreError) as e:
        _traceback(debug)
        sys.stderr.write(f"vsys: {e}\n")
        return EXIT_USAGE if isinstance(e, UsageFailure) else EXIT_FAILED
    except BrokenPipeError:
        raise           # the reader of our output went away (`| head`): see __main__
    except OSError as e:
        from .store import os_error
        _traceback(debug)
        sys.stderr.write(f"vsys: {os_error(e, 'write')}\n")
        return EXIT_FAILED
    except KeyboardInterrupt:
        sys.stderr.write("vsys: interrupted\n")
        return 130
    except Exception as e:
        from .activation.accounts import AccountError
        from .activation.links import UnsafeRoot
        from .activation.steps import StepError
        if isinstance(e, (AccountError, UnsafeRoot, StepError, ValueError)):
            _traceback(debug)
            sys.stderr.write(f"vsys: {e}\n")
            return EXIT_FAILED
        from .cli import internal_error
        return internal_error(debug)


def _traceback(debug: bool) -> None:
    if debug:
        import traceback
        traceback.print_exc()


def _report_host_job(build) -> None:
    """What the host lacks (warnings), store items the build put back, then what the
    config leaves to the host."""
    for line in build.missing:
        sys.stderr.write(f"vsys: warning: {line}\n")
    for line in build.repaired:
        sys.stderr.write(f"vsys: store item {line}\n")
    for k, line in enumerate(build.not_managed):
        sys.stderr.write(f"vsys: {line}\n" if k == 0 else line + "\n")


def build_main(path: str, load_path: list[str], debug: bool) -> int:
    """`vsys build FILE`: print the generation's store path."""
    def run():
        build = build_and_write(path, load_path)
        _report_host_job(build)
        sys.stdout.write(build.generation + "\n")
        return EXIT_OK
    return report_errors(run, path, debug)


# --- the root ------------------------------------------------------------------------------------

def choose_root(root: str | None) -> str:
    if root is None:
        path = state.default_root()
        os.makedirs(path, exist_ok=True)
        return os.path.realpath(path)
    path = os.path.realpath(root)
    if path == "/" and os.geteuid() != 0:
        raise Failure("--root / manages this host's /etc, accounts and binfmt_misc, which "
                      "needs root privileges: run it as root (for example with sudo), or "
                      "leave out --root to use the sandbox root")
    if not os.path.isdir(path):
        raise Failure(f"the root {path} is not a directory (create it first)")
    return path


def container_allowed(root: str) -> None:
    """A sandbox root's services run in a container: where the host allows none, say so
    before anything is built or changed."""
    if root != "/":
        from .container import ContainerError
        from .container.launch import check_allowed
        try:
            check_allowed()
        except ContainerError as e:
            raise Failure(str(e)) from None


def root_label(root: str) -> str:
    from .generations import is_sandbox
    if root == "/":
        return "/ (this host)"
    return f"{root} (sandbox)" if is_sandbox(root) else root


class Lock:
    """The state lock: one reconfigure (or roll-back, gc...) at a time."""

    def __init__(self, console=None):
        self.console = console
        self.ctx = None

    def __enter__(self):
        path = os.path.join(state.state_dir(), "lock")
        self.ctx = state.locked(path, blocking=False)
        try:
            self.ctx.__enter__()
        except BlockingIOError:
            sys.stderr.write("vsys: waiting for another vsys command (reconfigure, "
                             "roll-back, gc...) to finish\n")
            self.ctx = state.locked(path)
            self.ctx.__enter__()
        return self

    def __exit__(self, *exc):
        return self.ctx.__exit__(*exc)


ROOT_LOCK = "var/lib/vsys/lock"


@contextlib.contextmanager
def root_lock(root: str):
    """The root's own lock (inside it): two state directories managing the same root
    never activate into it at once."""
    from .rootfs import Root
    with Root(root) as r:
        r.makedirs(os.path.dirname(ROOT_LOCK))
        try:
            with r.locked(ROOT_LOCK, blocking=False):
                yield
                return
        except BlockingIOError:
            pass
        sys.stderr.write(f"vsys: waiting for another vsys (another state directory) "
                         f"activating into {root}\n")
        with r.locked(ROOT_LOCK):
            yield


# --- printing ------------------------------------------------------------------------------------

def plan_lines(plan, generation_text: str) -> list[str]:
    lines = [f"root: {root_label(plan.root)}", f"generation: {generation_text}"]
    if plan.repairs:
        lines += ["left by an interrupted run (repaired first):",
                  *[f"  ! {what}" for what in plan.repairs]]
    lp = plan.links
    files = ([f"  + {r}" for r in sorted(lp.add + lp.late) if r != "run/current-system"]
             + [f"  ~ {r}" for r in lp.change if r != "run/current-system"]
             + [f"  - {r}" for r in lp.remove if r != "run/current-system"]
             + [f"  > {r}: not vsys's; moved aside to {b}" for r, b in lp.conflicts.items()]
             + [f"  < {b}: put back as {r}" for b, r in plan.links.restore.items()])
    if files:
        lines += ["files under the root:", *files]
    ap = plan.accounts
    if len(ap.groups) > 5:          # a new root gets the base groups: one wrapped entry
        groups = wrap_items(f"  + {len(ap.groups)} groups: ",
                            [f"{n} ({i})" for n, i in ap.groups], 92, "      ")
    else:
        groups = [f"  + group {n} (id {i})" for n, i in ap.groups]
    account_lines = (groups
                     + [f"  ~ group {n}: {', '.join(w)}" for n, w in ap.change_groups]
                     + [f"  + user {n} (id {i})" for n, i in ap.users]
                     + [f"  ~ user {n}: {', '.join(w)}" for n, w in ap.change_users]
                     + [f"  + {u} joins {', '.join(gs)}" for u, gs in _by_user(ap.members)]
                     + [f"  - user {n} (stashed: coming back restores it)" for n in ap.remove_users]
                     + [f"  - group {n} (stashed)" for n in ap.remove_groups]
                     + [f"  - {u} leaves group {g}" for g, u in ap.remove_members]
                     + [f"  ! {note}" for note in ap.notes])
    if account_lines:
        lines += ["accounts:", *account_lines]
    if plan.directories:
        lines += ["directories to create:", *[f"  + {d}" for d in plan.directories]]
    if plan.secrets:
        lines += ["secrets to create:", *[f"  + {s}" for s in plan.secrets]]
    bp = plan.binfmt
    if bp.entries or bp.remove:
        if bp.where == "sandbox":
            where = (f"written to {os.path.join(plan.root, 'etc/binfmt.d')} (a sandbox root: "
                     f"the kernel's binfmt_misc is not touched)")
            names = ", ".join(bp.entries)
        elif bp.where == "kernel":
            where = "registered with the kernel (/proc/sys/fs/binfmt_misc/register)"
            names = ", ".join([f"+{n}" for n in bp.add] + [f"-{n}" for n in bp.remove]) \
                or "already registered"
        else:
            where, names = bp.where, ", ".join(bp.entries)
        lines.append(f"binfmt entries: {names}: {where}")
    sp = plan.services
    if sp.supervisor == "skipped":
        lines.append("services: not loaded (--no-supervisor)")
    else:
        service_lines = []
        for label, names in (("start", sp.start), ("restart", sp.restart),
                             ("stop", sp.stop), ("remove (not running)", sp.drop),
                             ("changed, not restarted (--no-restart)", sp.pending)):
            if names:
                service_lines.append(f"  {label}: {', '.join(names)}")
        if sp.supervisor == "absent":
            service_lines.append("  no supervisor runs for this root: one will be started")
        if service_lines:
            lines += ["services:", *service_lines]
    if plan.root == "/" and not _reachable_by_all(state.state_dir()):
        lines.append(f"warning: {state.state_dir()} is not reachable by other users (a "
                     f"directory on its way is not searchable by all), so they cannot read "
                     f"the /etc files linked into it: set VSYS_STATE_DIR to a directory such "
                     f"as /var/lib/vsys")
    if plan.record.get("activating"):
        lines.append(f"note: the previous activation was interrupted after step "
                     f"`{plan.record['activating'].get('step')}`; this one completes it")
    return lines


def wrap_items(head: str, items: list[str], width: int, indent: str) -> list[str]:
    """HEAD then ITEMS separated by commas, in lines of at most WIDTH characters (unless
    one item is longer), each after the first starting with INDENT.  Lines break only
    between items: a name such as build-vm-build-vm or an id stays whole."""
    lines, line = [], head
    for k, item in enumerate(items):
        text = item + ("," if k < len(items) - 1 else "")
        if line != head and len(line) + 1 + len(text) > width:
            lines.append(line)
            line = indent + text
        else:
            line += ("" if line == head else " ") + text
    return lines + [line]


def _by_user(pairs: list[tuple[str, str]]) -> list[tuple[str, list[str]]]:
    users: dict[str, list[str]] = {}
    for group, user in pairs:
        users.setdefault(user, []).append(group)
    return list(users.items())


def _reachable_by_all(path: str) -> bool:
    path = os.path.realpath(path)
    while True:
        try:
            if not os.stat(path).st_mode & 0o001:
                return False
        except FileNotFoundError:
            pass
        parent = os.path.dirname(path)
        if parent == path:
            return True
        path = parent


def summary_lines(plan, outcome, before) -> list[str]:
    lp, ap = plan.links, plan.accounts
    was = f" (previously {before.number})" if before is not None else ""
    lines = [f"switched to generation {outcome.number}{was}"]

    def count(rels: list[str]) -> int:
        return len([r for r in rels if r != "run/current-system"])
    parts = [f"{n} {what}" for n, what in ((count(lp.add + lp.late), "added"),
                                            (count(lp.change), "changed"),
                                            (count(lp.remove), "removed")) if n]
    if lp.conflicts:
        parts.append(f"{len(lp.conflicts)} moved aside (" + ", ".join(
            f"{r} -> {b}" for r, b in lp.conflicts.items()) + ")")
    if lp.restore:
        parts.append(f"{len(lp.restore)} put back")
    lines.append("files: " + (", ".join(parts) if parts else "unchanged"))
    counts = [count_of(n, noun) + f" {verb}" for n, noun, verb in (
        (len(ap.groups), "group", "added"), (len(ap.users), "user", "added"),
        (len(ap.members), "membership", "added"), (len(ap.change_groups), "group", "changed"),
        (len(ap.change_users), "user", "changed"), (len(ap.remove_groups), "group", "removed"),
        (len(ap.remove_users), "user", "removed"),
        (len(ap.remove_members), "membership", "removed")) if n]
    if counts:
        lines.append("accounts: " + ", ".join(counts))
    if plan.directories or plan.secrets:
        made = [count_of(n, noun) for n, noun in ((len(plan.directories), "directory"),
                                                   (len(plan.secrets), "secret")) if n]
        lines.append("created: " + ", ".join(made))
    if outcome.homes:
        lines.append("home directories: " + ", ".join(outcome.homes))
    if outcome.binfmt:
        lines.append("binfmt: " + ", ".join(outcome.binfmt))
    lines += outcome.scheme
    sup = outcome.supervisor
    if sup.get("supervisor-started"):
        said = [f"{what} {', '.join(sup[key])}" for key, what in (
            ("started", "started"), ("still-starting", "still starting:"),
            ("adopted", "adopted the running"),
            ("restarted", "restarted (changed while no supervisor ran)"),
            ("stopped", "stopped (no longer defined)")) if sup.get(key)]
        failed = sup.get("failed") or {}
        if failed:
            said.append("could not start " + ", ".join(failed))
        lines.append("supervisor: started for this root; " +
                     ("; ".join(said) if said else "no service to start")
                     + f" (log: {sup['log']})")
        lines.extend(_failure_lines(failed))
    elif sup.get("no-reload"):
        lines.append("supervisor: services unchanged")
    elif sup:
        restarted = sup.get("restarted") or []
        stopped = sup.get("stopped") or []
        sup = dict(sup, started=[n for n in sup.get("started") or [] if n not in restarted])
        said = [f"{what} {', '.join(sup[key])}" for key, what in (
            ("started", "started"), ("restarted", "restarted"), ("stopped", "stopped"),
            ("still-starting", "still starting:"),
            ("pending-restart", "changed but not restarted (--no-restart):"))
            if sup.get(key)]
        # The supervisor reports the removed services it stopped; the others it just
        # forgot, and the user is told they are gone all the same.
        dropped = [n for n in plan.services.stop + plan.services.drop if n not in stopped]
        if dropped:
            said.append(f"removed {', '.join(sorted(dropped))} (not running)")
        failed = sup.get("failed") or {}
        if failed:
            said.append("could not start " + ", ".join(failed))
        lines.append("supervisor: " + ("; ".join(said) if said else "nothing to start, "
                                       "restart or stop"))
        lines.extend(_failure_lines(failed))
    elif plan.services.supervisor == "skipped":
        lines.append("supervisor: not told (--no-supervisor)")
    lines += outcome.container
    for failure in outcome.failures:
        lines.append(f"error: {failure}")
    return lines


def count_of(n: int, noun: str) -> str:
    """'1 group', '3 groups', '2 directories'."""
    if n == 1:
        return f"1 {noun}"
    return f"{n} {noun[:-1] + 'ies' if noun.endswith('y') else noun + 's'}"


def _failure_lines(failed: dict) -> list[str]:
    lines = []
    for name, why in failed.items():
        why = why.removeprefix(f"cannot start {name}: ")
        lines.append(f"  failed to start {name}: {why}")
    return lines


STEP_LABELS = ("accounts", "directories", "secrets", "links", "switch", "cleanup",
               "supervisor")


class Progress:
    """Rich's progress display on stderr, or nothing when stderr is not a terminal."""

    def __init__(self, total: int):
        self.bar = None
        if sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import BarColumn, TextColumn
            from rich.progress import Progress as Bar
            self.bar = Bar(TextColumn("{task.description:<12}"), BarColumn(),
                           TextColumn("{task.completed}/{task.total}"),
                           console=Console(stderr=True), transient=True)
            self.task = self.bar.add_task("", total=total)

    def __enter__(self):
        if self.bar:
            self.bar.__enter__()
        return self

    def __exit__(self, *exc):
        if self.bar:
            self.bar.__exit__(*exc)

    def step(self, text: str) -> None:
        if self.bar:
            self.bar.update(self.task, description=text, advance=1)


def _print(lines: list[str]) -> None:
    if sys.stdout.isatty():
        from rich.console import Console
        console = Console(highlight=False)
        for line in lines:
            style = {"+": "green", "-": "red", "~": "yellow", ">": "magenta"}.get(
                line.strip()[:1]) if line.startswith("  ") else "bold"
            console.print(line, style=style, markup=False)
    else:
        sys.stdout.write("".join(line + "\n" for line in lines))
    sys.stdout.flush()


# --- reconfigure, roll-back, switch-generation ---------------------------------------------------------

def activate(root: str, generation: str, number: int | None, dry_run: bool, restart: bool,
             supervise: bool, share_net: bool = False) -> int:
    """Plan, print, and (unless DRY_RUN) apply; the caller holds the state lock, this
    takes the root's (a dry run changes nothing, and takes none)."""
    if dry_run:
        return _activate(root, generation, number, dry_run, restart, supervise, share_net)
    with root_lock(root):
        return _activate(root, generation, number, dry_run, restart, supervise, share_net)


def _activate(root: str, generation: str, number: int | None, dry_run: bool, restart: bool,
              supervise: bool, share_net: bool) -> int:
    from .activation import apply, make_plan
    plan = make_plan(root, generation, number, restart, supervise)
    plan.share_net = share_net
    before = plan.old
    if number is not None:
        label = f"{before.number if before else 'none'} -> {number} ({generation})"
    elif plan.same_generation:
        label = f"{before.number} (current; unchanged: {generation})"
    else:
        label = (f"{before.number if before else 'none'} -> a new generation ({generation})")
    if plan.noop:
        _print([f"root: {root_label(plan.root)}", f"generation: {label}",
                "nothing to do: the root matches its current generation"])
        return EXIT_OK
    if plan.same_generation and plan.number is None:
        plan.number = before.number   # the same system, activated again: no new number
    _print(plan_lines(plan, label))
    if dry_run:
        _print(["(dry run: nothing was changed)"])
        return EXIT_OK
    step = ["started"]

    def say(label: str) -> None:
        step[0] = label
        progress.step(label)
    try:
        with Progress(len(STEP_LABELS)) as progress:
            outcome = apply(plan, restart, say)
    except KeyboardInterrupt:
        if step[0] not in AFTER_SWITCH or not _is_current(plan):
            raise                   # before the switch: the previous generation stays
        number = plan.profile.current().number
        was = f" (previously {before.number})" if before is not None else ""
        told = "" if step[0] == "supervisor" or plan.services.supervisor == "skipped" \
            else " (the supervisor was not given the new services yet: it runs the old ones)"
        sys.stderr.write(f"vsys: switched to generation {number}{was}; interrupted while "
                         f"{AFTER_SWITCH[step[0]]}{told}\n")
        return 130
    _print(summary_lines(plan, outcome, before))
    return EXIT_FAILED if outcome.failures else EXIT_OK


# What an interrupt during each step after the switch leaves to finish.
AFTER_SWITCH = {
    "switch": "recording the switch: the next `vsys reconfigure` completes it",
    "cleanup": "removing what the previous generation had and this one has not: the "
               "next `vsys reconfigure` completes that",
    "supervisor": "handing the new services to the supervisor: the supervisor finishes "
                  "starting, restarting and stopping them on its own (`vsys herd status` "
                  "shows how that goes)",
}


def _is_current(plan) -> bool:
    current = plan.profile.current()
    return current is not None and os.path.realpath(current.path) == \
        os.path.realpath(plan.new_path)


def reconfigure_main(path: str, root: str | None, dry_run: bool, restart: bool,
                     supervise: bool, load_path: list[str], debug: bool,
                     share_net: bool = False) -> int:
    def run():
        import contextlib
        chosen = choose_root(root)
        if supervise and not dry_run:
            container_allowed(chosen)
        started = time.monotonic()
        with contextlib.ExitStack() as keep:
            build = build_and_write(path, load_path, show_progress=True, keep=keep)
            _report_host_job(build)
            sys.stderr.write(f"vsys: built {build.generation} in "
                             f"{time.monotonic() - started:.2f} s\n")
            from .image import vm_images          # images of VMs given an operating-system
            vm_images.provide(build, chosen, path, load_path, dry_run)
            from . import store
            with Lock(), store.lock(shared=True):
                return activate(chosen, build.generation, None, dry_run, restart, supervise,
                                share_net)
    return report_errors(run, path, debug)


def switch_main(root: str | None, number: str | None, dry_run: bool, restart: bool,
                supervise: bool, debug: bool) -> int:
    """`switch-generation N|+N|-N`, or `roll-back` when NUMBER is None."""
    def run():
        from .generations import Profile
        chosen = choose_root(root)
        if supervise and not dry_run:
            container_allowed(chosen)
        with Lock():
            profile = Profile(chosen)
            current = profile.current()
            gens = profile.generations()
            if number is None:
                older = [g for g in gens if current is None or g.number < current.number]
                if not older:
                    raise Failure(f"there is no generation before "
                                  f"{current.number if current else 'the first'} to roll "
                                  f"back to (root {root_label(chosen)})")
                target = older[-1]
            else:
                target = _chosen_generation(number, gens, current, root_label(chosen))
            if not os.path.isdir(target.path):
                raise Failure(f"generation {target.number}'s files ({target.path}) are gone")
            damaged = _damaged([target.path, *target.manifest().get("store-items", [])])
            if damaged:
                raise Failure(f"generation {target.number} uses store items that were "
                              f"changed, so it is not what was built: {'; '.join(damaged)}"
                              f"\nhint: `vsys reconfigure` with its config rebuilds them; "
                              f"`vsys verify` lists every damaged item")
            return activate(chosen, target.path, target.number, dry_run, restart, supervise)
    return report_errors(run, None, debug)


def _chosen_generation(spec: str, gens: list, current, label: str):
    """The generation SPEC names: its number N, or +N/-N generations after/before the
    current one among those that exist (as guix system switch-generation counts)."""
    import re
    if not re.fullmatch(r"[+-]?[0-9]+", spec):
        raise Failure(f"not a generation: {spec!r}; write its number, or +N/-N to move "
                      f"relative to the current one")
    known = ", ".join(str(g.number) for g in gens) or "none"
    if spec[0] not in "+-":
        for g in gens:
            if g.number == int(spec):
                return g
        raise Failure(f"there is no generation {int(spec)} for the root {label} "
                      f"(generations: {known})")
    if current is None:
        raise Failure(f"the root {label} has no current generation to count {spec} from")
    index = [g.number for g in gens].index(current.number) + int(spec)
    if not 0 <= index < len(gens):
        raise Failure(f"there is no generation {spec} from the current one "
                      f"({current.number}) for the root {label} (generations: {known})")
    return gens[index]


def list_main(root: str | None, pattern: str | None, debug: bool) -> int:
    def run():
        from .generations import Profile, select
        chosen = choose_root(root)
        profile = Profile(chosen)
        current = profile.current()
        every = profile.generations()
        gens = select(every, pattern)
        if not gens:
            if every:       # some exist, none is the one asked for
                known = ", ".join(str(g.number) for g in every)
                _print([f"no generation matches {pattern} for the root "
                        f"{root_label(chosen)} (generations: {known})"])
            else:
                _print([f"no generations for the root {root_label(chosen)}"])
            return EXIT_OK
        lines = []
        for g in gens:
            m = g.manifest()
            mark = "  (current)" if current and g.number == current.number else ""
            lines += [f"Generation {g.number}\t{time.strftime('%b %d %Y %H:%M:%S', time.localtime(g.time))}{mark}",
                      f"  file name: {g.link}", f"  canonical file name: {g.path}",
                      f"  host name: {m.get('host-name', '?')}",
                      f"  configuration file: {m.get('configuration-file', '?')}",
                      f"  services: {len(m.get('services', {}))}"]
        _print(lines)
        return EXIT_OK
    return report_errors(run, None, debug)


def _damaged(paths: list[str]) -> list[str]:
    from . import store
    out = []
    for path in paths:
        problem = store.verify(path)
        if problem:
            out.append(f"{path}: {problem}")
    return out


def verify_main(debug: bool) -> int:
    """`vsys verify`: every store item checked against the hash its name holds (as
    `guix gc --verify=contents` does); exit status 1 when one is damaged."""
    def run():
        from . import store
        from .generations import all_profiles
        with Lock(), store.lock(shared=True):
            paths = store.items()
            damaged = _damaged(paths)
            users: dict[str, list[str]] = {}
            for profile in all_profiles():
                for g in profile.generations():
                    for item in {g.path, *g.manifest().get("store-items", [])}:
                        users.setdefault(item, []).append(
                            f"{root_label(profile.root)} generation {g.number}")
        lines = []
        for line in damaged:
            path = line.split(": ", 1)[0]
            lines.append(line + (f" (used by {', '.join(users[path])})" if path in users
                                 else ""))
        lines.append(f"{count_of(len(paths), 'store item')} checked, "
                     f"{len(damaged)} damaged" + (": `vsys reconfigure` with the config "
                                                   "that built them repairs them"
                                                   if damaged else ""))
        _print(lines)
        return EXIT_FAILED if damaged else EXIT_OK
    return report_errors(run, None, debug)


def delete_main(root: str | None, pattern: str | None, debug: bool) -> int:
    def run():
        from .generations import Profile, select
        chosen = choose_root(root)
        with Lock():
            profile = Profile(chosen)
            current = profile.current()
            lines = []
            for g in select(profile.generations(), pattern):
                if current is not None and g.number == current.number:
                    lines.append(f"generation {g.number} is current: kept")
                    continue
                profile.delete(g.number)
                lines.append(f"deleted generation {g.number}")
            _print(lines or ["no generation matches"])
            if any(ln.startswith("deleted") for ln in lines):
                _print(["(`vsys gc` removes the store items no generation uses any more)"])
        return EXIT_OK
    return report_errors(run, None, debug)


def gc_main(debug: bool) -> int:
    def run():
        from . import store
        from .generations import live_items
        with Lock(), store.lock(shared=False):
            removed, freed = store.collect_garbage(live_items())
        _print([f"removed {count_of(len(removed), 'store item')}, freed {freed / 1e6:.1f} MB"])
        return EXIT_OK
    return report_errors(run, None, debug)
