"""What vsys remembers inside a root it manages: `<root>/var/lib/vsys/root.json`.

  links                root paths that may be vsys's links (a superset: a path is vsys's
                       only while its link points into the root's profile)
  created-directories  directories vsys made for its links (removed again when empty)
  backups              root path -> where the file vsys found there was moved aside
  accounts             the passwd/shadow/group/gshadow lines of the accounts vsys added,
                       and the members it added to existing groups
  stash                lines of accounts vsys removed when a generation stopped
                       declaring them: re-adding one restores it (same id, same password)
  binfmt               entry names vsys registered with the kernel
  activating           set while an activation runs: names the generation and the last
                       step done, so an interrupted one is reported and redone

The record lives with the root so that the root describes itself, whichever state
directory manages it.  It is replaced with one rename.
"""

from __future__ import annotations

import json
import os

from .rootfs import Root, UnsafeRoot, relative

PATH = "var/lib/vsys/root.json"
# It holds shadow lines (stashed passwords): readable by its owner only.
MODE = 0o600


class RecordError(ValueError):
    pass


def empty() -> dict:
    return {"links": [], "created-directories": [], "backups": {},
            "accounts": {"users": {}, "groups": {}, "members": {}},
            "stash": {"users": {}, "groups": {}}, "binfmt": [], "activating": None}


def _check(data: dict) -> None:
    """Every path in the record is relative and inside; every field has its shape.
    A record someone edited must not make vsys touch what lies outside the root."""
    def paths(field: str, values) -> None:
        if not isinstance(values, list):
            raise UnsafeRoot(f"`{field}` is not a list")
        for v in values:
            relative(v, f"`{field}` entry")

    paths("links", data["links"])
    paths("created-directories", data["created-directories"])
    if not isinstance(data["backups"], dict):
        raise UnsafeRoot("`backups` is not an object")
    for k, v in data["backups"].items():
        relative(k, "`backups` name")
        relative(v, f"`backups` entry of {k}")
    for group, kinds in (("accounts", ("users", "groups", "members")),
                         ("stash", ("users", "groups"))):
        if not isinstance(data[group], dict):
            raise UnsafeRoot(f"`{group}` is not an object")
        for kind in kinds:
            entries = data[group].setdefault(kind, {})
            if not isinstance(entries, dict):
                raise UnsafeRoot(f"`{group}.{kind}` is not an object")
            for name, entry in entries.items():
                if not name or any(c in name for c in ":\n\0/"):
                    raise UnsafeRoot(f"`{group}.{kind}` has the account name {name!r}")
                if kind == "members":
                    ok = isinstance(entry, list) and all(isinstance(m, str) and m and
                                                         ":" not in m and "\n" not in m
                                                         for m in entry)
                else:
                    ok = isinstance(entry, dict) and all(
                        v is None or (isinstance(v, str) and "\n" not in v and
                                      v.split(":", 1)[0] == name) for v in entry.values())
                if not ok:
                    raise UnsafeRoot(f"`{group}.{kind}.{name}` is not an account entry")
    if not isinstance(data["binfmt"], list) or not all(
            isinstance(n, str) and n and "/" not in n and n not in (".", "..")
            for n in data["binfmt"]):
        raise UnsafeRoot("`binfmt` is not a list of entry names")
    act = data.get("activating")
    if act is not None and not (isinstance(act, dict) and
                                all(isinstance(v, (str, type(None))) for v in act.values())):
        raise UnsafeRoot("`activating` is not an object of texts")
    intent = data.get("intent")
    if intent is not None and not isinstance(intent, dict):
        raise UnsafeRoot("`intent` is not an object")


def load(root: str) -> dict:
    data = empty()
    where = os.path.join(root, PATH)
    try:
        with Root(root) as r:
            text = r.read(PATH)
        if text is not None:
            saved = json.loads(text)
            if not isinstance(saved, dict):
                raise ValueError("it is not a JSON object")
            data.update(saved)
            _check(data)
    except UnsafeRoot as e:
        raise RecordError(f"{where}: {e}; vsys will not act on it (move it aside to let "
                          f"vsys start a new record)") from None
    except (ValueError, UnicodeDecodeError) as e:
        raise RecordError(f"{where} is damaged ({e}); move it aside to let vsys start a "
                          f"new record") from None
    return data


def save(root: str, data: dict) -> None:
    """Replace the record with one rename (mode 0600)."""
    text = json.dumps(data, indent=1, sort_keys=True) + "\n"
    with Root(root) as r:
        r.makedirs(os.path.dirname(PATH), 0o755)
        r.write(PATH, text, MODE)
