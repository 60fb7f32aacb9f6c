"""Accounts: the user-account and user-group records of a system as plain data, checked
against the syntax of /etc/passwd, /etc/group and /etc/shadow, which activation merges
them into.

Those files separate fields with `:` and entries with newlines and cannot escape either,
so a value holding one is refused here, naming the account and the field, rather than
letting it add an entry of its own.
"""

from __future__ import annotations

import re
from typing import Any

from vsys.dsl.datatypes import Pair, Symbol, is_string, pystr, to_list
from vsys.dsl.printer import write_string
from vsys.stdlib.gexp import Gexp

from .lowering import Items, build_error

# What useradd accepts (shadow's default, plus `$` at the end for machine accounts).
NAME = re.compile(r"[a-z_][a-z0-9_.-]{0,31}\$?")


def _text(value: Any, what: str, rec: Any) -> str:
    text = pystr(value)
    if ":" in text or "\n" in text or "\r" in text or "\0" in text:
        raise build_error(f"{rec.rtype.name} {write_string(rec['name'])}: {what} "
                          f"{write_string(text)} cannot be written to /etc/passwd (it holds "
                          f"':' or a line break)", rec.loc)
    return text


def _name(value: Any, rec: Any, what: str = "name") -> str:
    name = pystr(value)
    if not NAME.fullmatch(name):
        raise build_error(f"{rec.rtype.name}: {what} {write_string(name)} is not a valid "
                          f"account name (lower-case letters, digits, '_', '-', '.', starting "
                          f"with a letter or '_', at most 32 characters)", rec.loc)
    return name


def _optional(out: dict, rec: Any, id_field: str, id_key: str) -> dict:
    """The fields left out when #f: the id and the (hashed) password."""
    if rec[id_field] is not False:
        out[id_key] = rec[id_field]
    if rec["password"] is not False:
        out["password"] = _text(rec["password"], "password", rec)
    return out


def group_of(rec: Any) -> dict:
    return _optional({"name": _name(rec["name"], rec), "system": rec["system?"] is True},
                     rec, "id", "id")


def _joined(code: Any, rec: Any) -> Any:
    """The file name a shell gexp computes: #~(string-append #$zsh "/bin/zsh") lowers
    to (string-append "/usr" "/bin/zsh"), which vsys joins; other code it cannot run."""
    if is_string(code):
        return code
    parts = to_list(code) if type(code) is Pair else []
    if parts and parts[0] is Symbol("string-append") and all(is_string(p) for p in parts[1:]):
        return "".join(pystr(p) for p in parts[1:])
    raise build_error(f"the shell of user {pystr(rec['name'])} is computed by code vsys does "
                      f"not run: {write_string(code)[:80]}", rec.loc,
                      ['write (file-append PACKAGE "/bin/SHELL") or a file name string'])


def user_of(rec: Any, items: Items) -> dict:
    shell = rec["shell"]
    if type(shell) is Gexp:
        shell = _joined(items.lower(shell), rec)
    shell = pystr(shell) if is_string(shell) else items.path(shell)
    out = {"name": _name(rec["name"], rec),
           "group": (pystr(rec["group"]) if pystr(rec["group"]).isdigit()    # a GID
                     else _name(rec["group"], rec, "group")),
           "supplementary-groups": [_name(g, rec, "supplementary group")
                                    for g in to_list(rec["supplementary-groups"])],
           "comment": _text(rec["comment"], "comment", rec),
           "home-directory": _text(rec["home-directory"], "home directory", rec),
           "create-home-directory": rec["create-home-directory?"] is True,
           "home-directory-permissions": rec["home-directory-permissions"],
           "shell": _text(shell, "shell", rec),
           "system": rec["system?"] is True}
    return _optional(out, rec, "uid", "uid")


def accounts(records: list, items: Items) -> dict:
    """{"groups": [...], "users": [...]}: each name once (the first record wins, as
    services may declare a group the base groups already have)."""
    groups: dict[str, dict] = {}
    users: dict[str, dict] = {}
    for rec in records:
        kind = rec.rtype.name
        if kind == "user-group":
            g = group_of(rec)
            groups.setdefault(g["name"], g)
        elif kind == "user-account":
            u = user_of(rec, items)
            users.setdefault(u["name"], u)
        else:
            raise build_error(f"the account service got a {kind}, not a user-account or "
                              f"user-group", getattr(rec, "loc", None))
    return {"groups": list(groups.values()), "users": list(users.values())}
