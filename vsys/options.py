"""The option parser of the commands that read their own command line (vsys.commands
says which, and why): `--NAME VALUE`, `--NAME=VALUE`, `--FLAG`, and short aliases
`-X VALUE` / `-XVALUE`.  Typer parses every other command."""

from __future__ import annotations


class UsageError(Exception):
    """A command line that asks for nothing possible: vsys.commands.run_own prints the
    message and the command's usage, and exits 2."""


def parse(args: list[str], known: dict[str, str | None], *, leading: bool = False,
          short: dict[str, str] | None = None, repeated: tuple[str, ...] = ()
          ) -> tuple[dict[str, str | bool | list[str]], list[str]]:
    """The options in ARGS and the other words, in order.  KNOWN maps each long option's
    name to what its value is ("a directory"), or None for a flag; SHORT maps `-X` to a
    long name.  An option named in REPEATED gives the list of its values; any other the
    last one.

    LEADING: the options come first, and the first other word, unknown option or `--`
    ends them (what follows is a program's: `vsys run FILE --debug`).  Otherwise options
    and words mix, and an unknown `--NAME` is an error."""
    opts: dict[str, str | bool | list[str]] = {}
    rest: list[str] = []
    i = 0
    while i < len(args):
        a = args[i]
        if leading and a == "--":
            i += 1
            break
        name = value = None
        if a.startswith("--") and len(a) > 2:
            name, eq, value = a[2:].partition("=")
            if not eq:
                value = None
        elif short and a[:2] in short:
            name, value = short[a[:2]], a[2:] or None
        if name is None or name not in known or (leading and known[name] is None
                                                  and value is not None):
            if leading:
                break
            if name is not None:
                raise UsageError(f"unknown option --{name}")
            rest.append(a)
            i += 1
            continue
        if known[name] is None:
            opts[name] = True
        else:
            if value is None:
                if i + 1 >= len(args):
                    raise UsageError(f"{a} needs {known[name]}")
                i += 1
                value = args[i]
            if name in repeated:
                opts.setdefault(name, []).append(value)      # type: ignore[union-attr]
            else:
                opts[name] = value
        i += 1
    return opts, rest + args[i:]
