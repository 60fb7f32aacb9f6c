"""What a person sees when something is wrong: a located message for a mistake in the
config, one plain line for a root they may not manage or cannot write, never a
traceback; and a second reconfigure waits for the first."""

from __future__ import annotations

import os
import subprocess
import time

import pytest
from support.paths import EXAMPLES
from support.world import VSYS, World

from vsys.reconfigure import reconfigure_main

NOBODY = 65534


def test_a_mistake_in_the_config_is_located_and_nothing_is_written(tmp_path):
    w = World(tmp_path)
    config = w.config("bad.scm", """\
        (use-modules (gnu))
        (operating-system
          (host-name "h")
          (services (list (service libvirt-service-type))))
        """)
    for command in (["build"], ["reconfigure", "--root", w.root]):
        r = w.vsys(*command, config, check=1)
        assert r.stderr.startswith(f"{config}:4:")
        assert "libvirt-service-type" in r.stderr and "Traceback" not in r.stderr
    assert not os.path.exists(os.path.join(w.state, "store")) or \
        os.listdir(os.path.join(w.state, "store")) == []
    assert os.listdir(w.root) == []


def test_a_config_that_is_not_an_operating_system(tmp_path):
    w = World(tmp_path)
    r = w.vsys("build", w.config("x.scm", "(+ 1 2)\n"), check=1)
    assert "must evaluate to an (operating-system ...); its last form gives 3" in r.stderr
    r = w.vsys("build", str(tmp_path / "missing.scm"), check=2)
    assert r.stderr == f"vsys: no such file: {tmp_path / 'missing.scm'}\n"
    r = w.vsys("reconfigure", str(tmp_path), check=2)
    assert r.stderr == f"vsys: {tmp_path} is a directory, not a Scheme file\n"


def test_debug_shows_the_traceback(tmp_path):
    w = World(tmp_path)
    r = subprocess.run(VSYS + ["build", "--debug", w.config("x.scm", "(+ 1 2)\n")],
                       capture_output=True, text=True, env=w.env)
    assert r.returncode == 1 and "must evaluate to an (operating-system" in r.stderr


def test_root_slash_needs_root_privileges(tmp_path, monkeypatch, capsys):
    w = World(tmp_path)
    monkeypatch.setenv("VSYS_STATE_DIR", w.state)
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    config = w.config("c.scm", '(use-modules (gnu)) (operating-system (host-name "h"))')
    assert reconfigure_main(config, "/", False, True, True, [], False) == 1
    err = capsys.readouterr().err
    assert "--root / manages this host" in err and "needs root privileges" in err
    assert not os.path.exists(os.path.join(w.state, "store"))


# Root without the capabilities that let it ignore file permissions: a person who may
# not write the root.
UNPRIVILEGED = ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner", "--"]


def test_a_root_that_cannot_be_written_is_reported_plainly(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("the test drops capabilities root has")
    w = World(tmp_path)
    os.chown(w.root, NOBODY, NOBODY)
    os.chmod(w.root, 0o555)
    config = w.config("c.scm", '(use-modules (gnu)) (operating-system (host-name "h"))')
    r = w.vsys("reconfigure", "--root", w.root, "--no-supervisor", config,
               prefix=UNPRIVILEGED, check=1)
    assert r.stderr.rstrip().splitlines()[-1].endswith("permission denied")
    assert "Traceback" not in r.stderr
    assert os.listdir(w.root) == []
    assert w.current() is None


def test_a_second_reconfigure_waits_for_the_first(tmp_path):
    w = World(tmp_path)
    config = w.config("c.scm", '(use-modules (gnu)) (operating-system (host-name "h"))')
    lock, proc = w.reconfigure_while_locked(config, "--no-supervisor")
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.1)
            if os.path.exists(os.path.join(w.state, "store")) and w.current() is None:
                break
        time.sleep(1.0)
        assert proc.poll() is None and w.current() is None      # still waiting
    finally:
        os.close(lock)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "waiting for another vsys command" in err
    assert "switched to generation 1" in out


def test_describe_shows_the_generation_and_host_managed_fields(tmp_path):
    w = World(tmp_path)
    example = os.path.abspath(os.path.join(EXAMPLES, "libvirt.scm"))
    w.reconfigure(example, "--no-supervisor")
    out = w.vsys("describe", "--root", w.root).stdout
    assert "current generation: 1 (1 in all)" in out
    assert f"configuration file: {example}" in out
    assert "libvirtd" in out and "host name: vmhost" in out
    assert '  timezone: "Europe/Paris"' in out and "bootloader:" in out
    copy = out.split("copy of the configuration: ")[1].split("\n")[0]
    with open(copy) as f, open(example) as g:
        assert f.read() == g.read()
    assert "  locale:" in w.vsys("describe", "--root", w.root, "--all").stdout


def test_without_root_the_sandbox_is_used_and_named(tmp_path):
    w = World(tmp_path)
    config = w.config("c.scm", '(use-modules (gnu)) (operating-system (host-name "h"))')
    out = w.vsys("reconfigure", "--no-supervisor", config).stdout
    sandbox = os.path.join(w.state, "root")
    assert f"root: {sandbox} (sandbox)" in out
    assert os.path.islink(os.path.join(sandbox, "etc/hosts"))
    assert os.path.islink(os.path.join(w.state, "profiles", "system-1-link"))
    assert "Generation 1" in w.vsys("list-generations").stdout
    assert w.vsys("list-generations", "7").stdout == (
        f"no generation matches 7 for the root {sandbox} (sandbox) (generations: 1)\n")
    assert f"root: {sandbox} (sandbox)" in w.vsys("describe").stdout
    r = w.vsys("roll-back", check=1)
    assert "no generation before 1 to roll back to" in r.stderr
