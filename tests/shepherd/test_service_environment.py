"""What a service's process is given: its own variables and the host's standard PATH,
never the environment of whoever started the supervisor; and a service whose program,
files or environment changed without its spec is restarted by the next reload, while
one that failed for want of its program starts once the program is there."""

from __future__ import annotations

import os
import stat

from vsys.shepherd import runners

HOST_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def env_lines(sandbox, name: str) -> list[str]:
    lines = sandbox.call("log", name, lines=100)["result"]["lines"]
    return sorted(ln.split(" ", 2)[2] for ln in lines if "[shepherd]" not in ln)


def test_services_get_their_own_environment_not_the_callers(sandbox):
    sandbox.env.update(SECRET_TOKEN="from-the-shell", PATH="/home/me/bin:/usr/bin", LANG="C")
    sandbox.spec("bare", **{"one-shot": True}, start={"argv": ["/usr/bin/env"]})
    sandbox.spec("own", **{"one-shot": True},
                 start={"argv": ["/usr/bin/env"], "environment": {"GREETING": "hi"}})
    sandbox.spec("pathed", **{"one-shot": True},
                 start={"argv": ["/usr/bin/env"], "environment": {"PATH": "/opt/x/bin"}})
    sandbox.spec("acting", **{"auto-start": False}, start={"argv": ["/bin/true"]},
                 actions=[{"name": "show", "kind": "run", "argv": ["/usr/bin/env"]}])
    sandbox.start_supervisor()
    sandbox.wait_for(lambda: all(sandbox.call("status", n)["result"]["status"] == "done"
                                 for n in ("bare", "own", "pathed")), what="the one-shots")
    assert env_lines(sandbox, "bare") == [f"PATH={HOST_PATH}"]
    assert env_lines(sandbox, "own") == ["GREETING=hi", f"PATH={HOST_PATH}"]
    assert env_lines(sandbox, "pathed") == ["PATH=/opt/x/bin"]
    r = sandbox.herd("show", "acting")
    assert (r.returncode, r.stdout) == (0, f"PATH={HOST_PATH}\n")


def program(path: str, seconds: int, marker: str) -> None:
    """Install (or reinstall, as a package upgrade does: a new file renamed in place) a
    program that sleeps."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path + ".new", "w") as f:
        f.write(f"#!/bin/bash\nexec -a 'sleep-{marker}' sleep {seconds}\n")
    os.chmod(path + ".new", 0o755)
    os.replace(path + ".new", path)


def test_a_reload_restarts_what_changed_behind_an_unchanged_spec(sandbox):
    tool = os.path.join(sandbox.base, "opt/bin/tool")
    conf_dir = os.path.join(sandbox.base, "gen")
    for n in ("1", "2"):
        os.makedirs(os.path.join(conf_dir, n))
        with open(os.path.join(conf_dir, n, "tool.conf"), "w") as f:
            f.write(f"generation {n}\n")
    link = os.path.join(sandbox.base, "tool.conf")
    os.symlink(os.path.join(conf_dir, "1", "tool.conf"), link)
    spec = {"start": {"argv": [tool, link], "package": "tool"}}
    sandbox.spec("tool", **spec)
    sandbox.sleeper("other")
    sandbox.start_supervisor()
    sandbox.wait_for(lambda: sandbox.call("status", "tool")["result"]["failed"], what="fail")
    assert sandbox.call("status", "tool")["result"]["message"] == \
        f"{tool}: no such program; install the host package `tool`"

    def reload() -> dict:
        again = os.path.join(sandbox.base, f"svc{reload.n}")
        reload.n += 1
        os.makedirs(again)
        sandbox.spec("tool", directory=again, **spec)
        sandbox.sleeper("other", directory=again)
        reply = sandbox.call("reload", **{"services-dir": again})
        assert reply["ok"], reply
        return reply["result"]
    reload.n = 2

    # The package is installed: the next reload (its spec unchanged) starts it.
    program(tool, 1000, sandbox.base)
    result = reload()
    assert (result["started"], result["restarted"], result["failed"]) == (["tool"], [], {})
    first = sandbox.service_pid("tool")
    assert first

    # Nothing changed: nothing restarts.
    result = reload()
    assert (result["started"], result["restarted"]) == ([], [])
    assert sandbox.service_pid("tool") == first

    # The program upgraded in place: restarted.
    program(tool, 1001, sandbox.base)
    result = reload()
    assert result["restarted"] == ["tool"]
    second = sandbox.service_pid("tool")
    assert second not in (None, first)
    assert sandbox.marked(b"sleep 1000") == []

    # A file it is given now leads elsewhere (a new generation's): restarted.
    os.unlink(link)
    os.symlink(os.path.join(conf_dir, "2", "tool.conf"), link)
    result = reload()
    assert result["restarted"] == ["tool"]
    assert sandbox.service_pid("tool") not in (None, second)
    assert sandbox.call("status", "other")["result"]["status"] == "running"


def test_a_missing_program_in_a_standard_directory_is_found_in_another(tmp_path, monkeypatch):
    """A build that ran before the package was installed guessed /usr/bin/X; the
    package put it in /usr/sbin: a start resolves it there."""
    usr_bin, usr_sbin = tmp_path / "usr/bin", tmp_path / "usr/sbin"
    usr_bin.mkdir(parents=True)
    usr_sbin.mkdir(parents=True)
    monkeypatch.setattr(runners, "HOST_PATH", f"{usr_sbin}:{usr_bin}")
    env = {"PATH": runners.HOST_PATH}
    guessed = str(usr_bin / "noded")
    assert runners.resolve_program(guessed, env) is None
    real = usr_sbin / "noded"
    real.write_text("#!/bin/sh\n")
    real.chmod(real.stat().st_mode | stat.S_IXUSR)
    assert runners.resolve_program(guessed, env) == str(real)
    # Outside the standard directories a missing path stays missing.
    assert runners.resolve_program(str(tmp_path / "opt/noded"), env) is None
