"""Golden files: every artifact of every example of the manual (examples/*.scm), as
reviewed against the manual and the service pages (docs/services/), must come out of the
build byte for byte.

After a deliberate change, regenerate with VSYS_UPDATE_GOLDEN=1 and review the diff.

The host's package database is an input of the build (a program's path and the Debian
package named for it depend on what is installed), so these tests read a fixed one,
host-dpkg/ beside the golden files: the same artifacts on every machine, whatever it has.
"""

from __future__ import annotations

import glob
import os
import shutil

import pytest
from build_helpers import GOLDEN, artifacts, build_file
from support.paths import EXAMPLES

from vsys.stdlib import packages

UPDATE = os.environ.get("VSYS_UPDATE_GOLDEN") == "1"
EXAMPLE_FILES = sorted(glob.glob(os.path.join(EXAMPLES, "*.scm")))
HOST_DPKG = os.path.join(GOLDEN, "host-dpkg")


@pytest.fixture(autouse=True)
def fixed_host_packages(monkeypatch):
    monkeypatch.setattr(packages, "host", packages.HostPackages(HOST_DPKG))


def _read_tree(directory: str) -> dict[str, str]:
    out = {}
    for dirpath, _, files in os.walk(directory):
        for f in files:
            path = os.path.join(dirpath, f)
            with open(path, encoding="utf-8") as fh:
                out[os.path.relpath(path, directory)] = fh.read()
    return out


def _write_tree(directory: str, files: dict[str, str]) -> None:
    shutil.rmtree(directory, ignore_errors=True)
    for rel, text in files.items():
        path = os.path.join(directory, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)


@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=lambda p: os.path.basename(p)[:-4])
def test_every_artifact_matches_its_golden_file(example):
    got = artifacts(build_file(example))
    directory = os.path.join(GOLDEN, os.path.basename(example)[:-4])
    if UPDATE:
        _write_tree(directory, got)
    if not os.path.isdir(directory):
        pytest.fail(f"no golden files for {example}: run with VSYS_UPDATE_GOLDEN=1, then "
                    f"review {directory} against docs/services/")
    want = _read_tree(directory)
    assert sorted(got) == sorted(want), "the generation's files differ from the golden set"
    for name in sorted(want):
        assert got[name] == want[name], f"{name} differs from {directory}/{name}"


def test_the_build_is_reproducible():
    """The same config gives the same store paths, built twice in one process."""
    example = os.path.join(EXAMPLES, "ganeti-node.scm")
    first, second = build_file(example), build_file(example)
    assert first.generation == second.generation
    assert list(first.items) == list(second.items)
