"""Activation steps: directories, and secrets made only when missing.

Each kind (see vsys.stdlib.activation_steps for the list) has `needed(root, step)`, saying in
words what it would do (None: nothing), and `run(root, step)`, which does it.  A sound
key is never regenerated or replaced: SSH host keys and the offloading key come from the
host's real `ssh-keygen` (run in a private directory; the key is then written into the
root under a temporary name and linked into place), private keys are brought back to
mode 0600, and a Guix signing key pair is derived from an Ed25519 key that ssh-keygen
makes.  An empty or cut key (a kill mid-write) counts as absent: it is moved aside to
KEY.vsys-damaged, reported, and made again; a missing .pub is derived from its key.
Paths are inside the root, and every file is touched through vsys.rootfs.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import tempfile

from ..failures import Failure
from ..rootfs import Root, UnsafeRoot, relative

HOST_KEY_TYPES = ("rsa", "ecdsa", "ed25519")
DAMAGED = ".vsys-damaged"      # an empty or unreadable key is moved aside to KEY.vsys-damaged


class StepError(Failure):
    pass


def inside(root: str, path: str) -> str:
    """The root-relative form of a step's PATH (absolute in the root's terms);
    refused when it leads out of the root."""
    if path.strip("/") == "":
        return ""                        # the root itself
    try:
        return relative(path.lstrip("/"), "activation path")
    except UnsafeRoot as e:
        raise StepError(f"{e}") from None


def _ssh_keygen() -> str:
    found = shutil.which("ssh-keygen") or ("/usr/bin/ssh-keygen"
                                           if os.access("/usr/bin/ssh-keygen", os.X_OK) else None)
    if not found:
        raise StepError("ssh-keygen is not installed (Debian package openssh-client); it "
                        "makes the SSH keys this system needs")
    return found


def _keygen(args: list[str]) -> str:
    done = subprocess.run([_ssh_keygen(), *args], stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise StepError(f"ssh-keygen {' '.join(args)} failed: "
                        f"{(done.stderr or done.stdout).strip()}")
    return done.stdout


def _new_key(kind: str, comment: str | None) -> tuple[bytes, bytes]:
    """(private, public) of a new key, made by ssh-keygen in a private directory of
    the host: ssh-keygen never writes into the root, so a link planted there cannot
    steer it, and a kill mid-write leaves nothing behind in the root."""
    with tempfile.TemporaryDirectory(prefix="vsys-key-") as tmp:
        path = os.path.join(tmp, "key")
        args = ["-q", "-t", kind, "-N", "", "-f", path]
        if comment is not None:
            args[5:5] = ["-C", comment]
        _keygen(args)
        with open(path, "rb") as f, open(path + ".pub", "rb") as g:
            return f.read(), g.read()


def _public_of(private: bytes) -> bytes:
    with tempfile.TemporaryDirectory(prefix="vsys-key-") as tmp:
        path = os.path.join(tmp, "key")
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(private)
        return _keygen(["-y", "-f", path]).encode()


def _sound_key(data: bytes | None) -> bool:
    """Whether DATA looks like a whole private key (a kill mid-write leaves an empty or
    cut one, which must count as absent)."""
    if not data:
        return False
    text = data.strip()
    return text.startswith(b"-----BEGIN ") and b"-----END " in text[-80:]


def _read_key(r: Root, rel: str) -> bytes | None:
    try:
        return r.read_bytes(rel)
    except (OSError, UnsafeRoot, UnicodeDecodeError):
        return b""                 # unreadable: as damaged


def _key_problem(r: Root, rel: str) -> str | None:
    """What is wrong with the private key REL: None (sound), "missing", "damaged",
    or "mode 0NNN" (readable by others)."""
    if not r.lexists(rel):
        return "missing"
    if not _sound_key(_read_key(r, rel)):
        return "damaged"
    st = r.lstat(rel)
    if st is not None and st.st_mode & 0o077:
        return f"mode {st.st_mode & 0o777:04o}"
    return None


def _mend_key(r: Root, rel: str, kind: str, comment: str | None) -> None:
    """Make the private key REL sound and 0600, with its REL.pub: a damaged one is
    moved aside and made again, a missing .pub derived from the key."""
    problem = _key_problem(r, rel)
    if problem == "damaged":
        r.rename(rel, _aside(r, rel))
        r.unlink(rel + ".pub")
        problem = "missing"
    if problem == "missing":
        private, public = _new_key(kind, comment)
        r.write(rel + ".pub", public, 0o644)
        r.write(rel, private, 0o600, replace=False)
        return
    if problem:
        r.chmod(rel, 0o600)
    if not r.exists(rel + ".pub"):
        r.write(rel + ".pub", _public_of(r.read_bytes(rel)), 0o644)


def _aside(r: Root, rel: str) -> str:
    name, n = rel + DAMAGED, 0
    while r.lexists(name):
        n += 1
        name = f"{rel}{DAMAGED}.{n}"
    return name


def _key_words(problem: str, rel: str) -> str:
    return {"missing": "", "damaged": f" ({rel} is empty or damaged: moved aside to "
                                      f"{rel}{DAMAGED}, made again)"}.get(
        problem, f" ({rel} is {problem}: made 0600 again)")


def _makedirs(r: Root, path: str, mode: int) -> None:
    if not r.isdir(path):
        r.makedirs(path, mode)


# --- the kinds ------------------------------------------------------------------------------------

def directory_needed(r: Root, s: dict, record: dict) -> str | None:
    return None if r.isdir(inside("", s["path"])) else f"directory {s['path']}"


def directory_run(r: Root, s: dict, record: dict) -> None:
    _makedirs(r, inside("", s["path"]), s.get("mode", 0o755))


def _host_key_problems(r: Root, s: dict) -> dict[str, str]:
    ssh = os.path.join(inside("", s["root"]), "etc/ssh")
    out = {}
    for t in HOST_KEY_TYPES:
        rel = f"{ssh}/ssh_host_{t}_key"
        problem = _key_problem(r, rel)
        if problem is None and not r.exists(rel + ".pub"):
            problem = "without its .pub"
        if problem:
            out[t] = problem
    return out


def host_keys_needed(r: Root, s: dict, record: dict) -> str | None:
    problems = _host_key_problems(r, s)
    if not problems:
        return None
    where = os.path.join(s["root"], "etc/ssh")
    said = ", ".join(t if p == "missing" else f"{t}: {p}" for t, p in problems.items())
    return f"SSH host keys ({said}) in {where} (ssh-keygen)"


def host_keys_run(r: Root, s: dict, record: dict) -> None:
    ssh = os.path.join(inside("", s["root"]), "etc/ssh")
    _makedirs(r, ssh, 0o755)
    for t in _host_key_problems(r, s):
        _mend_key(r, f"{ssh}/ssh_host_{t}_key", t, None)


def key_needed(r: Root, s: dict, record: dict) -> str | None:
    rel = inside("", s["path"])
    problem = _key_problem(r, rel)
    if problem is None and r.exists(rel + ".pub"):
        return None
    return f"{s['type']} key {s['path']} (ssh-keygen)" + _key_words(problem or "", s["path"])


def key_run(r: Root, s: dict, record: dict) -> None:
    rel = inside("", s["path"])
    _makedirs(r, os.path.dirname(rel), 0o700)
    _mend_key(r, rel, s["type"], s.get("comment", ""))


def _read(r: Root, path: str) -> str | None:
    """The text of the root's file PATH, or None when it does not exist."""
    return r.read(inside("", path))


def authorize_needed(r: Root, s: dict, record: dict) -> str | None:
    line = (_read(r, s["public-key"]) or "").strip()
    if line and line in (_read(r, s["file"]) or "").splitlines():
        return None
    return f"authorize {s['public-key']} in {s['file']}"


def authorize_run(r: Root, s: dict, record: dict) -> None:
    line = (_read(r, s["public-key"]) or "").strip()
    if not line:
        raise StepError(f"{s['public-key']} does not exist: the key to authorize is missing")
    rel = inside("", s["file"])
    directory = os.path.dirname(rel)
    mode = s.get("directory-mode", 0o755)
    if not r.isdir(directory):
        r.makedirs(directory, 0o700)
    old = _read(r, s["file"]) or ""
    if line in old.splitlines():
        return
    r.chmod(directory, 0o700)            # writable long enough to replace the file
    try:
        r.write(rel, old + ("" if not old or old.endswith("\n") else "\n") + line + "\n",
                0o644)
    finally:
        r.chmod(directory, mode)


def _signing_problem(r: Root, d: str) -> str | None:
    sec = _read_key(r, f"{d}/signing-key.sec")
    if sec is None:
        return "missing"
    if _q_of(sec.decode("ascii", "replace")) is None or b"(d #" not in sec:
        return "damaged"
    st = r.lstat(f"{d}/signing-key.sec")
    if st is not None and st.st_mode & 0o077:
        return f"mode {st.st_mode & 0o777:04o}"
    if _q_of(r.read(f"{d}/signing-key.pub") or "" if r.exists(f"{d}/signing-key.pub")
             else "") != _q_of(sec.decode("ascii")):
        return "without its .pub"
    return None


def signing_key_needed(r: Root, s: dict, record: dict) -> str | None:
    d = inside("", s["directory"])
    problem = _signing_problem(r, d)
    if problem is None:
        return None
    if problem == "missing":
        return f"Guix signing key pair in {s['directory']}"
    sec = f"{s['directory']}/signing-key.sec"
    return {"damaged": f"Guix signing key pair in {s['directory']} ({sec} is empty or "
                       f"damaged: moved aside to {sec}{DAMAGED}, made again)",
            "without its .pub": f"Guix public key {s['directory']}/signing-key.pub "
                                f"(derived from {sec})"}.get(
        problem, f"Guix signing key {sec} ({problem}: made 0600 again)")


def signing_key_run(r: Root, s: dict, record: dict) -> None:
    d = inside("", s["directory"])
    problem = _signing_problem(r, d)
    if problem is None:
        return
    _makedirs(r, d, 0o755)
    sec = f"{d}/signing-key.sec"
    if problem == "damaged":
        r.rename(sec, _aside(r, sec))
        problem = "missing"
    if problem == "missing":
        public, secret = guix_key_pair()
        # The secret key last: its presence is what says the pair exists.
        r.write(f"{d}/signing-key.pub", public, 0o644)
        r.write(sec, secret, 0o600, replace=False)
        acl = inside("", s["acl-source"]) if s.get("acl-source") else None
        if acl and r.exists(acl) and not r.exists(f"{d}/acl"):
            r.write(f"{d}/acl", r.read_bytes(acl), 0o644, replace=False)
        return
    if problem.startswith("mode "):
        r.chmod(sec, 0o600)
    q = _q_of(r.read(sec) or "")
    if _q_of(r.read(f"{d}/signing-key.pub") or "" if r.exists(f"{d}/signing-key.pub")
             else "") != q:
        r.write(f"{d}/signing-key.pub", _public_text(q), 0o644)


def _q_of(public_key: str) -> str | None:
    start = public_key.find("(q #")
    if start < 0:
        return None
    end = public_key.find("#", start + 4)
    q = public_key[start + 4:end].upper() if end > 0 else ""
    return q if len(q) == 64 and all(c in "0123456789ABCDEF" for c in q) else None


def _authorized(record: dict | None) -> dict:
    """record["guix-keys"]: ACL path -> {public-key path: the q vsys authorised}, so a
    key that was replaced is taken out of the ACL again."""
    return {} if record is None else record.setdefault("guix-keys", {})


def _entries(acl: str) -> list[tuple[int, int]]:
    """(start, end) of each top-level `(entry ...)` in the ACL text."""
    out, depth, start = [], 0, -1
    for i, c in enumerate(acl):
        if c == "(":
            depth += 1
            if depth == 2 and acl.startswith("(entry", i):
                start = i
        elif c == ")":
            if depth == 2 and start >= 0:
                out.append((start, i + 1))
                start = -1
            depth -= 1
    return out


def _stale_q(r: Root, s: dict, record: dict | None, q: str | None) -> str | None:
    old = _authorized(record).get(inside("", s["acl"]), {}).get(inside("", s["public-key"]))
    return old if old and old != q and old in (_read(r, s["acl"]) or "").upper() else None


def acl_needed(r: Root, s: dict, record: dict) -> str | None:
    q = _q_of(_read(r, s["public-key"]) or "")
    stale = _stale_q(r, s, record, q)
    if q and q in (_read(r, s["acl"]) or "").upper() and not stale:
        return None
    said = f"authorize the key {s['public-key']} in {s['acl']}"
    return said + (" (the key it replaced is taken out)" if stale else "")


def acl_run(r: Root, s: dict, record: dict) -> None:
    public = (_read(r, s["public-key"]) or "").strip()
    q = _q_of(public)
    if q is None:
        raise StepError(f"{s['public-key']} is missing or not a Guix public key")
    rel = inside("", s["acl"])
    stale = _stale_q(r, s, record, q)
    entry = f" (entry\n  {public}\n  (tag\n   (guix import)))\n"
    old = _read(r, s["acl"])
    if old is None:
        r.makedirs(os.path.dirname(rel), 0o755)
        r.write(rel, "(acl\n" + entry + ")\n", 0o644)
    else:
        if not old.lstrip().startswith("(acl") or old.rstrip().rfind(")") < 0:
            raise StepError(f"{s['acl']} is not a Guix ACL ((acl (entry ...) ...)); vsys "
                            f"will not rewrite it")
        new = old
        if stale:
            for start, end in reversed(_entries(new)):
                if f"(Q #{stale}#)" in new[start:end].upper():
                    cut = end + 1 if new[end:end + 1] == "\n" else end
                    new = new[:start].rstrip(" ") + new[cut:]
                    new = new if new[:start].endswith("\n") else new
        if q not in new.upper():
            end = new.rstrip().rfind(")")
            new = new[:end] + entry + new[end:]
        if new != old:
            r.write(rel, new, r.lstat(rel).st_mode & 0o7777)
    if record is not None:
        _authorized(record).setdefault(rel, {})[inside("", s["public-key"])] = q


def host_acl_needed(r: Root, s: dict, record: dict | None) -> str | None:
    if _read(r, s["public-key"]) is None:
        return None
    return acl_needed(r, s, record)


def host_acl_run(r: Root, s: dict, record: dict | None) -> None:
    if _read(r, s["public-key"]) is not None:
        acl_run(r, s, record)


KINDS = {
    "directory": (directory_needed, directory_run),
    "ssh-host-keys": (host_keys_needed, host_keys_run),
    "ssh-key": (key_needed, key_run),
    "authorize-ssh-key": (authorize_needed, authorize_run),
    "guix-signing-key": (signing_key_needed, signing_key_run),
    "authorize-guix-key": (acl_needed, acl_run),
    "authorize-host-guix-key": (host_acl_needed, host_acl_run),
}


def needed(root: str, step: dict, record: dict | None = None) -> str | None:
    kind = KINDS.get(step["kind"])
    if kind is None:
        return "Scheme code (runs with --root / only)" if step["kind"] == "scheme" else None
    with Root(root) as r:
        return kind[0](r, step, record)


def run(root: str, step: dict, record: dict | None = None) -> None:
    kind = KINDS.get(step["kind"])
    if kind is not None:
        with Root(root) as r:
            kind[1](r, step, record)


PATH_FIELDS = ("path", "root", "file", "directory", "acl", "public-key")


def unique(step_list: list[dict]) -> list[dict]:
    """STEP_LIST without repeats, in the order of first appearance: a step is the same
    as another of its kind acting on the same paths (two childhurds sharing a secret
    root each ask for its directory and keys; they are made, and reported, once)."""
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


def _public_text(q: str) -> str:
    return f"(public-key \n (ecc \n  (curve Ed25519)\n  (q #{q}#)\n  )\n )\n"


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
    public = _public_text(q)
    secret = f"(private-key \n (ecc \n  (curve Ed25519)\n  (q #{q}#)\n  (d #{d}#)\n  )\n )\n"
    return public, secret
