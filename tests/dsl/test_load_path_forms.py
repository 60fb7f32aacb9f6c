"""`current-filename` and `add-to-load-path`: a config finding its own modules in a
directory beside it, as Guix configs do."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from support import paths
from support.cli import run_vsys
from support.files import write
from support.scheme import run_file

from vsys.dsl.loader import set_load_path

EXAMPLES = Path(paths.EXAMPLES)


@pytest.fixture(autouse=True)
def _reset_load_path():
    yield
    set_load_path([])


def test_current_filename_is_the_absolute_name_of_the_file_holding_it(tmp_path):
    write(tmp_path / "sub" / "part.scm", "(display (current-filename)) (newline)\n")
    main = write(tmp_path / "main.scm", """\
        (display (current-filename)) (newline)
        (load "sub/part.scm")
        (display (eval '(current-filename) (current-module))) (newline)
        """)
    assert run_file(main) == (0, f"{main}\n{tmp_path / 'sub' / 'part.scm'}\n#f\n", "")


def test_add_to_load_path_before_use_modules_finds_a_sibling_module_directory(tmp_path):
    write(tmp_path / "modules" / "my" / "hosts.scm", """\
        (define-module (my hosts) #:export (host))
        (define host "from-module")
        """)
    main = write(tmp_path / "config" / "main.scm", """\
        (add-to-load-path (string-append (dirname (current-filename)) "/../modules"))
        (use-modules (my hosts))
        (display host) (newline)
        """)
    assert run_file(main) == (0, "from-module\n", "")


def test_vsys_build_of_a_config_using_its_own_module(tmp_path):
    write(tmp_path / "modules" / "my" / "hosts.scm", """\
        (define-module (my hosts) #:export (my-host-name))
        (define my-host-name "host-from-module")
        """)
    config = (EXAMPLES / "default.scm").read_text().replace(
        "(use-modules (gnu))",
        '(add-to-load-path (string-append (dirname (current-filename)) "/../modules"))\n'
        "(use-modules (gnu) (my hosts))").replace(
        '(host-name "vmhost")', "(host-name my-host-name)")
    write(tmp_path / "config" / "config.scm", config)
    env = dict(os.environ, VSYS_STATE_DIR=str(tmp_path / "state"))
    env.pop("VSYS_LOAD_PATH", None)
    r = run_vsys("build", "config/config.scm", cwd=tmp_path, env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    generation = Path(r.stdout.strip().splitlines()[-1])
    assert "host-from-module" in (generation / "manifest.json").read_text()
