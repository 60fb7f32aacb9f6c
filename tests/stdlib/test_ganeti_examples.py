"""The manual's Ganeti examples (examples/ganeti-*.scm) fold to the expected daemons,
jobs, /etc/ganeti tree and activation; its two Ganeti mistakes give helpful errors."""

from __future__ import annotations

import os
import shlex

import pytest
from test_virtualization_examples import (
    EXAMPLES,
    RESOLVE,
    activation,
    build,
    etc,
    shepherd,
    start_code,
    text,
)

from vsys.builders.runners import value
from vsys.dsl.api import eval_string
from vsys.dsl.datatypes import to_list
from vsys.dsl.errors import SchemeError, format_error
from vsys.dsl.printer import write_string
from vsys.dsl.reader import read_all
from vsys.dsl.records import misplaced_field_hints
from vsys.stdlib import ganeti as g
from vsys.stdlib import system, system_services
from vsys.stdlib.gexp import lower
from vsys.stdlib.guix_modules import config_module
from vsys.stdlib.mcron import mcron_service_type
from vsys.stdlib.services import fold_services

DAEMONS = [f"ganeti-{d}" for d in g.DAEMONS]


def jobs(folded) -> list[str]:
    return [write_string(lower(j, RESOLVE)) for j in
            to_list(folded.one(mcron_service_type)["jobs"])]


def daemon_command(record) -> list[str]:
    """The command a Ganeti daemon's wrapper (`/bin/sh -c SCRIPT ganeti-DAEMON`) ends
    with (`exec PROGRAM ARG...`)."""
    sh, dash_c, script, name = argv_of_start(record)
    script = value(script)          # (string-append ...) as the builder computes it
    assert (sh, dash_c, name) == ("/bin/sh", "-c", to_list(record["provision"])[0].name)
    last = script.splitlines()[-1]
    assert last.startswith("exec ")
    return shlex.split(last)[1:]


def argv_of_start(record) -> list:
    """argv of `(lambda args (system* ENSURE-DIRS) (apply (make-forkexec-constructor
    (list ARG...) ...) args))`."""
    forkexec = to_list(to_list(start_code(record)[3])[1])
    return to_list(forkexec[1])[1:]


def etc_ganeti(folded) -> dict:
    return dict(etc(folded)["ganeti"].entries)


def test_ganeti_node_example():
    os_, folded = build("ganeti-node.scm")
    services = shepherd(folded)
    for name in DAEMONS + ["ssh-daemon"]:
        assert name in services, name
    assert daemon_command(services["ganeti-noded"])[1:] == [
        "--port=1811", "--bind=0.0.0.0", "--max-clients=20",
        "--ssl-key=/var/lib/ganeti/server.pem", "--ssl-cert=/var/lib/ganeti/server.pem"]
    assert daemon_command(services["ganeti-noded"])[0].endswith("/ganeti-noded")
    assert daemon_command(services["ganeti-wconfd"])[0].endswith("/ganeti-wconfd")
    assert services["ganeti-metad"]["auto-start?"] is False
    watcher, master, node = jobs(folded)
    assert watcher.startswith("(job (quote (next-second-from (next-minute (range 0 60 5)))) ")
    assert watcher.endswith('"--job-age=21600")) "ganeti-watcher")')
    assert master.startswith('(job "45 1 * * *"') and node.startswith('(job "45 2 * * *"')
    tree = etc_ganeti(folded)
    assert text(tree["file-storage-paths"]) == "/srv/ganeti/file-storage"
    assert sorted(tree) == ["file-storage-paths",
                            "instance-debootstrap/variants.list",
                            "instance-debootstrap/variants/default.conf",
                            "instance-debootstrap/variants/variants.list",
                            "instance-guix/variants.list",
                            "instance-guix/variants/default.scm",
                            "instance-guix/variants/variants.list", "lib", "share"]
    # Debian's programs are links through /etc/ganeti/lib and share to its version
    assert (RESOLVE(tree["lib"]), RESOLVE(tree["share"])) == (
        "/usr/lib/ganeti/3.0", "/usr/share/ganeti/3.0")
    dirs = [s["path"] for s in activation(folded) if s["kind"] == "directory"]
    assert all(d in dirs for d in g.ACTIVATION_DIRECTORIES)
    profile = [getattr(p, "name", None)
               for p in to_list(folded.one(system_services.profile_service_type))]
    assert "ganeti" in profile
    packages = [p.name for p in to_list(os_["packages"]) if hasattr(p, "name")]
    for name in ("qemu", "lvm2", "drbd-utils", "ceph", "ganeti-instance-guix",
                 "ganeti-instance-debootstrap"):
        assert name in packages


def test_ganeti_rapi_watcher_example():
    _, folded = build("ganeti-rapi-watcher.scm")
    rapi = daemon_command(shepherd(folded)["ganeti-rapi"])
    assert rapi[1:] == ["--port=5080", "--bind=0.0.0.0", "--interface=eth1",
                        "--max-clients=20", "--ssl-key=/var/lib/ganeti/server.pem",
                        "--ssl-cert=/var/lib/ganeti/server.pem"]
    assert '"--rapi-ip=10.0.0.1" "--job-age=21600"' in jobs(folded)[0]


def test_ganeti_custom_os_example():
    _, folded = build("ganeti-custom-os.scm")
    tree = etc_ganeti(folded)
    assert sorted(tree) == ["instance-personalizado/variants.list",
                            "instance-personalizado/variants/cosa.conf",
                            "instance-personalizado/variants/variants.list", "lib", "share"]
    assert text(tree["instance-personalizado/variants/cosa.conf"]) == "Esto va bien"
    assert text(tree["instance-personalizado/variants/variants.list"]) == "cosa\n"


def test_ganeti_guix_variants_directory_example():
    _, folded = build("ganeti-guix-variants.scm")
    tree = etc_ganeti(folded)
    variants = tree["instance-guix/variants"]
    assert variants.is_directory
    assert sorted(variants.produce(RESOLVE).entries) == ["default.scm", "variants.list"]


def test_ganeti_debootstrap_hooks_example():
    _, folded = build("ganeti-debootstrap-hooks.scm")
    tree = etc_ganeti(folded)
    variant = tree["instance-debootstrap/variants/hola.conf"]
    assert "CUSTOMIZE_DIR=/store/debootstrap-hooks\n" in text(variant)
    hooks = next(p for p in variant.parts if not isinstance(p, str))
    content = hooks.produce(RESOLVE).entries["99-hola-mundo"]
    assert content.executable
    assert content.data.decode() == "#!/bin/sh\necho '¡Hola mundo!'"


def test_ganeti_services_one_by_one():
    _, folded = build("ganeti-services.scm")
    services = shepherd(folded)
    assert [d for d in DAEMONS if d in services] == [d for d in DAEMONS if d != "ganeti-rapi"]
    assert len(jobs(folded)) == 3
    # no OS providers, but what the daemons need in /etc: the version links, and the
    # hook that sends daemon-util's requests to the supervisor
    assert sorted(etc_ganeti(folded)) == ["lib", "share"]
    assert "vsys_herd=/run/vsys/herd\n" in text(etc(folded)["default/ganeti"])


def test_two_daemons_on_one_port():
    m = config_module()
    eval_string("(use-service-modules ganeti)", m)
    os_ = eval_string("""
      (operating-system
        (host-name "n")
        (services (list (service ganeti-service-type
                                 (ganeti-configuration
                                  (mond-configuration
                                   (ganeti-mond-configuration (port 1811))))))))""", m)
    with pytest.raises(SchemeError) as e:
        fold_services(system.operating_system_services(os_))
    assert "TCP port 1811" in str(e.value)
    assert "ganeti-noded" in str(e.value) and "ganeti-mond" in str(e.value)


# --- the manual's mistakes ----------------------------------------------------------------------

def _evaluate_mistake(name: str) -> str:
    path = os.path.join(EXAMPLES, "mistakes", name)
    m = config_module()
    eval_string("(use-service-modules ganeti)", m)
    with pytest.raises(SchemeError) as e:
        with open(path) as f:
            eval_string(f.read(), m, path)
    return format_error(e.value)


def test_mistake_plain_file_with_one_argument():
    message = _evaluate_mistake("debootstrap-hooks-plain-file.scm")
    assert "debootstrap-hooks-plain-file.scm:5:" in message
    assert "wrong number of arguments to plain-file" in message
    assert "(plain-file name content)" in message


def test_misplaced_field_is_detected():
    """Where the rapi/watcher mistake is detectable: `service` gets a third argument,
    (watcher-configuration ...), whose head is a field of the record built just before."""
    path = os.path.join(EXAMPLES, "mistakes", "ganeti-watcher-paren.scm")
    with open(path) as f:
        (form,) = read_all(f.read(), path)
    m = config_module()
    eval_string("(use-service-modules ganeti)", m)
    (hint,) = misplaced_field_hints(form, m)
    assert hint.startswith("(watcher-configuration ...) (at ")
    assert "is a field of ganeti-configuration, placed outside (ganeti-configuration ...)" \
        in hint


def test_mistake_watcher_outside_ganeti_configuration():
    message = _evaluate_mistake("ganeti-watcher-paren.scm")
    assert "ganeti-watcher-paren.scm:4:" in message
    assert "(watcher-configuration ...) (at " in message
    assert "is a field of ganeti-configuration, placed outside (ganeti-configuration ...)" \
        in message


def test_a_field_of_an_enclosing_record_closed_too_late_is_named():
    """The opposite mistake: the rapi record is not closed before the watcher's field, so
    (watcher-configuration ...) lands in ganeti-rapi-configuration."""
    m = config_module()
    with pytest.raises(SchemeError) as info:
        eval_string('(use-service-modules ganeti)\n'
                    '(ganeti-configuration\n'
                    '  (rapi-configuration\n'
                    '    (ganeti-rapi-configuration\n'
                    '      (interface "eth1")\n'
                    '      (watcher-configuration\n'
                    '        (ganeti-watcher-configuration (rapi-ip "10.0.0.1"))))))\n',
                    m, "node.scm")
    assert format_error(info.value).splitlines()[:2] == [
        "node.scm:6:7: error: ganeti-rapi-configuration has no field named "
        "watcher-configuration",
        "hint: watcher-configuration is a field of ganeti-configuration, which encloses "
        "this (ganeti-rapi-configuration ...): a closing parenthesis is missing before "
        "(watcher-configuration ...), so it landed inside ganeti-rapi-configuration"]
    with pytest.raises(SchemeError) as info:     # not enclosed: no such hint
        eval_string('(ganeti-rapi-configuration (watcher-configuration #f))', m, "x.scm")
    assert "encloses" not in format_error(info.value)
