"""Activation steps: directories, and secrets made only when missing.

Each kind (see vsys.stdlib.serializers for the list) has `needed(root, step)`, saying in
words what it would do (None: nothing), and `run(root, step)`, which does it.  Nothing
that exists is ever regenerated or replaced: SSH host keys and the offloading key come
from the host's real `ssh-keygen`, private keys are mode 0600, and a Guix signing key
pair is derived from an Ed25519 key that ssh-keygen makes.  Paths are inside the root.
"""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
import tempfile

from .links import check_inside

HOST_KEY_TYPES = ("rsa", "ecdsa", "ed25519")


class StepError(Exception):
    pass


def inside(root: str, path: str) -> str:
    full = os.path.join(root, path.lstrip("/"))
    check_inside(root, full)
    return full


def _ssh_keygen() -> str:
    found = shutil.which("ssh-keygen") or ("/usr/bin/ssh-keygen"
                                           if os.access("/usr/bin/ssh-keygen", os.X_OK) else None)
    if not found:
        raise StepError("ssh-keygen is not installed (Debian package openssh-client); it "
                        "makes the SSH keys this system needs")
    return found


def _keygen(args: list[str]) -> None:
    done = subprocess.run([_ssh_keygen(), *args], stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise StepError(f"ssh-keygen {' '.join(args)} failed: "
                        f"{(done.stderr or done.stdout).strip()}")


def _makedirs(root: str, path: str, mode: int) -> None:
    full = inside(root, path)
    if not os.path.isdir(full):
        os.makedirs(full, mode)
        os.chmod(full, mode)


# --- the kinds ------------------------------------------------------------------------------------

def directory_needed(root: str, s: dict) -> str | None:
    return None if os.path.isdir(inside(root, s["path"])) else f"directory {s['path']}"


def directory_run(root: str, s: dict) -> None:
    _makedirs(root, s["path"], s.get("mode", 0o755))


def host_keys_needed(root: str, s: dict) -> str | None:
    ssh = os.path.join(inside(root, s["root"]), "etc/ssh")
    missing = [t for t in HOST_KEY_TYPES if not os.path.exists(f"{ssh}/ssh_host_{t}_key")]
    if not missing:
        return None
    where = os.path.join(s["root"], "etc/ssh")
    return f"SSH host keys ({', '.join(missing)}) in {where} (ssh-keygen -A)"


def host_keys_run(root: str, s: dict) -> None:
    base = inside(root, s["root"])
    os.makedirs(os.path.join(base, "etc/ssh"), 0o755, exist_ok=True)
    _keygen(["-A", "-f", base])          # makes only the types that are missing


def key_needed(root: str, s: dict) -> str | None:
    path = inside(root, s["path"])
    if os.path.exists(path) and os.path.exists(path + ".pub"):
        return None
    return f"{s['type']} key {s['path']} (ssh-keygen)"


def key_run(root: str, s: dict) -> None:
    path = inside(root, s["path"])
    os.makedirs(os.path.dirname(path), 0o700, exist_ok=True)
    if not os.path.exists(path):
        _keygen(["-q", "-t", s["type"], "-N", "", "-C", s.get("comment", ""), "-f", path])
    elif not os.path.exists(path + ".pub"):
        public = subprocess.run([_ssh_keygen(), "-y", "-f", path], capture_output=True,
                                text=True, timeout=60)
        if public.returncode != 0:
            raise StepError(f"cannot read the key {s['path']}: {public.stderr.strip()}")
        _write_new(path + ".pub", public.stdout, 0o644)
    os.chmod(path, 0o600)


def _read(root: str, path: str) -> str | None:
    """The text of the root's file PATH, or None when it does not exist."""
    try:
        with open(inside(root, path), encoding="utf-8") as f:
            return f.read()
    except FileNotFoundError:
        return None


def authorize_needed(root: str, s: dict) -> str | None:
    line = (_read(root, s["public-key"]) or "").strip()
    if line and line in (_read(root, s["file"]) or "").splitlines():
        return None
    return f"authorize {s['public-key']} in {s['file']}"


def authorize_run(root: str, s: dict) -> None:
    line = (_read(root, s["public-key"]) or "").strip()
    if not line:
        raise StepError(f"{s['public-key']} does not exist: the key to authorize is missing")
    path = inside(root, s["file"])
    directory = os.path.dirname(path)
    mode = s.get("directory-mode", 0o755)
    if not os.path.isdir(directory):
        os.makedirs(directory, 0o700)
    old = _read(root, s["file"]) or ""
    if line in old.splitlines():
        return
    os.chmod(directory, 0o700)           # writable long enough to replace the file
    try:
        _replace(path, old + ("" if not old or old.endswith("\n") else "\n") + line + "\n",
                 0o644)
    finally:
        os.chmod(directory, mode)


def signing_key_needed(root: str, s: dict) -> str | None:
    d = inside(root, s["directory"])
    if os.path.exists(os.path.join(d, "signing-key.sec")):
        return None
    return f"Guix signing key pair in {s['directory']}"


def signing_key_run(root: str, s: dict) -> None:
    d = inside(root, s["directory"])
    if os.path.exists(os.path.join(d, "signing-key.sec")):
        return
    os.makedirs(d, 0o755, exist_ok=True)
    public, secret = guix_key_pair()
    # The secret key last: its presence is what says the pair exists.
    _replace(os.path.join(d, "signing-key.pub"), public, 0o644)
    _write_new(os.path.join(d, "signing-key.sec"), secret, 0o600)
    acl = inside(root, s["acl-source"]) if s.get("acl-source") else None
    if acl and os.path.exists(acl) and not os.path.exists(os.path.join(d, "acl")):
        with open(acl, encoding="utf-8") as f:
            _write_new(os.path.join(d, "acl"), f.read(), 0o644)


def _q_of(public_key: str) -> str | None:
    start = public_key.find("(q #")
    if start < 0:
        return None
    end = public_key.find("#", start + 4)
    return public_key[start + 4:end].upper() if end > 0 else None


def acl_needed(root: str, s: dict) -> str | None:
    q = _q_of(_read(root, s["public-key"]) or "")
    if q and q in (_read(root, s["acl"]) or "").upper():
        return None
    return f"authorize the key {s['public-key']} in {s['acl']}"


def acl_run(root: str, s: dict) -> None:
    public = (_read(root, s["public-key"]) or "").strip()
    q = _q_of(public)
    if q is None:
        raise StepError(f"{s['public-key']} is missing or not a Guix public key")
    path = inside(root, s["acl"])
    entry = f" (entry\n  {public}\n  (tag\n   (guix import)))\n"
    old = _read(root, s["acl"])
    if old is None:
        os.makedirs(os.path.dirname(path), 0o755, exist_ok=True)
        _replace(path, "(acl\n" + entry + ")\n", 0o644)
        return
    if q in old.upper():
        return
    end = old.rstrip().rfind(")")
    if not old.lstrip().startswith("(acl") or end < 0:
        raise StepError(f"{s['acl']} is not a Guix ACL ((acl (entry ...) ...)); vsys will "
                        f"not rewrite it")
    _replace(path, old[:end] + entry + old[end:], os.stat(path).st_mode & 0o7777)


def host_acl_needed(root: str, s: dict) -> str | None:
    if _read(root, s["public-key"]) is None:
        return None
    return acl_needed(root, s)


def host_acl_run(root: str, s: dict) -> None:
    if _read(root, s["public-key"]) is not None:
        acl_run(root, s)


KINDS = {
    "directory": (directory_needed, directory_run),
    "ssh-host-keys": (host_keys_needed, host_keys_run),
    "ssh-key": (key_needed, key_run),
    "authorize-ssh-key": (authorize_needed, authorize_run),
    "guix-signing-key": (signing_key_needed, signing_key_run),
    "authorize-guix-key": (acl_needed, acl_run),
    "authorize-host-guix-key": (host_acl_needed, host_acl_run),
}


def needed(root: str, step: dict) -> str | None:
    kind = KINDS.get(step["kind"])
    if kind is None:
        return "Scheme code (runs with --root / only)" if step["kind"] == "scheme" else None
    return kind[0](root, step)


def run(root: str, step: dict) -> None:
    kind = KINDS.get(step["kind"])
    if kind is not None:
        kind[1](root, step)


PATH_FIELDS = ("path", "root", "file", "directory", "acl", "public-key")


def unique(step_list: list[dict]) -> list[dict]:
    """STEP_LIST without repeats, in the order of first appearance: a step is the same
    as another of its kind acting on the same paths (two childhurds sharing a secret
    root each ask for its directory and keys; they are made, and reported, once)."""
    import json
    seen: set = set()
    out = []
    for step in step_list:
        if step["kind"] in KINDS:
            key = (step["kind"], *((k, step[k]) for k in PATH_FIELDS if k in step))
        else:                       # Scheme code: the same only when it is the same code
            key = json.dumps(step, sort_keys=True)
        if key not in seen:
            seen.add(key)
            out.append(step)
    return out


def is_secret(step: dict) -> bool:
    return step["kind"] not in ("directory", "scheme")


# --- files ------------------------------------------------------------------------------------------

def _write_new(path: str, text: str, mode: int) -> None:
    """Create PATH holding TEXT; never replaces an existing file, never leaves a
    partial one (a key half-written would pass for a key later)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, mode)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(path, mode)
    except BaseException:
        os.unlink(path)
        raise


def _replace(path: str, text: str, mode: int) -> None:
    """Replace PATH with TEXT through a rename: never a half-written file."""
    tmp = path + ".vsys-new"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, mode)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


# --- a Guix signing key pair from an Ed25519 key made by ssh-keygen ----------------------------

def _string(data: bytes, at: int) -> tuple[bytes, int]:
    n = int.from_bytes(data[at:at + 4], "big")
    return data[at + 4:at + 4 + n], at + 4 + n


def guix_key_pair() -> tuple[str, str]:
    """(public, secret) in the canonical S-expression form `guix archive
    --generate-key` writes: Ed25519, the public point q and the secret seed d."""
    with tempfile.TemporaryDirectory(prefix="vsys-key-") as tmp:
        path = os.path.join(tmp, "key")
        _keygen(["-q", "-t", "ed25519", "-N", "", "-C", "", "-f", path])
        with open(path, encoding="ascii") as f:
            body = "".join(ln for ln in f.read().splitlines() if not ln.startswith("-----"))
    data = base64.b64decode(body)
    magic = b"openssh-key-v1\0"
    if not data.startswith(magic):
        raise StepError("ssh-keygen wrote a key vsys cannot read")
    at = len(magic)
    cipher, at = _string(data, at)
    _, at = _string(data, at)            # kdf name
    _, at = _string(data, at)            # kdf options
    at += 4                              # number of keys
    _, at = _string(data, at)            # public key blob
    private, at = _string(data, at)
    if cipher != b"none":
        raise StepError("ssh-keygen wrote an encrypted key")
    p = 8                                # two check integers
    kind, p = _string(private, p)
    pub, p = _string(private, p)
    sec, p = _string(private, p)
    if kind != b"ssh-ed25519" or len(pub) != 32 or len(sec) != 64:
        raise StepError("ssh-keygen wrote a key that is not Ed25519")
    q, d = pub.hex().upper(), sec[:32].hex().upper()
    public = f"(public-key \n (ecc \n  (curve Ed25519)\n  (q #{q}#)\n  )\n )\n"
    secret = f"(private-key \n (ecc \n  (curve Ed25519)\n  (q #{q}#)\n  (d #{d}#)\n  )\n )\n"
    return public, secret
