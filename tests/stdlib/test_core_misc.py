"""SRFI-19 dates, %current-system, the use-*-modules forms, define-record-type*, and the
seed's Ganeti node example."""

from __future__ import annotations

import pathlib
import platform

from core_helpers import error_of, ev
from support import paths

from vsys.dsl.datatypes import to_list
from vsys.stdlib.gexp import gexp_inputs
from vsys.stdlib.services import fold_services
from vsys.stdlib.shepherd import canonical_name, check_shepherd_conflicts
from vsys.stdlib.system import operating_system_services
from vsys.stdlib.system_services import etc_service_type


def test_make_date_and_default_date_string():
    assert ev("(use-modules (srfi srfi-19)) "
              "(date->string (make-date 0 0 0 0 1 1 2020 0))") == "Wed Jan 01 00:00:00Z 2020"
    assert ev("(use-modules (srfi srfi-19)) "
              "(date->string (make-date 0 5 4 3 2 1 2021 3600))") == \
        "Sat Jan 02 03:04:05+0100 2021"
    assert ev('(use-modules (srfi srfi-19)) '
              '(date->string (make-date 0 5 4 13 2 11 2021 0) "~Y-~m-~dT~H:~M:~S ~A ~B ~j")') \
        == "2021-11-02T13:04:05 Tuesday November 306"


def test_date_accessors_and_errors():
    assert to_list(ev("(use-modules (srfi srfi-19)) (let ((d (make-date 7 1 2 3 4 5 2006 0))) "
                      "(list (date-year d) (date-month d) (date-day d) (date-hour d) "
                      "(date-nanosecond d) (date-week-day d)))")) == [2006, 5, 4, 3, 7, 4]
    assert ev("(use-modules (srfi srfi-19)) (date? (current-date))") is True
    msg = error_of("(use-modules (srfi srfi-19)) (make-date 0 0 0 0 31 2 2020 0)")
    assert "2020-02-31 is not a date" in msg
    assert ev("(use-modules (srfi srfi-19)) "
              "(time-second (date->time-utc (make-date 0 0 0 0 1 1 1970 3600)))") == -3600


def test_current_system():
    system = ev("(%current-system)")
    assert system.endswith("-linux")
    if platform.machine() == "x86_64":
        assert system == "x86_64-linux"
    assert to_list(ev("(list (%current-system))")) == [system]


def test_unknown_service_module_is_located():
    msg = error_of("(use-service-modules base\n  desktp)")
    assert msg.startswith("config.scm:2:3: error: no module named (gnu services desktp)")


def test_define_record_type_star():
    value = ev('''(use-modules (guix records))
        (define-record-type* <web-configuration> web-configuration
          make-web-configuration web-configuration?
          (port web-configuration-port (default 8080))
          (root web-configuration-root))
        (define c (web-configuration (root "/srv")))
        (list (web-configuration-port c) (web-configuration-root c)
              (web-configuration? c)
              (web-configuration-port (web-configuration (inherit c) (port 80))))''')
    assert to_list(value) == [8080, "/srv", True, 80]
    msg = error_of('''(use-modules (guix records))
        (define-record-type* <w> w make-w w? (port w-port (default 1)))
        (w (prot 2))''')
    assert "w has no field named prot" in msg and "did you mean port?" in msg


EXAMPLES = pathlib.Path(paths.EXAMPLES)


def test_seed_ganeti_node_core_parts():
    path = EXAMPLES / "ganeti-node.scm"        # the seed's Ganeti node example
    os_ = ev(path.read_text(), str(path))
    folded = fold_services(operating_system_services(os_))
    entries = check_shepherd_conflicts(folded)
    real = {canonical_name(e.record).name for e in entries if not e.milestone}
    assert "ssh-daemon" in real and "ganeti-noded" in real
    milestones = {canonical_name(e.record).name for e in entries if e.milestone}
    assert {"networking", "loopback", "user-processes"} <= milestones
    etc = {to_list(e)[0]: to_list(e)[1] for e in to_list(folded.one(etc_service_type))}
    hosts = etc["hosts"].produce(lambda x: x).data.decode()
    # node1's own address only, first (gnt-cluster init refuses a name that is
    # loopback), then Guix's local entries, then the others in the config's order
    assert hosts == ("192.168.1.201\tnode1.example.com\tnode1\n"
                     "127.0.0.1\tlocalhost\n"
                     "::1\tlocalhost\n"
                     "192.168.1.200\tganeti.example.com\n"
                     "192.168.1.202\tnode2.example.com\tnode2\n")
    ssh = [e for e in entries if canonical_name(e.record).name == "ssh-daemon"][0]
    (config,) = [i for i in gexp_inputs(ssh.record["start"])
                 if getattr(i, "name", "") == "sshd_config"]
    text = config.produce(lambda x: "/store/x").data.decode()
    assert "PermitRootLogin prohibit-password\n" in text and text.startswith("Port 22\n")
    assert "Subsystem\tsftp\tinternal-sftp\n" in text
