"""User accounts and groups: the `user-account` and `user-group` records, the accounts
every system has (%base-user-accounts, %base-groups), and the rule that every group an
account names is declared.  The account service type, which gathers them, is among the
system's service types (system_services.py)."""

from __future__ import annotations

from typing import Any

from vsys.dsl.datatypes import NIL, Location, Symbol, from_list, is_string, pystr, to_list
from vsys.dsl.errors import Condition, SchemeError, did_you_mean
from vsys.dsl.printer import write_string
from vsys.dsl.records import FieldType, Record, RecordType

from .configuration import configuration, field, install_configurations
from .field_types import BOOLEAN, FALSE, NON_NEGATIVE, STRING, STRING_LIST, STRING_OR_FALSE, either
from .files import FileAppend, is_file_like
from .gexp import Gexp
from .packages import lookup_package

MAYBE_ID = either("non-negative integer or #f", NON_NEGATIVE, FALSE)
SHELL = FieldType("file-like object, gexp or string (a shell)",
                  lambda x: is_string(x) or type(x) is Gexp or is_file_like(x))


def _is_record(rtype: RecordType):
    return lambda x: type(x) is Record and x.rtype is rtype


# --- the records ---------------------------------------------------------------------------

def _home(rec: Record) -> str:
    return f"/home/{pystr(rec['name'])}"


def _default_shell(rec: Record) -> FileAppend:
    return FileAppend(lookup_package("bash"), "/bin/bash")


USER_ACCOUNT = configuration("user-account", "(gnu system shadow)", [
    field("name", STRING, doc="The user's login name."),
    field("password", STRING_OR_FALSE, False,
          doc="The password, already hashed (as crypt(3) writes it), or #f for none; "
              "an account that exists keeps its password."),
    field("uid", MAYBE_ID, False,
          doc="The user ID; #f lets the system choose a free one."),
    field("group", STRING, "users",
          doc="The name or ID of the user's primary group.  A name must be declared: by a "
              "user-group of the operating-system's groups, or by a service (as "
              "libvirt-service-type declares \"libvirt\"); building the system stops "
              "otherwise, as in Guix."),
    field("supplementary-groups", STRING_LIST, NIL,
          doc="The names of other groups the user belongs to, such as \"wheel\", "
              "\"libvirt\" or \"kvm\".  Each must be declared, as the primary group "
              "must: a group the host has but the system does not declare is refused."),
    field("comment", STRING, "", doc="A comment, usually the user's full name."),
    field("home-directory", STRING, thunk=_home, default_text='"/home/NAME"',
          doc="The user's home directory."),
    field("home-directory-permissions", FieldType("integer (file mode)",
                                                  lambda x: type(x) is int), 0o700,
          doc="The permission bits of the home directory when it is created."),
    field("create-home-directory?", BOOLEAN, True,
          doc="Whether to create the home directory when the account is created."),
    field("shell", SHELL, thunk=_default_shell, default_text='(file-append bash "/bin/bash")',
          doc="The user's login shell."),
    field("system?", BOOLEAN, False,
          doc="Whether this is a system account (lower ID range, no login by default)."),
], doc="A user account: its name, groups, home directory and shell.")

USER_GROUP = configuration("user-group", "(gnu system shadow)", [
    field("name", STRING, doc="The group's name."),
    field("password", STRING_OR_FALSE, False, doc="The group password, hashed, or #f."),
    field("id", MAYBE_ID, False, doc="The group ID; #f lets the system choose."),
    field("system?", BOOLEAN, False, doc="Whether this is a system group."),
], doc="A user group.")

is_user_account = _is_record(USER_ACCOUNT)
is_user_group = _is_record(USER_GROUP)


def user_account(name: str, **fields: Any) -> Record:
    """Python helper: `user_account("build-vm", group="kvm", system=True, ...)`; keyword
    names use `_` for `-` and may drop the `?`."""
    return USER_ACCOUNT.make(_fields(USER_ACCOUNT, {"name": name, **fields}))


def user_group(name: str, **fields: Any) -> Record:
    return USER_GROUP.make(_fields(USER_GROUP, {"name": name, **fields}))


def _fields(rtype: RecordType, fields: dict) -> dict:
    out = {}
    for k, v in fields.items():
        name = k.replace("_", "-")
        if name not in rtype.index and name + "?" in rtype.index:
            name += "?"
        if isinstance(v, (list, tuple)):
            v = from_list(list(v))
        out[name] = v
    return out


def _nologin() -> FileAppend:
    return FileAppend(lookup_package("shadow"), "/sbin/nologin")


def base_user_accounts() -> Any:
    return from_list([USER_ACCOUNT.make({
        "name": "nobody", "uid": 65534, "group": "nogroup", "shell": _nologin(),
        "home-directory": "/nonexistent", "create-home-directory?": False,
        "system?": True})])


def base_groups() -> Any:
    groups = [USER_GROUP.make({"name": "root", "id": 0}),
              USER_GROUP.make({"name": "wheel", "system?": True}),
              USER_GROUP.make({"name": "users", "id": 100}),
              USER_GROUP.make({"name": "nogroup", "id": 65534, "system?": True})]
    for name in ("tty", "dialout", "kmem", "input", "video", "audio", "netdev", "lp",
                 "disk", "floppy", "cdrom", "tape", "kvm"):
        groups.append(USER_GROUP.make({"name": name, "system?": True}))
    return from_list(groups)


# --- every group named is declared ----------------------------------------------------------

def check_account_groups(accounts: Any, where: Location | None) -> None:
    """Every group a user-account names (primary or supplementary) must be declared by a
    user-group the account service receives (the operating-system's groups and those
    services add), as Guix's assert-valid-users/groups requires, or be a numeric ID.
    The error is located at the user-account, else at WHERE (the operating-system)."""
    records = to_list(accounts)
    declared = {pystr(r["name"]) for r in records if is_user_group(r)}
    for rec in records:
        if not is_user_account(rec):
            continue
        groups = [("primary", rec["group"])] + [
            ("supplementary", g) for g in to_list(rec["supplementary-groups"])]
        for kind, group in groups:
            name = pystr(group)
            # An empty name is no group at all: the accounts builder says why.
            if name.isdigit() or name in declared or not name:
                continue
            raise SchemeError(Condition(
                "service-error", f"{kind} group '{name}' of user '{pystr(rec['name'])}' "
                f"is undeclared", (), None,
                did_you_mean(name, declared) + [_declare_hint(group)], loc=rec.loc or where))


def _declare_hint(group: Any) -> str:
    if any(pystr(g["name"]) == pystr(group) for g in to_list(base_groups())):
        return "%base-groups declares it: (groups (append YOUR-GROUPS %base-groups))"
    return f"declare it: (groups (cons (user-group (name {write_string(group)})) %base-groups))"


def install(module) -> None:
    """The records and account lists of (gnu system shadow)."""
    install_configurations(module, "(gnu system shadow)")
    module.define(Symbol("%base-user-accounts"), base_user_accounts(), True)
    module.define(Symbol("%base-groups"), base_groups(), True)


__all__ = ["USER_ACCOUNT", "USER_GROUP", "user_account", "user_group", "is_user_account",
           "is_user_group", "base_user_accounts", "base_groups", "check_account_groups"]
