"""Keys survive interruptions and hands: an empty key (ssh-keygen killed mid-write) is
moved aside and made again, a missing .pub is derived from its key, a private key
loosened to 0644 is brought back to 0600, and a Guix signing key that was replaced is
taken out of the ACL it was authorised in."""

from __future__ import annotations

import os
import re

import pytest
from hostprograms import need_program
from support.world import World, read

CONFIG = """\
(use-modules (gnu))
(use-service-modules virtualization)
(operating-system
  (host-name "h")
  (services (list (service hurd-vm-service-type (hurd-vm-configuration)))))
"""
OFFLOAD = "etc/guix/offload/ssh/childhurd"
SIGNING = "etc/childhurd/etc/guix/signing-key"


@pytest.fixture
def w(tmp_path):
    need_program("ssh-keygen", "openssh-client")
    w = World(tmp_path)
    w.cfg = w.config("c.scm", CONFIG)
    w.reconfigure(w.cfg, "--no-supervisor")
    return w


def q(text: str) -> str:
    return re.search(r"\(q #([0-9A-F]+)#\)", text).group(1)


def test_an_empty_key_is_moved_aside_and_made_again(w):
    with open(w.path(OFFLOAD), "w"):
        pass                                   # what a kill mid-write leaves
    out = w.reconfigure(w.cfg, "--no-supervisor").stdout
    assert (f"  + ed25519 key /{OFFLOAD} (ssh-keygen) (/{OFFLOAD} is empty or damaged: "
            f"moved aside to /{OFFLOAD}.vsys-damaged, made again)") in out
    assert read(w.path(OFFLOAD)).startswith("-----BEGIN OPENSSH PRIVATE KEY-----")
    assert os.path.getsize(w.path(OFFLOAD + ".vsys-damaged")) == 0
    assert os.stat(w.path(OFFLOAD)).st_mode & 0o777 == 0o600
    pub = read(w.path(OFFLOAD + ".pub")).split()[1]
    assert pub in read(w.path("etc/childhurd/etc/ssh/authorized_keys.d/offloading"))
    assert "nothing to do" in w.reconfigure(w.cfg, "--no-supervisor").stdout


def test_a_loosened_private_key_is_made_private_again(w):
    os.chmod(w.path(OFFLOAD), 0o644)
    os.chmod(w.path(SIGNING + ".sec"), 0o644)
    os.chmod(w.path("etc/childhurd/etc/ssh/ssh_host_rsa_key"), 0o640)
    before = read(w.path(OFFLOAD))
    out = w.reconfigure(w.cfg, "--no-supervisor").stdout
    assert f"/{OFFLOAD} is mode 0644: made 0600 again" in out
    for rel in (OFFLOAD, SIGNING + ".sec", "etc/childhurd/etc/ssh/ssh_host_rsa_key"):
        assert os.stat(w.path(rel)).st_mode & 0o777 == 0o600, rel
    assert read(w.path(OFFLOAD)) == before          # the same key, not a new one


def test_a_missing_public_signing_key_is_derived_from_the_secret_one(w):
    secret = read(w.path(SIGNING + ".sec"))
    os.unlink(w.path(SIGNING + ".pub"))
    out = w.reconfigure(w.cfg, "--no-supervisor").stdout
    assert (f"  + Guix public key /{SIGNING}.pub (derived from /{SIGNING}.sec)") in out
    assert q(read(w.path(SIGNING + ".pub"))) == q(secret)
    assert read(w.path(SIGNING + ".sec")) == secret


def test_a_replaced_signing_key_is_taken_out_of_the_acl(w):
    old = q(read(w.path(SIGNING + ".pub")))
    assert old in read(w.path("etc/guix/acl"))
    os.unlink(w.path(SIGNING + ".sec"))
    os.unlink(w.path(SIGNING + ".pub"))
    out = w.reconfigure(w.cfg, "--no-supervisor").stdout
    assert (f"  + authorize the key /{SIGNING}.pub in /etc/guix/acl (the key it "
            f"replaced is taken out)") in out
    new = q(read(w.path(SIGNING + ".pub")))
    acl = read(w.path("etc/guix/acl"))
    assert new != old and new in acl and old not in acl
    assert acl.count("(entry") == 1 and acl.startswith("(acl\n (entry\n")
