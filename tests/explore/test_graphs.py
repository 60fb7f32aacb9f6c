"""`vsys extension-graph` and `vsys shepherd-graph` on the manual's Ganeti node example:
valid Graphviz that names every service."""

from __future__ import annotations

import os
import re
import subprocess

import pytest
from hostprograms import need_program
from support.cli import run_vsys
from support.paths import REPO as ROOT

from vsys import explore, graphs

NODE = os.path.join(ROOT, "examples", "ganeti-node.scm")


@pytest.fixture(scope="module")
def folded():
    return explore.fold_system(explore.load_config(NODE))


def vsys(*args: str) -> subprocess.CompletedProcess:
    return run_vsys(*args, timeout=60, cwd=ROOT)


def labels(dot_text: str) -> list[str]:
    return re.findall(r'label = "([^"]*)"', dot_text)


def test_extension_graph_names_every_service(folded):
    done = vsys("extension-graph", NODE)
    assert done.returncode == 0, done.stderr
    assert sorted(labels(done.stdout)) == sorted(s.type.name for s in folded.services)
    ids = {label: node for node, label in
           re.findall(r'(\w+) \[label = "([^"]*)"\]', done.stdout)}
    assert f"{ids['ganeti']} -> {ids['shepherd-root']};" in done.stdout
    assert f"{ids['ganeti-hosts-entries']} -> {ids['hosts']};" in done.stdout


def test_shepherd_graph_names_every_shepherd_service(folded):
    done = vsys("shepherd-graph", NODE)
    assert done.returncode == 0, done.stderr
    names = set(labels(done.stdout))
    expected = {n for ns in explore.shepherd_names(folded).values() for n in ns}
    assert expected <= names
    assert {"ganeti-noded", "ssh-daemon", "mcron", "networking"} <= names
    ids = {label: node for node, label in
           re.findall(r'(\w+) \[label = "([^"]*)"', done.stdout)}
    assert f"{ids['ganeti-noded']} -> {ids['user-processes']};" in done.stdout


@pytest.mark.parametrize("kind", ["extension", "shepherd"])
def test_graphviz_reads_it(kind, tmp_path):
    need_program("dot", "graphviz")
    svg = tmp_path / "graph.svg"
    done = vsys(f"{kind}-graph", NODE, "--output", str(svg))
    assert done.returncode == 0, done.stderr
    text = svg.read_text().replace("&#45;", "-")      # dot escapes hyphens
    assert text.lstrip().startswith("<?xml") and "<svg" in text
    assert (">ganeti-noded<" if kind == "shepherd" else ">ganeti-hosts-entries<") in text


def test_without_dot_the_message_names_the_package(monkeypatch, tmp_path):
    monkeypatch.setattr(graphs.shutil, "which", lambda name: None)
    with pytest.raises(graphs.RenderError, match=r"Debian package graphviz"):
        graphs.render("digraph x {}", str(tmp_path / "g.svg"))


def test_a_config_without_a_system(tmp_path):
    config = tmp_path / "nothing.scm"
    config.write_text("(define x 1)\n")
    done = vsys("extension-graph", str(config))
    assert done.returncode == 1
    assert done.stderr.startswith(f"{config}:1:1: error: {config} does not evaluate to an "
                                  f"operating-system")


def test_a_mistake_in_the_config_is_located(tmp_path):
    config = tmp_path / "bad.scm"
    config.write_text("(use-modules (gnu))\n(operating-system (host-nam \"x\"))\n")
    done = vsys("shepherd-graph", str(config))
    assert done.returncode == 1
    assert done.stderr.startswith(f"{config}:2:")


def test_a_config_split_into_modules_is_graphed_with_its_load_path(tmp_path):
    modules = tmp_path / "modules" / "my"
    modules.mkdir(parents=True)
    (modules / "services.scm").write_text(
        "(define-module (my services)\n"
        "  #:use-module (gnu)\n"
        "  #:use-module (gnu services virtualization)\n"
        "  #:export (%my-services))\n"
        "(define %my-services (list (service virtlog-service-type)))\n")
    config = tmp_path / "config.scm"
    config.write_text("(use-modules (gnu) (my services))\n"
                      "(operating-system (host-name \"x\")\n"
                      "  (services (append %my-services %base-services)))\n")
    for kind in ("extension-graph", "shepherd-graph"):
        done = vsys(kind, "-L", str(tmp_path / "modules"), str(config))
        assert done.returncode == 0, done.stderr
        assert "virtlog" in " ".join(labels(done.stdout))
