"""The config is read once: the generation's copy of it (configuration.scm) is the text
that was evaluated, even when an editor replaces the file meanwhile, and a config given
as a pipe (`<(cat c.scm)`, /dev/stdin) builds."""

from __future__ import annotations

import builtins
import json
import os
import subprocess

from support.world import VSYS, World

from vsys.building import evaluate_and_build

CONFIG = '(use-modules (gnu)) (operating-system (host-name "{}"))\n'


def test_the_copy_is_the_text_evaluated_though_the_file_is_replaced(tmp_path, monkeypatch):
    path = str(tmp_path / "c.scm")
    with open(path, "w") as f:
        f.write(CONFIG.format("first"))
    real_open = builtins.open

    def open_then_replace(file, *args, **kw):
        handle = real_open(file, *args, **kw)
        if file in (path, "c.scm"):         # as an editor saving: a new file renamed over
            with real_open(path + ".new", "w") as f:
                f.write(CONFIG.format("second"))
            os.replace(path + ".new", path)
        return handle

    monkeypatch.setattr(builtins, "open", open_then_replace)
    build = evaluate_and_build(path, [], str(tmp_path / "store"), ["vsys"])
    entries = build.items[build.generation].entries
    manifest = json.loads(entries["manifest.json"].data)
    assert entries["configuration.scm"].data.decode() == CONFIG.format(manifest["host-name"])


def test_a_config_given_as_a_pipe_builds(tmp_path):
    w = World(tmp_path)
    config = w.config("c.scm", CONFIG.format("piped"))
    vsys = " ".join(VSYS)
    for command in (f"{vsys} build <(cat {config})", f"cat {config} | {vsys} build /dev/stdin"):
        done = subprocess.run(["bash", "-c", command], capture_output=True, text=True,
                              env=w.env, timeout=120, check=False)
        assert done.returncode == 0, done.stderr
        with open(os.path.join(done.stdout.strip(), "configuration.scm")) as f:
            assert f.read() == CONFIG.format("piped")


def test_a_mistake_in_a_piped_config_is_located(tmp_path):
    w = World(tmp_path)
    done = subprocess.run(VSYS + ["build", "/dev/stdin"], input="(use-modules (gnu))\n(oops",
                          capture_output=True, text=True, env=w.env, timeout=120,
                          check=False)
    assert done.returncode == 1 and done.stderr.startswith("/dev/stdin:2:1: error:")


def test_a_dangling_link_is_still_refused(tmp_path):
    w = World(tmp_path)
    os.symlink(str(tmp_path / "gone.scm"), str(tmp_path / "c.scm"))
    r = w.vsys("build", str(tmp_path / "c.scm"), check=2)
    assert "(a dangling link)" in r.stderr
