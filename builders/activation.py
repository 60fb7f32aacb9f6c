"""Activation steps: what services ask to be done when a generation is activated, as the
plain data written to the generation's `activation.json` (the kinds and their keys are
documented in vsys.stdlib.activation_steps).  A gexp step is kept as its lowered Scheme code
(kind `scheme`).  Every path must be absolute and a single line: the activator uses
them as they are, and the keys it writes end up in line-oriented files.
"""

from __future__ import annotations

from typing import Any

from vsys.dsl.printer import write_string
from vsys.stdlib.gexp import Gexp

from .lowering import Items, build_error

# kind -> {key: "path" | "mode" | "text"}
KINDS: dict[str, dict[str, str]] = {
    "directory": {"path": "path", "mode": "mode"},
    "ssh-host-keys": {"root": "path"},
    "ssh-key": {"path": "path", "type": "text", "comment": "text"},
    "authorize-ssh-key": {"public-key": "path", "file": "path", "directory-mode": "mode"},
    "guix-signing-key": {"directory": "path", "acl-source": "path"},
    "authorize-guix-key": {"public-key": "path", "acl": "path"},
    "authorize-host-guix-key": {"public-key": "path", "acl": "path"},
}
KEY_TYPES = ("ed25519", "rsa", "ecdsa")


def _fail(step: Any, why: str):
    return build_error(f"activation step {step!r}: {why}")


def step_of(step: Any, items: Items) -> dict:
    if type(step) is Gexp:
        return {"kind": "scheme", "code": write_string(items.lower(step))}
    if not isinstance(step, dict) or step.get("kind") not in KINDS:
        raise _fail(step, "not an activation step (a gexp, or one of the kinds: "
                          + ", ".join(KINDS) + ")")
    keys = KINDS[step["kind"]]
    out = {"kind": step["kind"]}
    for key, value in step.items():
        if key == "kind":
            continue
        what = keys.get(key)
        if what is None:
            raise _fail(step, f"unknown key {key!r}")
        if what == "mode":
            if type(value) is not int or not 0 <= value <= 0o7777:
                raise _fail(step, f"{key} must be a file mode")
        elif not isinstance(value, str) or any(c in value for c in "\n\r\0"):
            raise _fail(step, f"{key} must be text on one line")
        elif what == "path" and not value.startswith("/"):
            raise _fail(step, f"{key} must be an absolute path")
        out[key] = value
    missing = [k for k, w in keys.items() if w != "mode" and k not in out]
    if missing:
        raise _fail(step, f"missing {', '.join(missing)}")
    if out["kind"] == "ssh-key" and out["type"] not in KEY_TYPES:
        raise _fail(step, f"key type must be one of {', '.join(KEY_TYPES)}")
    return out


def steps(values: list, items: Items) -> list[dict]:
    return [step_of(s, items) for s in values]
