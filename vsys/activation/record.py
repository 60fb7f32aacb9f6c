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

PATH = "var/lib/vsys/root.json"


def empty() -> dict:
    return {"links": [], "created-directories": [], "backups": {},
            "accounts": {"users": {}, "groups": {}, "members": {}},
            "stash": {"users": {}, "groups": {}}, "binfmt": [], "activating": None}


def load(root: str) -> dict:
    data = empty()
    try:
        with open(os.path.join(root, PATH), encoding="utf-8") as f:
            saved = json.load(f)
        if isinstance(saved, dict):
            data.update(saved)
    except FileNotFoundError:
        pass
    except ValueError as e:
        raise ValueError(f"{os.path.join(root, PATH)} is damaged ({e}); move it aside to "
                         f"let vsys start a new record") from None
    return data


def save(root: str, data: dict) -> None:
    path = os.path.join(root, PATH)
    os.makedirs(os.path.dirname(path), mode=0o755, exist_ok=True)
    tmp = path + ".tmp"
    try:
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(data, f, indent=1, sort_keys=True)
            f.write("\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
