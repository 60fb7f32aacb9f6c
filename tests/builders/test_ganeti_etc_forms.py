"""/etc/ganeti from the forms Guix accepts beyond the manual's examples: a variant whose
configuration is any file-like object, file-storage-paths given as a file or a gexp, and
an OS provider without variants (an empty variants/ directory)."""

from __future__ import annotations

import os
import textwrap

from support.cli import run_vsys

CONFIG = """\
(use-modules (gnu) (guix gexp))
(use-service-modules ganeti)
(define paths-file (plain-file "paths" "/srv/ganeti/file-storage\\n/srv/more\\n"))
(operating-system
  (host-name "node")
  (services
   (list (service ganeti-service-type
           (ganeti-configuration
             (file-storage-paths PATHS)
             (os (list (debootstrap-os
                         (list (debootstrap-variant
                                 "handmade"
                                 (plain-file "handmade.conf" "SUITE=bookworm\\n"))))
                       (ganeti-os (name "bare")))))))))
"""


def build(tmp_path, paths: str) -> str:
    config = tmp_path / "ganeti.scm"
    config.write_text(textwrap.dedent(CONFIG).replace("PATHS", paths))
    env = dict(os.environ, VSYS_STATE_DIR=str(tmp_path / "state"))
    done = run_vsys("build", config, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    return os.path.join(done.stdout.strip().splitlines()[-1], "etc", "ganeti")


def read(path: str) -> str:
    with open(path, encoding="utf-8") as f:
        return f.read()


def test_file_like_variant_paths_file_and_an_os_without_variants(tmp_path):
    etc = build(tmp_path, "paths-file")
    assert read(os.path.join(etc, "file-storage-paths")) == "/srv/ganeti/file-storage\n/srv/more\n"
    variants = os.path.join(etc, "instance-debootstrap", "variants")
    assert read(os.path.join(variants, "handmade.conf")) == "SUITE=bookworm\n"
    assert read(os.path.join(variants, "variants.list")) == "handmade\n"
    bare = os.path.join(etc, "instance-bare", "variants")
    assert os.path.isdir(bare) and os.listdir(bare) == []


def test_file_storage_paths_from_a_gexp(tmp_path):
    etc = build(tmp_path, "#~(string-append #$paths-file \"\")")
    assert read(os.path.join(etc, "file-storage-paths")) == "/srv/ganeti/file-storage\n/srv/more\n"


def test_file_storage_paths_of_another_type_is_a_located_error(tmp_path):
    config = tmp_path / "bad.scm"
    config.write_text(textwrap.dedent(CONFIG).replace("PATHS", "42"))
    env = dict(os.environ, VSYS_STATE_DIR=str(tmp_path / "state"))
    done = run_vsys("build", config, env=env, timeout=120)
    assert done.returncode == 1
    assert f"{config}:" in done.stderr and "file-storage-paths" in done.stderr
    assert "list of strings on one line, a file-like object or a gexp" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_file_storage_path_of_two_lines_is_refused_where_it_is_given(tmp_path):
    """The file lists one path a line: a path holding a line break would be two."""
    config = tmp_path / "bad.scm"
    config.write_text(textwrap.dedent(CONFIG).replace(
        "PATHS", '(list "/srv/ok" (string-append "/srv/a" (string #\\newline) "b"))'))
    env = dict(os.environ, VSYS_STATE_DIR=str(tmp_path / "state"))
    done = run_vsys("build", config, env=env, timeout=120)
    assert done.returncode == 1, done.stderr
    assert done.stderr.startswith(f"{config}:9:"), done.stderr
    assert "field file-storage-paths of ganeti-configuration" in done.stderr
    assert '"/srv/a\\nb" holds a line break' in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
