"""`vsys reconfigure`, `roll-back` and `switch-generation` on a temporary root, run as a
person runs them: /etc and the accounts match each generation, nothing vsys did not make
is lost, and a no-op rewrites nothing."""

from __future__ import annotations

import os

from support.world import World, read, record

BASE = """\
(use-modules (gnu))
(use-service-modules base)
(operating-system
  (host-name "{host}")
  (users (cons* {users} %base-user-accounts))
  (groups (cons* {groups} %base-groups))
  (services (list {services})))
"""
ALICE = '(user-account (name "alice") (group "users") (supplementary-groups \'("staff")))'
BOB = '(user-account (name "bob") (group "users") (comment "Bob"))'
STAFF = '(user-group (name "staff"))'


def etc_file(name: str, text: str) -> str:
    return f"(simple-service '{name.replace('/', '-')} etc-service-type " \
           f"(list `(\"{name}\" ,(plain-file \"{name.rsplit('/', 1)[-1]}\" \"{text}\"))))"


def gen_one(w: World) -> str:
    return w.config("one.scm", BASE.format(host="one", users=ALICE, groups=STAFF,
                                           services=etc_file("motd", "hello one\\n")))


def gen_two(w: World) -> str:
    return w.config("two.scm", BASE.format(
        host="two", users=f"{ALICE} {BOB}", groups=f"{STAFF} (user-group (name \"ops\"))",
        services=etc_file("app/app.conf", "port = 1\\n")))


def expect_one(w: World) -> None:
    assert w.etc() == {"etc/hosts": "127.0.0.1\tlocalhost\tone\n::1\tlocalhost\tone\n",
                       "etc/motd": "hello one\n"}
    users = w.accounts()["passwd"]
    assert "alice" in users and "bob" not in users
    assert "ops" not in w.accounts()["group"]
    assert w.account_line("staff", "group").endswith(":alice")


def expect_two(w: World) -> None:
    assert w.etc() == {"etc/hosts": "127.0.0.1\tlocalhost\ttwo\n::1\tlocalhost\ttwo\n",
                       "etc/app/app.conf": "port = 1\n"}
    assert not os.path.lexists(w.path("etc/motd"))
    assert {"alice", "bob"} <= set(w.accounts()["passwd"])
    assert "ops" in w.accounts()["group"]


def test_two_generations_roll_back_and_forward(world):
    w = world
    out = w.reconfigure(gen_one(w), "--no-supervisor").stdout
    assert "  + etc/motd" in out and "  + user alice" in out and "switched to generation 1" in out
    expect_one(w)
    alice = w.account_line("alice")
    out = w.reconfigure(gen_two(w), "--no-supervisor").stdout
    assert "  + etc/app/app.conf" in out and "  ~ etc/hosts" in out and "  - etc/motd" in out
    assert "  + user bob" in out and "switched to generation 2 (previously 1)" in out
    expect_two(w)
    bob = w.account_line("bob")
    assert w.account_line("alice") == alice           # existing entries untouched
    out = w.vsys("roll-back", "--root", w.root, "--no-supervisor").stdout
    assert "switched to generation 1 (previously 2)" in out and "  - user bob" in out
    expect_one(w)
    assert not os.path.exists(w.path("etc/app"))      # the directory vsys made is gone
    out = w.vsys("switch-generation", "--root", w.root, "--no-supervisor", "2").stdout
    assert "switched to generation 2 (previously 1)" in out
    expect_two(w)
    assert w.account_line("bob") == bob               # restored, same id
    # Relative to the current generation, as guix system switch-generation counts.
    out = w.vsys("switch-generation", "--root", w.root, "--no-supervisor", "-1").stdout
    assert "switched to generation 1 (previously 2)" in out
    out = w.vsys("switch-generation", "--root", w.root, "--no-supervisor", "+1").stdout
    assert "switched to generation 2 (previously 1)" in out
    r = w.vsys("switch-generation", "--root", w.root, "--no-supervisor", "+1", check=None)
    assert r.returncode == 1 and r.stderr == (
        f"vsys: there is no generation +1 from the current one (2) for the root "
        f"{w.root} (generations: 1, 2)\n")
    r = w.vsys("switch-generation", "--root", w.root, "--no-supervisor", "two", check=None)
    assert r.returncode == 1 and "not a generation: 'two'; write its number" in r.stderr
    listing = w.vsys("list-generations", "--root", w.root).stdout
    assert "Generation 1" in listing and "Generation 2\t" in listing and "(current)" in listing


def test_a_host_file_in_the_way_is_moved_aside_and_put_back(world):
    w = world
    os.makedirs(w.path("etc"))
    with open(w.path("etc/motd"), "w") as f:
        f.write("the host's own motd\n")
    out = w.reconfigure(gen_one(w), "--no-supervisor").stdout
    assert "  > etc/motd: not vsys's; moved aside to etc/motd.vsys-backup" in out
    assert read(w.path("etc/motd.vsys-backup")) == "the host's own motd\n"
    assert read(w.path("etc/motd")) == "hello one\n"
    w.reconfigure(gen_two(w), "--no-supervisor")
    assert read(w.path("etc/motd")) == "the host's own motd\n"     # no longer managed
    assert not os.path.lexists(w.path("etc/motd.vsys-backup"))
    assert not os.path.islink(w.path("etc/motd"))


def test_existing_accounts_are_kept_and_ids_do_not_collide(world):
    w = world
    os.makedirs(w.path("etc"))
    passwd = ("root:x:0:0:root:/root:/bin/bash\n"
              "svc:x:999:999:a host service:/var/lib/svc:/usr/sbin/nologin\n"
              "carol:x:1000:100:Carol:/home/carol:/bin/bash\n")
    group = "root:x:0:\nusers:x:100:carol\nsvc:x:999:\nstaff:x:50:carol\n"
    for name, text in (("passwd", passwd), ("group", group),
                       ("shadow", "root:*:19000:0:99999:7:::\n")):
        with open(w.path(f"etc/{name}"), "w") as f:
            f.write(text)
    w.reconfigure(gen_two(w), "--no-supervisor")
    new_passwd = read(w.path("etc/passwd"))
    assert new_passwd.startswith(passwd)
    uids = [ln.split(":")[2] for ln in new_passwd.splitlines()]
    assert len(uids) == len(set(uids))
    assert w.account_line("alice").split(":")[2] == "1001"      # 1000 is carol's
    gids = [ln.split(":")[2] for ln in read(w.path("etc/group")).splitlines()]
    assert len(gids) == len(set(gids)) and "999" in gids
    assert w.account_line("staff", "group") == "staff:x:50:carol,alice"
    assert w.account_line("root", "group") == "root:x:0:"
    def entries():
        return [sorted(read(w.path(f"etc/{n}")).splitlines()) for n in ("passwd", "group",
                                                                         "shadow")]
    before = entries()
    w.reconfigure(gen_one(w), "--no-supervisor")
    w.reconfigure(gen_two(w), "--no-supervisor")
    # Back at generation 2: the same entries (bob comes back last, with his id).
    assert entries() == before


def test_a_no_op_reconfigure_writes_nothing(world):
    w = world
    config = gen_one(w)
    w.reconfigure(config, "--no-supervisor")
    before = w.snapshot()
    out = w.reconfigure(config, "--no-supervisor").stdout
    assert "nothing to do" in out
    assert w.snapshot() == before


def test_dry_run_changes_nothing(world):
    w = world
    w.reconfigure(gen_one(w), "--no-supervisor")
    store = os.path.join(w.state, "store")       # the build writes its items there

    def outside_store():
        return {k: v for k, v in w.snapshot().items() if not k.startswith(store)}
    before = outside_store()
    out = w.reconfigure(gen_two(w), "--dry-run", "--no-supervisor").stdout
    assert "  + etc/app/app.conf" in out and "(dry run: nothing was changed)" in out
    assert outside_store() == before


def test_a_root_whose_etc_leads_elsewhere_is_refused(world, tmp_path):
    w = world
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    os.symlink(elsewhere, w.path("etc"))
    done = w.reconfigure(gen_one(w), "--no-supervisor", check=1)
    assert "leads out of the root" in done.stderr
    assert list(elsewhere.iterdir()) == []


def test_record_says_what_vsys_made(world):
    w = world
    w.reconfigure(gen_one(w), "--no-supervisor")
    r = record(w)
    assert r["activating"] is None and "etc/motd" in r["links"]
    assert "alice" in r["accounts"]["users"] and r["accounts"]["members"] == {"staff": ["alice"]}


def test_scheme_activation_snippets_do_not_run_in_a_sandbox(world, tmp_path):
    w = world
    target = tmp_path / "made-by-the-snippet"
    config = w.config("snippet.scm", BASE.format(
        host="s", users="", groups="",
        services=f"(simple-service 'act activation-service-type "
                 f"(list #~(mkdir \"{target}\")))"))
    out = w.reconfigure(config, "--no-supervisor").stdout
    assert "skipped 1 Scheme activation snippet(s): they run with --root / only" in out
    assert not target.exists()
