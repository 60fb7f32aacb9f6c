"""Activation steps: what services ask of activation, as plain data.

A step is a JSON-ready dict that a builder writes into the generation and the activator
performs in order.  Every step is idempotent: it does nothing when its result already
exists, so a secret is never regenerated and nothing the step did not create is touched.
The kinds:

  {"kind": "directory", "path": P, "mode": 0o755}
      mkdir -p P (mode for the directories it creates).
  {"kind": "ssh-host-keys", "root": R}
      when R/etc/ssh is missing: `ssh-keygen -A -f R` (host keys of every type under
      R/etc/ssh; private keys mode 0600).
  {"kind": "ssh-key", "path": K, "type": "ed25519", "comment": C}
      when K is missing: `ssh-keygen -t ed25519 -N "" -C C -f K` (K mode 0600, K.pub).
  {"kind": "authorize-ssh-key", "public-key": K.pub, "file": F, "directory-mode": 0o555}
      append K.pub's line to F unless F already has it; F's directory is created with
      directory-mode.
  {"kind": "guix-signing-key", "directory": D, "acl-source": "/etc/guix/acl"}
      when D is missing: create D/signing-key.pub and D/signing-key.sec (mode 0600) and
      copy acl-source (when it exists) to D/acl.
  {"kind": "authorize-guix-key", "public-key": D/signing-key.pub, "acl": "/etc/guix/acl"}
      add that public key to the ACL unless it is already there.
  {"kind": "authorize-host-guix-key", "public-key": "/etc/guix/signing-key.pub",
   "acl": D/acl}
      the same, doing nothing when the public key does not exist (a host without a
      Guix signing key has nothing to authorize in the guest).
"""

from __future__ import annotations


def directory_step(path: str, mode: int = 0o755) -> dict:
    return {"kind": "directory", "path": path, "mode": mode}
