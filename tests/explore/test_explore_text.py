"""`vsys search` and `vsys show`, and the texts behind ,describe and ,apropos."""

from __future__ import annotations

import subprocess

from support.cli import run_vsys

from vsys import explore
from vsys.stdlib import config_module

GANETI_TYPES = {"ganeti", "ganeti-noded", "ganeti-confd", "ganeti-wconfd", "ganeti-luxid",
                "ganeti-rapi", "ganeti-kvmd", "ganeti-mond", "ganeti-metad",
                "ganeti-watcher", "ganeti-cleaner"}


def vsys(*args: str) -> subprocess.CompletedProcess:
    return run_vsys(*args, timeout=60)


def records(text: str) -> list[dict]:
    out = []
    for block in text.strip().split("\n\n"):
        out.append(dict(line.split(": ", 1) for line in block.splitlines()))
    return out


def test_search_ganeti_lists_the_eleven_ganeti_service_types():
    done = vsys("search", "ganeti")
    assert done.returncode == 0, done.stderr
    found = records(done.stdout)
    assert {r["name"] for r in found} == GANETI_TYPES
    noded = next(r for r in found if r["name"] == "ganeti-noded")
    assert noded == {
        "name": "ganeti-noded", "variable": "ganeti-noded-service-type",
        "module": "(gnu services ganeti)", "extends": "shepherd-root account etc network-ports",
        "description": "ganeti-noded is the daemon responsible for the node functions "
                       "in the Ganeti system."}


def test_search_is_case_insensitive_and_ranks_names_first():
    hits = [t.name for _, t in explore.search("LIBVIRT")]
    assert hits[0] == "libvirt"
    assert "virtlogd" in hits            # its description mentions libvirtd


def test_search_failures():
    done = vsys("search", "no-such-service-anywhere")
    assert done.returncode == 1 and "no service type matches" in done.stderr
    done = vsys("search", "(")
    assert done.returncode == 2 and "bad regular expression" in done.stderr


def test_show_is_describe():
    done = vsys("show", "libvirt-configuration")
    assert done.returncode == 0
    assert done.stdout.strip() == explore.describe("libvirt-configuration",
                                                   config_module()).strip()


def test_show_markdown():
    done = vsys("show", "--format=markdown", "libvirt-configuration")
    assert done.returncode == 0
    assert done.stdout.startswith("### `libvirt-configuration`")
    assert '- **`tls-port`** (type: ' in done.stdout
    assert 'default: `"16514"`): Port for accepting secure TLS connections.' in done.stdout


def test_show_unknown_name_suggests():
    done = vsys("show", "libvirt-configuraton")
    assert done.returncode == 1
    assert "did you mean libvirt-configuration" in done.stderr


def test_show_of_a_word_that_is_no_name_points_to_search():
    # The manual calls a GNU/Hurd VM a childhurd; the service type is hurd-vm.
    done = vsys("show", "childhurd")
    assert done.returncode == 1
    assert done.stderr == ("vsys show: nothing is called childhurd\n"
                           "hint: `vsys search childhurd` looks for it in names and "
                           "descriptions\n")


def test_describe_kinds():
    svc = explore.describe("ganeti-watcher-service-type")
    assert "extends: mcron" in svc and "default value: (ganeti-watcher-configuration)" in svc
    field = explore.describe("tls-port")
    assert "field of libvirt-configuration" in field and 'default "16514"' in field
    module = explore.describe("(gnu services virtualization)")
    assert "libvirt-service-type" in module and "libvirt-configuration" in module
    assert "libvirt-configuration-tls-port" not in module     # accessors go unsaid
    assert explore.describe("operating-system").count("\n  host-name (host name") == 1
    assert "(service TYPE [VALUE])" in explore.describe("service")


def test_defaults_read_as_scheme():
    text = explore.describe("ganeti-configuration")
    assert "noded-configuration (ganeti-noded-configuration, default " \
           "(ganeti-noded-configuration))" in text


def test_apropos():
    rows = explore.apropos("^libvirt-configuration$")
    assert rows == [("(gnu services virtualization)", "libvirt-configuration")]


def test_a_config_system_is_its_last_value_or_a_variable(tmp_path):
    config = tmp_path / "config.scm"
    config.write_text('(use-modules (gnu))\n'
                      '(define %node (operating-system (host-name "n1")))\n'
                      '(define %spare (operating-system (host-name "n2")))\n'
                      '(display "ready")\n')
    assert explore.load_config(str(config))["host-name"] == "n2"     # the last one
    config.write_text('(use-modules (gnu))\n(define a (operating-system (host-name "a")))\n'
                      '(operating-system (inherit a) (host-name "b"))\n')
    assert explore.load_config(str(config))["host-name"] == "b"
