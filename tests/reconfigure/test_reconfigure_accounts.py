"""Accounts vsys created follow the config from one generation to the next (and back);
accounts it did not create are left as they are, with a note in the plan."""

from __future__ import annotations

import os

from support.world import World, read

BASE = """\
(use-modules (gnu))
(operating-system
  (host-name "h")
  (users (cons* {users} %base-user-accounts))
  (groups (cons* {groups} %base-groups))
  (services '()))
"""


def bob(comment: str, shell: str, extra: str = "") -> str:
    return (f'(user-account (name "bob") (group "users") (comment "{comment}") '
            f'(shell "{shell}") {extra})')


def u1(w: World) -> str:
    return w.config("u1.scm", BASE.format(users=bob("Bob", "/bin/bash"), groups=""))


def u2(w: World) -> str:
    return w.config("u2.scm", BASE.format(
        users=bob("Robert", "/bin/sh", "(supplementary-groups '(\"audio\"))"), groups=""))


def accounts_section(out: str) -> list[str]:
    lines = out.splitlines()
    start = lines.index("accounts:") + 1
    end = next((i for i in range(start, len(lines)) if not lines[i].startswith("  ")),
               len(lines))
    return lines[start:end]


def test_a_user_vsys_created_is_rewritten_when_the_config_changes(world):
    w = world
    w.reconfigure(u1(w), "--no-supervisor")
    assert w.account_line("bob") == "bob:x:1000:100:Bob:/home/bob:/bin/bash"
    shadow = w.account_line("bob", "shadow")
    out = w.reconfigure(u2(w), "--no-supervisor").stdout
    assert accounts_section(out) == [
        "  ~ user bob: comment \"Bob\" -> \"Robert\", shell /bin/bash -> /bin/sh",
        "  + bob joins audio"]
    assert "1 user changed" in out
    assert w.account_line("bob") == "bob:x:1000:100:Robert:/home/bob:/bin/sh"
    assert w.account_line("bob", "shadow") == shadow          # the password is kept
    assert w.account_line("audio", "group").endswith(":bob")
    assert [ln.split(":")[0] for ln in read(w.path("etc/passwd")).splitlines()].count("bob") == 1


def test_the_same_config_again_changes_nothing(world):
    w = world
    w.reconfigure(u1(w), "--no-supervisor")
    w.reconfigure(u2(w), "--no-supervisor")
    before = w.snapshot()
    out = w.reconfigure(u2(w), "--no-supervisor").stdout
    assert "nothing to do" in out and "~ user" not in out
    assert w.snapshot() == before


def test_roll_back_restores_the_previous_values(world):
    w = world
    w.reconfigure(u1(w), "--no-supervisor")
    w.reconfigure(u2(w), "--no-supervisor")
    out = w.vsys("roll-back", "--root", w.root, "--no-supervisor").stdout
    assert "  ~ user bob: comment \"Robert\" -> \"Bob\", shell /bin/sh -> /bin/bash" in out
    assert "  - bob leaves group audio" in out
    assert w.account_line("bob") == "bob:x:1000:100:Bob:/home/bob:/bin/bash"
    assert w.account_line("audio", "group").split(":")[3] == ""
    out = w.vsys("switch-generation", "--root", w.root, "--no-supervisor", "2").stdout
    assert "  ~ user bob: comment \"Bob\" -> \"Robert\", shell /bin/bash -> /bin/sh" in out
    assert w.account_line("bob") == "bob:x:1000:100:Robert:/home/bob:/bin/sh"


def test_a_user_the_host_created_is_left_as_is(world):
    w = world
    os.makedirs(w.path("etc"))
    host_bob = "bob:x:1000:100:Bob:/home/bob:/bin/zsh"
    for name, text in (("passwd", f"root:x:0:0:root:/root:/bin/bash\n{host_bob}\n"),
                       ("group", "root:x:0:\nusers:x:100:\n"),
                       ("shadow", "root:*:19000:0:99999:7:::\nbob:$6$secret:19000:0:99999:7:::\n")):
        with open(w.path(f"etc/{name}"), "w") as f:
            f.write(text)
    out = w.reconfigure(u1(w), "--no-supervisor").stdout
    assert "  ! user bob exists on the host with a different shell; left as is" in out
    assert "~ user bob" not in out
    assert w.account_line("bob") == host_bob
    assert w.account_line("bob", "shadow") == "bob:$6$secret:19000:0:99999:7:::"
    out = w.reconfigure(u2(w), "--no-supervisor").stdout
    assert ("  ! user bob exists on the host with a different comment and shell; left as is"
            in out)
    assert w.account_line("bob") == host_bob


def test_a_group_vsys_created_takes_its_new_id(world):
    w = world
    def config(name: str, gid: int) -> str:
        return w.config(name, BASE.format(
            users='(user-account (name "carl") (group "crew"))',
            groups=f'(user-group (name "crew") (id {gid}))'))
    w.reconfigure(config("g1.scm", 2000), "--no-supervisor")
    assert w.account_line("crew", "group") == "crew:x:2000:"
    carl = w.account_line("carl").split(":")
    assert carl[3] == "2000"
    out = w.reconfigure(config("g2.scm", 2001), "--no-supervisor").stdout
    assert "  ~ group crew: id 2000 -> 2001" in out
    assert "  ~ user carl: group crew (2000) -> crew (2001)" in out
    assert w.account_line("crew", "group") == "crew:x:2001:"
    assert w.account_line("carl").split(":") == carl[:3] + ["2001"] + carl[4:]
