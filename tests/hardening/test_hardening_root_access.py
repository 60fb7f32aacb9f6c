"""A sandbox root's homes belong to the system's account ids, which are host uids too:
a host process running with alice's uid (an unrelated host user who has it) must not
reach alice's home through the root.  Checked with a real unprivileged process."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile

import pytest
from hostprograms import need_program
from support.world import World

CONFIG = """\
(use-modules (gnu))
(operating-system
  (host-name "h")
  (users (cons* (user-account (name "alice") (group "users") (home-directory "/home/alice"))
                %base-user-accounts))
  (services '()))
"""


def as_user(uid: int, gid: int, *argv: str) -> subprocess.CompletedProcess:
    setpriv = need_program("setpriv", "util-linux")
    return subprocess.run([setpriv, f"--reuid={uid}", f"--regid={gid}", "--clear-groups",
                           "--", *argv], capture_output=True, text=True, timeout=30)


@pytest.fixture
def open_base():
    """A directory every user may pass through (pytest's own are root's only, which
    would hide what the root's mode does)."""
    base = tempfile.mkdtemp(prefix="vsys-access-", dir="/tmp")
    os.chmod(base, 0o755)
    try:
        yield base
    finally:
        shutil.rmtree(base)


def test_a_host_user_with_an_accounts_uid_cannot_enter_its_home(open_base):
    w = World(open_base)
    os.chmod(w.root, 0o755)
    done = w.reconfigure(w.config("c.scm", CONFIG), "--no-supervisor")
    assert "other users may enter it" not in done.stderr
    home = w.path("home/alice")
    st = os.stat(home)
    assert st.st_uid != 0
    note = os.path.join(home, "note")
    with open(note, "w") as f:
        f.write("alice's\n")
    os.chown(note, st.st_uid, st.st_gid)
    assert os.stat(w.root).st_mode & 0o777 == 0o700
    for uid, gid in ((st.st_uid, st.st_gid), (65534, 65534)):
        seen = as_user(uid, gid, "cat", note)
        assert seen.returncode == 1 and seen.stdout == "", seen
        assert f"cat: {note}: Permission denied" in seen.stderr
    # The same process reads it once the root is open to others: the check is real.
    os.chmod(w.root, 0o755)
    assert as_user(st.st_uid, st.st_gid, "cat", note).stdout == "alice's\n"


def test_a_root_of_another_user_open_to_others_is_warned_about(tmp_path):
    w = World(tmp_path)
    os.chown(w.root, 65534, 65534)
    os.chmod(w.root, 0o755)
    done = w.reconfigure(w.config("c.scm", CONFIG), "--no-supervisor")
    assert (f"vsys: warning: {w.root} belongs to uid 65534 and other users may enter it "
            f"(mode 0755): its homes and files belong to the system's account ids, which "
            f"are host uids too; make it owner-only (chmod 700) or use a root of your "
            f"own\n") in done.stderr
    assert os.stat(w.root).st_mode & 0o777 == 0o755


def test_the_default_sandbox_root_is_made_owner_only(tmp_path):
    w = World(tmp_path)
    w.vsys("reconfigure", "--no-supervisor", w.config("c.scm", CONFIG))
    root = os.path.join(w.state, "root")
    assert os.stat(root).st_mode & 0o777 == 0o700
    assert os.path.isdir(os.path.join(root, "home/alice"))
