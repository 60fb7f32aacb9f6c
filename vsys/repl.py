"""`vsys repl [FILE]`: a Guile-style read-eval-print loop over the service library.

The prompt names the current module (`vsys@(vsys-user)> `).  Each value is printed as
`$N = VALUE` and bound to `$N`; an entry continues over several lines until its datum is
complete; an error prints its located message and, as in Guile, opens a new level
(`vsys@(vsys-user) [1]> `) whose `,bt` shows its backtrace and which `,quit` or Ctrl-D
leaves, back to the level before; at the top level they leave the REPL.  Ctrl-C stops a
running evaluation (see repl_interrupt).  Meta-commands start with a comma; `,help`
lists them.

The REPL's module sees what a config sees after `(use-modules (gnu))`, plus every
`(gnu services ...)` and `(gnu system ...)` module, so that any service type or record
can be typed, completed and described without importing first.  With FILE, the file is
loaded into it and its operating-system is bound to a variable and used by `,services`.
"""

from __future__ import annotations

import os
import re
import sys
import time
import traceback
from collections.abc import Callable
from typing import Any

from vsys import explore
from vsys.dsl import control
from vsys.dsl.api import stack_overflow_error
from vsys.dsl.builtins import ports
from vsys.dsl.builtins.misc import SchemeExit
from vsys.dsl.builtins.ports import InputPort, datum_span
from vsys.dsl.builtins.pretty import pretty_text
from vsys.dsl.compiler import (
    Ctx,
    Macro,
    SpecialForm,
    compile_toplevel,
    expand_macro,
    run_node,
    strip,
)
from vsys.dsl.control import value_list
from vsys.dsl.datatypes import UNSPECIFIED, Pair, Symbol, is_list, to_list
from vsys.dsl.errors import SchemeError, did_you_mean, error, format_error
from vsys.dsl.loader import load_file, new_module, set_load_path
from vsys.dsl.modules import Interface, existing_module, module_name_text
from vsys.dsl.printer import write_string
from vsys.dsl.reader import is_complete, read_all, read_located
from vsys.explore import library_modules
from vsys.repl_complete import DELIMITERS, candidates
from vsys.repl_interrupt import Abandoned, on_waiting_thread, run
from vsys.state import state_dir
from vsys.stdlib import config_module

from .failures import file_problem
from .scheme_commands import load_options

BANNER = "vsys REPL: Guile-style Scheme with the Guix service library.  Enter ,help for help."
CONTINUATION = "... "
FILENAME = "<repl>"


class _Tracking:
    """The stream Scheme output goes to: remembers whether a line was left unfinished,
    so the next result or prompt starts on a fresh line."""

    def __init__(self, stream: Any):
        self.stream = stream
        self.fresh = True

    def write(self, text: str) -> None:
        if text:
            self.stream.write(text)
            self.fresh = text.endswith("\n")

    def flush(self) -> None:
        self.stream.flush()

    def fresh_line(self) -> None:
        if not self.fresh:
            self.stream.write("\n")
            self.fresh = True


def repl_module(name: tuple = ("vsys-user",)) -> Any:
    module = config_module(name)
    for mname in library_modules():
        if mname[:2] in (("gnu", "services"), ("gnu", "system")) and len(mname) > 2:
            module.use(Interface(existing_module(mname)))
    return module


class Session:
    def __init__(self, debug: bool = False, out: Any = None):
        self.debug = debug
        self.out = _Tracking(out or sys.stdout)
        self.module = repl_module()
        control.current_module[0] = self.module
        self.count = 0
        self.errors: list = []            # the error that opened each level, innermost last
        self.system: Any = None           # the loaded config's operating-system
        self.system_file: str | None = None
        self.pending: list[str] = []      # earlier lines of an unfinished entry
        self.terminal: Any = None         # the input port reading the terminal, if any

    # -- text ---------------------------------------------------------------------
    def prompt(self) -> str:
        if self.pending:
            return CONTINUATION
        level = f" [{len(self.errors)}]" if self.errors else ""
        return f"vsys@{module_name_text(self.module.name)}{level}> "

    def say(self, text: str) -> None:
        self.out.fresh_line()
        self.out.write(text if text.endswith("\n") else text + "\n")
        self.out.flush()

    # -- input --------------------------------------------------------------------
    def feed(self, line: str) -> bool:
        """Take one line of input; run the entry once it is complete.  False: leave."""
        self.pending.append(line)
        text = "\n".join(self.pending)
        stripped = text.strip()
        if not stripped:
            self.pending = []
            return True
        if stripped.startswith(","):
            command, _, arg = stripped[1:].partition(" ")
            if ALIASES.get(command, command) in TAKE_EXPR and not is_complete(arg):
                return True
        elif not is_complete(text):
            return True
        self.pending = []
        return self.run_entry(text)

    def discard_unfinished(self) -> None:
        """Ctrl-D inside an unfinished entry: say what is left open, drop the entry and stay
        (Guile: "unexpected end of input while searching for: )")."""
        text = "\n".join(self.pending)
        self.pending = []
        if text.lstrip().startswith(","):             # ,time EXPR...: the expression
            text = text.lstrip()[1:].partition(" ")[2]
        try:
            read_all(text, FILENAME)
            problem = "error: the entry is unfinished"
        except SchemeError as err:
            problem = format_error(err).replace("the file ended", "the input ended")
        self.say(f"While reading the entry (Ctrl-D ended it; it is discarded):\n{problem}")

    def read_from(self, read_line: Callable[[], str]) -> None:
        """Make (current-input-port) read the lines typed while an evaluation runs, each
        by READ_LINE (on the REPL's own thread, without a prompt; "" at Ctrl-D), so that
        (read-line) waits for a line as in Guile."""
        def line() -> str:
            text = read_line()
            self.out.fresh = True             # the typed line's echo ended the line
            return text

        class Typed:
            def readline(self) -> str:
                ports.flush_output()          # a question asked before the answer
                return on_waiting_thread(line)

        self.terminal = _terminal_port(Typed())
        ports.set_current_input(self.terminal)

    def run_entry(self, text: str) -> bool:
        if self.terminal is not None:         # what an earlier entry left unread goes
            self.terminal.text, self.terminal.pos = "", 0
        try:
            stripped = text.strip()
            if stripped.startswith(","):
                return self.meta(stripped[1:])
            self.evaluate(text)
        except SchemeExit:
            raise
        except Abandoned:
            self.say("interrupted: the evaluation is blocked outside Scheme (waiting for "
                     "input?) and was left behind")
            self.interrupted([])
        except KeyboardInterrupt as stop:           # Interrupted too
            self.say("interrupted")
            self.interrupted(getattr(stop, "frames", []))
        except Exception as e:  # noqa: BLE001 -- a bug in vsys must not end the session
            if self.debug:
                self.say(traceback.format_exc())
            self.say(f"internal error: {e.__class__.__name__}: {e}\nhint: this is a bug in "
                     f"vsys; start the REPL with --debug for the Python traceback")
        return True

    # -- evaluation -----------------------------------------------------------------
    def evaluate(self, text: str, show: bool = True) -> list:
        """Read and evaluate every datum of TEXT, printing each value as `$N = ...`.
        An error is reported and opens a new level (a read error does not, as in Guile);
        the values so far are returned."""
        results: list = []
        try:
            forms = read_located(text, FILENAME)
        except SchemeError as err:
            self.say(format_error(err, self.debug))
            return results
        try:
            for form, loc in forms:
                values = self._run_form(form, loc)
                results.extend(values)
                if show:
                    self.show(values)
        except SchemeError as err:
            self.report(err)
        return results

    def _run_form(self, form: Any, loc: Any) -> list:
        ctx = Ctx(self.module, FILENAME)

        def job() -> Any:
            try:
                return run_node(compile_toplevel(form, ctx, loc))
            except RecursionError:
                raise stack_overflow_error() from None
        try:
            value = self.on_stack(job)
        finally:
            self.module = ctx.module          # define-module moves the REPL, as in Guile
            control.current_module[0] = self.module
        return list(value_list(value))

    def on_stack(self, fn: Callable[[], Any]) -> Any:
        """fn() on the evaluation thread, Scheme output to the REPL, stoppable by Ctrl-C."""
        with ports.output_to(self.out):
            try:
                return run(fn)
            finally:
                ports.flush_output()

    def show(self, values: list, text: Callable[[Any], str] | None = None) -> None:
        """Each value as `$N = TEXT` (written, or as TEXT(value) lays it out), bound to $N."""
        for v in values:
            if v is UNSPECIFIED:
                continue
            self.count += 1
            self.module.define(Symbol(f"${self.count}"), v)
            self.say(f"${self.count} = {(text or write_string)(v)}")

    def report(self, err: Any) -> None:
        self.say(format_error(err, self.debug))
        self.enter_level(err)

    def enter_level(self, err: Any) -> None:
        """As Guile's REPL does after an error: a new prompt, [N] deeper, whose ,bt is
        this error's; ,q or Ctrl-D goes back."""
        self.errors.append(err)
        self.say("Entering a new prompt.  Type ,bt for a backtrace or ,q to continue.")

    def interrupted(self, frames: list) -> None:
        """Ctrl-C stopped an evaluation: like an error, a new level whose ,bt says where."""
        err = error("interrupted (Ctrl-C)")
        err.frames = frames
        err.loc = frames[0][0] if frames else None
        err.interruption = True
        self.enter_level(err)

    def leave_level(self) -> bool:
        """Back one level; False at the top level (nothing to leave but the REPL)."""
        if not self.errors:
            return False
        self.errors.pop()
        return True

    # -- meta-commands ----------------------------------------------------------------
    def meta(self, text: str) -> bool:
        name, _, arg = text.partition(" ")
        arg = arg.strip()
        entry = COMMANDS.get(ALIASES.get(name, name))
        if entry is None:
            hints = did_you_mean(name, list(COMMANDS))
            self.say(f"unknown meta-command ,{name}" + (f"; {hints[0]}" if hints else "")
                     + "  (,help lists them)")
            return True
        method, usage, _ = entry
        if usage and not usage.startswith("[") and not arg:
            self.say(f"usage: ,{name} {usage}")
            return True
        return getattr(self, method)(arg) is not False

    def cmd_help(self, arg: str) -> None:
        rows = []
        for name, (_, usage, doc) in COMMANDS.items():
            short = [a for a, full in ALIASES.items() if full == name]
            label = f",{name} {usage}".rstrip()
            if short:
                label += f"  (,{short[0]})"
            rows.append((label, doc))
        width = max(len(r[0]) for r in rows)
        self.say("\n".join(f"  {a:<{width}}  {b}" for a, b in rows) +
                 "\nAny other input is Scheme: each value is shown as $N = VALUE and "
                 "bound to $N.\nTab completes names (and field names inside a record "
                 "form); Ctrl-C stops an evaluation.")

    def cmd_quit(self, arg: str) -> bool:
        return self.leave_level()

    def cmd_describe(self, arg: str) -> None:
        self.say(explore.describe(arg, self.module) or explore.not_found(arg, self.module))

    def cmd_apropos(self, arg: str) -> None:
        try:
            rows = explore.apropos(arg, self.module)
        except re.error as e:
            self.say(f"error: bad regular expression {arg!r}: {e}")
            return
        if not rows:
            self.say(f"no name matches {arg!r}")
            return
        self.say("\n".join(f"{module}: {name}" for module, name in rows))

    def cmd_load(self, arg: str) -> None:
        self.load(arg.strip().strip('"'))

    def load(self, path: str) -> None:
        path = os.path.expanduser(path)
        problem = file_problem(path)
        if problem:
            self.say(f"error: {problem}")
            return
        try:
            value = self.on_stack(lambda: load_file(path, self.module))
        except SchemeError as err:
            self.report(err)
            return
        self.adopt_system(value, path)

    def adopt_system(self, value: Any, path: str) -> None:
        """Make the file's operating-system the one ,services shows, and name it."""
        os_, var = explore.find_operating_system(value, self.module)
        if os_ is None:
            self.say(f";;; loaded {path}")
            return
        if var is None:
            var = "os"
            box = self.module.lookup(Symbol(var))
            if box is not None and box.module is not self.module:
                var = "%os"       # `os` means something imported: do not shadow it
            self.module.define(Symbol(var), os_)
        self.system, self.system_file = os_, path
        count = len(to_list(os_["services"]))
        self.say(f";;; loaded {path}: operating-system {write_string(os_['host-name'])} "
                 f"with {count} services, bound to {var}; ,services shows them folded")

    def cmd_use(self, arg: str) -> None:
        if not arg:                 # as Guile: the modules this one imports, in order
            names = dict.fromkeys(module_name_text(i.module.name) for i in self.module.imports)
            self.say("\n".join(names) or f"{module_name_text(self.module.name)} imports "
                     f"no module")
            return
        spec = arg if arg.startswith("(") else f"({arg})"
        self.evaluate(f"(use-modules {spec})", show=False)

    def cmd_pp(self, arg: str) -> None:
        self.show(self.evaluate(arg, show=False), lambda v: pretty_text(v).rstrip("\n"))

    def cmd_expand(self, arg: str) -> None:
        """The expansion of a macro use, the outermost macro expanded until the form is
        no longer one; the core forms vsys compiles directly have none to show."""
        try:
            forms = read_all(arg, FILENAME)
        except SchemeError as err:
            self.say(format_error(err))
            return
        if len(forms) != 1:
            self.say("usage: ,expand EXPR (one expression)")
            return
        form = forms[0]
        for _ in range(1000):
            head = form.car if type(form) is Pair else None
            box = self.module.lookup(head) if type(head) is Symbol else None
            syntax = box.value if box is not None else None
            if type(syntax) is SpecialForm and form is forms[0]:
                self.say(f"no expansion to show: {head.name} is a core form of vsys, "
                         f"compiled directly rather than expanded")
                return
            if type(syntax) is not Macro:
                break
            try:
                form = self.on_stack(lambda: expand_macro(syntax, form, None,
                                                          Ctx(self.module, FILENAME)))
            except SchemeError as err:
                self.report(err)
                return
        self.show([strip(form)])

    def cmd_in(self, arg: str) -> None:
        span = datum_span(arg, 0)
        end = span[1] if span is not None and span[1] is not None else len(arg)
        name, expr = _module_name(arg[:end]), arg[end:].strip()
        if name is None or not expr:
            self.say("usage: ,in MODULE EXPR, as ,in (gnu services) (current-module)")
            return
        module = existing_module(name)
        if module is None:
            self.say(f"error: no module {arg[:end]}")
            return
        if not module.imports:          # a library module written in Python: no (guile)
            self.say(f"error: {arg[:end]} is built into vsys and sees no Scheme core "
                     f"(it imports nothing); use its names here after ,use {arg[:end]}")
            return
        here = self.module
        self.module = control.current_module[0] = module
        try:
            self.evaluate(expr)
        finally:
            if self.module is module:        # unless EXPR moved on (define-module)
                self.module = control.current_module[0] = here

    def cmd_module(self, arg: str) -> None:
        if arg:
            name = _module_name(arg)
            if name is None:
                self.say(f"error: {arg} is not a module name; write one as (gnu services) "
                         f"or gnu services")
                return
            self.module = existing_module(name) or new_module(name)
            control.current_module[0] = self.module
        self.say(module_name_text(self.module.name))

    def cmd_time(self, arg: str) -> None:
        start, cpu = time.perf_counter(), time.process_time()
        self.evaluate(arg)
        real, run = time.perf_counter() - start, time.process_time() - cpu
        self.say(f";; {real:.6f}s real time, {run:.6f}s run time")

    def cmd_bt(self, arg: str) -> None:
        if not self.errors:
            self.say("no error at this level: ,bt shows the error that opened the current "
                     "level ([N] in the prompt)")
            return
        err = self.errors[-1]
        text = format_error(err, True)
        if not err.frames and getattr(err, "interruption", False):
            text += "\n(no backtrace: it was not inside a Scheme procedure call)"
        elif not err.frames:
            text += "\n(no Scheme frames: the error was signalled at the top level)"
        self.say(text)

    def cmd_services(self, arg: str) -> None:
        system, origin = self.system, self.system_file
        if arg:                              # ,services EXPR: a system typed here
            values = self.evaluate(arg, show=False)
            if not values:
                return                       # the error is reported
            system, origin = values[-1], arg
            if not explore.is_operating_system(system):
                self.say(f"error: {arg} is not an operating-system: {write_string(system)[:80]}")
                return
        if system is None:
            self.say("no operating-system loaded: start with vsys repl FILE, ,load FILE, "
                     "or give one: ,services EXPR")
            return
        try:
            table = self.on_stack(lambda: explore.services_table(explore.fold_system(system)))
        except SchemeError as err:
            self.report(err)
            return
        self.say(f";;; services of {write_string(system['host-name'])} ({origin}), "
                 f"folded:\n{table}")


def _terminal_port(stream: Any) -> Any:
    """An input port over STREAM's lines that an end of file (Ctrl-D) does not close:
    the next read waits for more, as on Guile's console port."""
    class TerminalInput(InputPort):
        __slots__ = ()

        def _more(self) -> bool:
            line = stream.readline()
            if not line:
                return False
            self.text = self.text[self.pos:] + line
            self.pos = 0
            return True
    return TerminalInput(stream=stream, name="terminal")


def _module_name(text: str) -> tuple | None:
    """The module name TEXT spells, `(gnu services)` or `gnu services`; None if it is
    not one (a module name is a non-empty list of symbols)."""
    text = text.strip()
    try:
        forms = read_all(text if text.startswith("(") else f"({text})")
    except SchemeError:
        return None
    if len(forms) != 1 or not is_list(forms[0]):
        return None
    parts = to_list(forms[0])
    if not parts or not all(type(p) is Symbol for p in parts):
        return None
    return tuple(p.name for p in parts)


# name -> (method, argument usage, summary); the order is ,help's.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "help": ("cmd_help", "", "Show this list."),
    "describe": ("cmd_describe", "NAME",
                 ("Document NAME: a procedure, record type (fields, types, defaults), "
                  "service type or (MODULE).")),
    "apropos": ("cmd_apropos", "REGEX", "Names matching REGEX, with their module."),
    "load": ("cmd_load", "FILE", "Load a Scheme file here; a config's system is then ,services'."),
    "use": ("cmd_use", "[MODULE]", ("Import MODULE, e.g. ,use (gnu services ganeti); "
                                     "alone, list the modules imported here.")),
    "module": ("cmd_module", "[MODULE]", "Show the current module, or change to MODULE."),
    "time": ("cmd_time", "EXPR", "Evaluate EXPR and show how long it took."),
    "pp": ("cmd_pp", "EXPR", "Evaluate EXPR and pretty-print its value."),
    "expand": ("cmd_expand", "EXPR", "The expansion of the macro use EXPR."),
    "in": ("cmd_in", "MODULE EXPR", "Evaluate EXPR in MODULE, e.g. ,in (gnu services) EXPR."),
    "bt": ("cmd_bt", "", "The backtrace of the error that opened this level."),
    "services": ("cmd_services", "[EXPR]",
                 ("The loaded config's services (or EXPR's), folded, with their Shepherd "
                  "names.")),
    "quit": ("cmd_quit", "", "Back to the level before the last error; at the top, leave "
                             "(as Ctrl-D does)."),
}
TAKE_EXPR = {"time", "pp", "expand", "in"}     # may go on over several lines
ALIASES = {"h": "help", "d": "describe", "a": "apropos", "l": "load", "u": "use",
           "m": "module", "t": "time", "q": "quit", "exp": "expand"}


# --- line editing -------------------------------------------------------------------------

class LineEditor:
    """readline with the REPL's history file and completion (on a terminal only)."""

    def __init__(self, session: Session):
        self.session = session
        self.matches: list[str] = []
        self.history: str | None = None
        if not sys.stdin.isatty():
            return
        try:
            import readline  # noqa: PLC0415 -- only for a terminal; optional in a build
        except ImportError:        # a Python built without it: plain input still works
            return
        self.readline = readline
        readline.set_completer_delims(DELIMITERS)
        readline.set_completer(self.complete)
        readline.parse_and_bind("tab: complete")
        readline.set_history_length(2000)
        self.history = os.path.join(state_dir(), "repl-history")
        try:
            readline.read_history_file(self.history)
        except OSError:
            pass

    def save(self) -> None:
        if self.history is None:
            return
        try:
            os.makedirs(os.path.dirname(self.history), exist_ok=True)
            self.readline.write_history_file(self.history)
        except OSError:
            pass

    def read_plain(self) -> str:
        """A line typed for a running evaluation: no prompt, not kept in the history;
        with its newline, "" at Ctrl-D."""
        count = self.readline.get_current_history_length() if self.history else None
        try:
            return input() + "\n"
        except EOFError:
            return ""
        finally:
            if count is not None and self.readline.get_current_history_length() > count:
                self.readline.remove_history_item(count)

    def complete(self, word: str, state: int) -> str | None:
        if state == 0:
            try:
                self.matches = self._candidates(word)
            except Exception:  # noqa: BLE001 -- readline would swallow it: offer nothing
                self.matches = []
            if len(self.matches) == 1:     # a whole word: go on to what follows it
                self.matches[0] += " "
        return self.matches[state] if state < len(self.matches) else None

    def _candidates(self, word: str) -> list[str]:
        line = self.readline.get_line_buffer()
        before = "\n".join(self.session.pending + [line[:self.readline.get_begidx()]])
        module = self.session.module
        return candidates(before, word, module.visible_names,
                          lambda name: _field_names(name, module),
                          list(COMMANDS) + list(ALIASES))


def _field_names(name: str, module: Any) -> list[str] | None:
    for home, value in explore.find(name, module):
        if isinstance(value, SpecialForm):
            rtype = explore.record_type_of(name, home)
            if rtype is not None:
                return [f.name for f in rtype.fields]
    return None


# --- the command --------------------------------------------------------------------------

def repl_main(args: list[str]) -> int:
    """`vsys repl [-L DIR]... [--debug] [FILE]`: the exit status."""
    dirs, debug, rest = load_options(args)
    return main(rest, dirs, debug)


def main(args: list[str], dirs: list[str], debug: bool = False) -> int:
    """`vsys repl [FILE]` with its options DIRS (-L) and DEBUG: the exit status."""
    if len(args) > 1:
        sys.stderr.write("vsys repl: give at most one FILE\n")
        return 2
    path = args[0] if args else None
    problem = file_problem(path) if path is not None else None
    if problem:
        sys.stderr.write(f"vsys repl: {problem}\n")
        return 2
    set_load_path(dirs + ([os.path.dirname(os.path.abspath(path))] if path else [])
                  + [os.getcwd()])
    session = Session(debug)
    editor = LineEditor(session)
    session.read_from(editor.read_plain)
    session.say(BANNER)
    if path is not None:
        session.run_entry(f",load {path}")
    try:
        while True:
            session.out.fresh_line()
            try:
                line = input(session.prompt())
            except EOFError:
                if session.pending:
                    session.discard_unfinished()
                    continue
                session.say("")
                if session.leave_level():
                    continue
                return 0
            except KeyboardInterrupt:       # at the prompt: drop the entry being typed
                session.pending = []
                session.say("")
                continue
            try:
                if not session.feed(line):
                    return 0
            except KeyboardInterrupt:
                session.say("interrupted")
                session.interrupted([])
    except SchemeExit as e:
        return e.code
    finally:
        editor.save()
