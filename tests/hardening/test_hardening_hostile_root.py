"""A hostile root: links planted at every name activation touches (listed by tracing
a real run, so a name added to the code is attacked too), a tampered record, and `..`
in every path field.  Nothing outside the root may change (a victim tree is hashed
before and after), and each attack ends in a clear error or is repaired."""

from __future__ import annotations

import json
import os

import pytest
from hostile import CONFIG, fingerprint, touched_names, traced_run, victim
from hostprograms import need_program
from support.world import World

# Names older versions wrote temporaries at; nothing writes there now, but a link
# planted there must not matter either.
OLD_TEMPORARIES = ["etc/passwd.vsys-new", "etc/group.vsys-new", "etc/shadow.vsys-new",
                   "etc/gshadow.vsys-new", "var/lib/vsys/root.json.tmp",
                   "etc/childhurd/etc/guix/signing-key.pub.vsys-new", "etc/guix/acl.vsys-new",
                   "etc/childhurd/etc/ssh/authorized_keys.d/offloading.vsys-new",
                   "etc/hosts.vsys-new"]
SHARDS = 4
SECOND = CONFIG.replace('"alice"', '"bob"').replace("/home/alice", "/home/bob") \
    .replace('(host-name "h")', '(host-name "other")')


def names(tmp_path) -> tuple[list[str], list[str]]:
    """(names a first activation touches, names only the next one touches)."""
    w = World(tmp_path / "trace")
    first = touched_names(traced_run(w, w.config("c1.scm", CONFIG))[1])
    second = touched_names(traced_run(w, w.config("c2.scm", SECOND))[1])
    return first + [n for n in OLD_TEMPORARIES if n not in first], \
        [n for n in second if n not in first]


def plant(w: World, rel: str, target: str) -> None:
    path = w.path(rel)
    if os.path.lexists(path):
        if os.path.isdir(path) and not os.path.islink(path):
            os.rename(path, path + ".moved")
        else:
            os.unlink(path)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    os.symlink(target, path)


def attack(tmp_path, i: int, rel: str, second_run: bool) -> None:
    w = World(tmp_path / f"w{i}", in_process=True)
    v = victim(w.base)
    before = fingerprint(v)
    c1, c2 = w.config("c1.scm", CONFIG), w.config("c2.scm", SECOND)
    if second_run:
        w.reconfigure(c1, "--no-supervisor")
    # A directory name gets a link to a directory; a file name to a file.
    is_dir = os.path.isdir(w.path(rel)) and not os.path.islink(w.path(rel))
    plant(w, rel, os.path.join(v, "dir" if is_dir or not second_run and "." not in
                               os.path.basename(rel) and rel.count("/") < 2 else "file"))
    done = w.reconfigure(c2 if second_run else c1, "--no-supervisor", check=None)
    assert done.returncode in (0, 1), (rel, done.returncode, done.stderr)
    if done.returncode:
        last = done.stderr.strip().splitlines()[-1]
        assert last.startswith("vsys: ") and ("leads out of the root" in last or
                                              "is a link" in last), (rel, done.stderr)
    assert fingerprint(v) == before, f"a link at {rel} changed the victim tree"


@pytest.mark.slow
@pytest.mark.parametrize("shard", range(SHARDS))
def test_a_link_at_any_name_activation_touches_leaves_the_outside_alone(tmp_path, shard):
    need_program("ssh-keygen", "openssh-client")
    first, second = names(tmp_path)
    assert "etc/passwd" in first and "var/lib/vsys/root.json" in first and \
        "etc/guix/offload/ssh/childhurd" in first and "etc/.pwd.lock" in first
    attacks = [(rel, False) for rel in first] + [(rel, True) for rel in second]
    for i, (rel, later) in enumerate(attacks):
        if i % SHARDS == shard:
            attack(tmp_path, i, rel, later)


def tamper(w: World, change) -> None:
    path = w.path("var/lib/vsys/root.json")
    with open(path) as f:
        data = json.load(f)
    change(data)
    with open(path, "w") as f:
        json.dump(data, f)


TAMPERED = {
    "links": lambda d: d["links"].append("../victim/file"),
    "created-directories": lambda d: d["created-directories"].append("etc/../../victim/dir"),
    "backups name": lambda d: d["backups"].update({"../victim/file": "etc/x"}),
    "backups entry": lambda d: d["backups"].update({"etc/hosts": "../victim/file"}),
    "absolute backup": lambda d: d["backups"].update({"etc/hosts": "/victim/file"}),
    "binfmt": lambda d: d["binfmt"].append("../../victim/file"),
    "account name": lambda d: d["stash"]["users"].update(
        {"../x": {"passwd": "../x:x:1:1::/:/bin/sh"}}),
}


@pytest.mark.parametrize("field", sorted(TAMPERED))
def test_a_tampered_record_is_refused(tmp_path, field):
    w = World(tmp_path)
    v = victim(w.base)
    before = fingerprint(v)
    c = w.config("c.scm", CONFIG.replace("(services (list (service hurd-vm-service-type "
                                         "(hurd-vm-configuration))))", "(services '())"))
    w.reconfigure(c, "--no-supervisor")
    tamper(w, TAMPERED[field])
    last = w.reconfigure(c, "--no-supervisor", check=1).stderr.splitlines()[-1]
    assert last.startswith(f"vsys: {w.root}/var/lib/vsys/root.json: ")
    assert last.endswith(
        "vsys will not act on it (move it aside to let vsys start a new record)")
    assert fingerprint(v) == before


@pytest.mark.parametrize("damage", ['[]', '{"links": 5}', '{"accounts": {"users": []}}',
                                    '{"backups": {"etc/a": 7}}', '{"activating": 3}',
                                    '{"links": [', '\xff'])
def test_a_damaged_record_is_a_located_error(tmp_path, damage):
    w = World(tmp_path)
    c = w.config("c.scm", "(use-modules (gnu))\n(operating-system (host-name \"h\") "
                          "(services '()))\n")
    w.reconfigure(c, "--no-supervisor")
    with open(w.path("var/lib/vsys/root.json"), "w", encoding="latin-1") as f:
        f.write(damage)
    done = w.reconfigure(c, "--no-supervisor", check=1)
    errors = [ln for ln in done.stderr.splitlines()
              if not ln.startswith(("vsys: warning", "vsys: built"))]
    assert len(errors) == 1 and errors[0].startswith(f"vsys: {w.root}/var/lib/vsys/root.json")
    assert "move it aside to let vsys start a new record" in errors[0]


@pytest.mark.parametrize("field", ["home-directory", "secret-root"])
def test_a_config_path_with_dot_dot_is_refused(tmp_path, field):
    w = World(tmp_path)
    v = victim(w.base)
    before = fingerprint(v)
    c = w.config("c.scm", CONFIG.replace("/home/alice", "/home/../../victim/dir/alice")
                 if field == "home-directory" else CONFIG.replace(
                     "(hurd-vm-configuration)",
                     '(hurd-vm-configuration (secret-root "/etc/../../victim/dir/alice"))'))
    done = w.reconfigure(c, "--no-supervisor", check=None)
    assert done.returncode == 1, done.stdout
    assert "leads out of the root" in done.stderr if field == "home-directory" else \
        ("vsys: the service hurd-vm cannot run as configured: hurd-vm.json.start.secrets."
         "root: \"/etc/../../victim/dir/alice\" must be an absolute path without `..`") \
        in done.stderr
    assert fingerprint(v) == before and not os.path.exists(os.path.join(v, "dir/alice"))


def test_the_record_and_shadow_files_are_private(tmp_path):
    """The record holds shadow lines (stashed passwords): no one else may read it,
    nor a shadow file vsys writes, even where the root had it world-readable."""
    w = World(tmp_path)
    os.makedirs(w.path("etc"))
    with open(w.path("etc/shadow"), "w") as f:
        f.write("root:*:19000:0:99999:7:::\n")
    os.chmod(w.path("etc/shadow"), 0o644)
    c = w.config("c.scm", CONFIG.replace("(services (list (service hurd-vm-service-type "
                                         "(hurd-vm-configuration))))", "(services '())"))
    w.reconfigure(c, "--no-supervisor")
    assert os.stat(w.path("var/lib/vsys/root.json")).st_mode & 0o777 == 0o600
    assert os.stat(w.path("etc/shadow")).st_mode & 0o777 == 0o640
