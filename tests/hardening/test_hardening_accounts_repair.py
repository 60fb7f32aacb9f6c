"""What older runs killed at a bad moment left in the account files is repaired by the
next run, and said: a user of vsys's in passwd without a shadow line, a second line for
one name, an intent recorded but not carried out, temporaries left next to the files."""

from __future__ import annotations

import json
import os

from support.world import World, read, record
from test_reconfigure_stashed_ids import CONFIG


def lines(w: World, name: str) -> list[str]:
    return read(w.path(f"etc/{name}")).splitlines()


def write(w: World, name: str, text: list[str]) -> None:
    with open(w.path(f"etc/{name}"), "w") as f:
        f.write("".join(ln + "\n" for ln in text))


def test_broken_account_files_are_repaired_and_said(tmp_path):
    w = World(tmp_path)
    c = w.config("c.scm", CONFIG.format(name="carol"))
    w.reconfigure(c, "--no-supervisor")
    carol = [ln for ln in lines(w, "shadow") if ln.startswith("carol:")]
    write(w, "shadow", [ln for ln in lines(w, "shadow") if not ln.startswith("carol:")])
    write(w, "group", lines(w, "group") + [ln for ln in lines(w, "group")
                                           if ln.startswith("users:")])
    for leftover in ("etc/passwd.vsys-new", "etc/.shadow.vsys-tmp.0123456789ab"):
        with open(w.path(leftover), "w") as f:
            f.write("half\n")
    out = w.reconfigure(c, "--no-supervisor").stdout
    assert ("left by an interrupted run (repaired first):\n"
            "  ! /etc/shadow: carol's missing line restored\n"
            "  ! /etc/group: a second line for users removed\n"
            "  ! remove /etc/.shadow.vsys-tmp.0123456789ab, left by an interrupted run\n"
            "  ! remove /etc/passwd.vsys-new, left by an interrupted run\n") in out
    assert [ln for ln in lines(w, "shadow") if ln.startswith("carol:")] == carol
    assert sum(ln.startswith("users:") for ln in lines(w, "group")) == 1
    assert not os.path.exists(w.path("etc/passwd.vsys-new"))
    assert not os.path.exists(w.path("etc/.shadow.vsys-tmp.0123456789ab"))
    assert "nothing to do" in w.reconfigure(c, "--no-supervisor").stdout


def test_an_intent_recorded_but_not_carried_out_is_finished(tmp_path):
    """The record says dave is added (a kill came after it was saved, before the
    files were rewritten): the next run writes his lines as the record has them."""
    w = World(tmp_path)
    w.reconfigure(w.config("c.scm", CONFIG.format(name="carol")), "--no-supervisor")
    rec = record(w)
    dave = {"passwd": "dave:x:1001:100::/home/dave:/bin/bash",
            "shadow": "dave:!:20000:0:99999:7:::"}
    rec["accounts"]["users"]["dave"] = dave
    rec["intent"] = {"passwd": {"dave": dave["passwd"]}, "shadow": {"dave": dave["shadow"]}}
    with open(w.path("var/lib/vsys/root.json"), "w") as f:
        json.dump(rec, f)
    out = w.reconfigure(w.config("d.scm", CONFIG.format(name="dave")), "--no-supervisor").stdout
    assert "  ! /etc/passwd: dave as the interrupted run meant\n" in out
    assert dave["passwd"] in lines(w, "passwd") and dave["shadow"] in lines(w, "shadow")
    assert "carol" not in [ln.split(":")[0] for ln in lines(w, "passwd")]
    assert record(w)["intent"] is None
