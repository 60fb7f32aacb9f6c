"""Guix modules vsys does not implement: importable from the index of Guix's exports,
their services left to the host (folded for their groups, listed as not managed), their
records checking field names, their packages mapped to host packages or listed; names
the index does not have still fail with "did you mean"."""

from __future__ import annotations

import os
import subprocess
import sys

from core_helpers import error_of, ev
from support.paths import REPO

from vsys.dsl.datatypes import to_list
from vsys.dsl.printer import write_string
from vsys.stdlib import guix_index, host_managed
from vsys.stdlib.packages import Package
from vsys.stdlib.services import ServiceType
from vsys.stdlib.system import fold_operating_system
from vsys.stdlib.system_services import account_service_type, profile_service_type


def test_an_unimplemented_module_is_imported_with_its_names_and_kinds():
    values = ev("""(use-modules (gnu) (gnu services docker) (gnu packages docker)
                                (nongnu packages linux) (nongnu system linux-initrd))
                   (list docker-service-type docker-compose linux microcode-initrd
                         (docker-configuration (debug? #t)))""")
    t, pkg, kernel, proc, rec = to_list(values)
    assert isinstance(t, ServiceType) and host_managed.is_unmanaged(t)
    assert t.reason == "not implemented by vsys (gnu services docker): the host runs it"
    assert isinstance(pkg, Package) and isinstance(kernel, Package)
    assert write_string(proc) == "#<procedure microcode-initrd (arg ...)>"
    assert write_string(rec).startswith("#<docker-configuration ")
    assert "debug?: #t" in write_string(rec)


def test_a_name_the_index_lacks_is_still_unbound_with_did_you_mean():
    text = error_of("(use-service-modules docker)\n(service docker-servce-type)\n")
    assert text.splitlines()[0] == "config.scm:2:10: error: unbound variable: docker-servce-type"
    assert "did you mean docker-service-type" in text


def test_a_misspelt_field_of_an_unimplemented_record_is_located_with_did_you_mean():
    text = error_of("(use-service-modules desktop)\n"
                    "(service bluetooth-service-type\n"
                    "  (bluetooth-configuration (auto-enabel? #t)))\n")
    assert text.splitlines()[0] == ("config.scm:3:28: error: bluetooth-configuration has no "
                                    "field named auto-enabel?")
    assert "did you mean auto-enable?" in text


def test_a_name_missing_from_an_implemented_module_comes_from_the_index():
    t = ev("(use-service-modules networking)\ndhcpcd-service-type")
    assert host_managed.is_unmanaged(t)
    text = error_of("(use-service-modules networking)\n(service dhcpcd-servce-type)\n")
    assert "did you mean dhcpcd-service-type" in text


def test_nonguix_modules_resolve_and_unknown_modules_suggest_only_existing_ones():
    assert isinstance(ev("(use-modules (nongnu packages linux))\nlinux"), Package)
    text = error_of("(use-modules (nongnu packages linx))\n")
    assert text.splitlines()[0] == ("config.scm:1:14: error: no module named "
                                    "(nongnu packages linx)")
    assert "did you mean (nongnu packages linux)" in text


OS = """\
(use-modules (gnu) (gnu services docker) (gnu services desktop))
(operating-system
  (host-name "h")
  (timezone "Europe/Paris")
  (users (cons (user-account (name "alice") (group "users")
                             (supplementary-groups '("docker" "wheel")))
               %base-user-accounts))
  (packages (list (specification->package "sway") (specification->package "qemu")))
  (services (cons* (service docker-service-type)
                   (service docker-service-type (docker-configuration))
                   %desktop-services)))
"""


def test_unimplemented_services_fold_for_their_groups_and_are_reported_once():
    os_ = ev(OS)
    folded = fold_operating_system(os_)
    groups = [str(r["name"]) for r in to_list(folded.one(account_service_type))
              if r.rtype.name == "user-group"]
    assert "docker" in groups           # declared by docker-service-type, as in Guix
    report = host_managed.report(os_, folded, to_list(folded.one(profile_service_type)))
    lines = host_managed.lines(report)
    assert lines[0] == f"not managed by vsys ({len(report)}; the host's job):"
    assert lines.count("  service docker-service-type: not implemented by vsys "
                       "(gnu services docker): the host runs it") == 1
    assert "  field operating-system timezone: the host's time zone is kept" in lines
    assert ("  package sway: not installed by vsys: no host package is mapped to it "
            "(gnu packages wm)") in lines
    assert not any("qemu" in line for line in lines)    # mapped to the host's qemu


def test_desktop_services_are_the_base_services_plus_the_desktop_ones():
    names = [s.type.name for s in to_list(ev(
        "(use-service-modules desktop)\n%desktop-services"))]
    base = [s.type.name for s in to_list(ev("%base-services"))]
    assert names[-len(base):] == base
    assert names[:3] == ["gdm-service-type", "screen-locker-service-type",
                         "sane-service-type"]
    assert "dbus-system" in names and "polkit" in names     # vsys's own services


def test_modify_services_reaches_an_unimplemented_service_of_desktop_services():
    services = ev("""(use-service-modules desktop xorg)
       (modify-services %desktop-services
         (gdm-service-type config => (gdm-configuration (inherit config) (wayland? #t)))
         (delete screen-locker-service-type))""")
    gdm = next(s for s in to_list(services) if s.type.name == "gdm-service-type")
    assert gdm.value["wayland?"] is True
    assert not any(s.type.name == "screen-locker-service-type" for s in to_list(services))


def test_procedures_giving_services_and_host_values():
    s = ev("(use-service-modules xorg)\n(set-xorg-configuration (xorg-configuration))")
    assert s.type.name == "set-xorg-configuration"
    os_ = ev("""(use-modules (gnu) (gnu system pam))
      (operating-system (host-name "h") (pam-services (base-pam-services)))""")
    assert write_string(os_["pam-services"]) == "#<host-managed base-pam-services>"


def test_constants_and_systems_of_the_index():
    assert ev("(use-modules (gnu system image))\nroot-label") == "Guix_image"
    os_ = ev("""(use-modules (gnu) (gnu system install))
      (operating-system (inherit installation-os) (host-name "inst"))""")
    assert os_["host-name"] == "inst"


def test_a_newer_guix_field_of_an_implemented_record_is_kept_and_reported():
    os_ = ev("""(operating-system (host-name "h")
      (services (cons (service mingetty-service-type
                               (mingetty-configuration (tty "tty7") (print-issue #f)))
                      %base-services)))""")
    tty = to_list(os_["services"])[0]
    assert tty.value["tty"] == "tty7" and tty.value.extra == {"print-issue": False}
    folded = fold_operating_system(os_)
    lines = host_managed.lines(host_managed.report(
        os_, folded, to_list(folded.one(profile_service_type))))
    assert ("  field mingetty-configuration print-issue: not implemented by vsys: "
            "the host's") in lines
    # a field Guix does not have either is still an error
    text = error_of("(use-service-modules ssh)\n(openssh-configuration (port-numbr 22))\n")
    assert text.splitlines()[0] == ("config.scm:2:24: error: openssh-configuration has no "
                                    "field named port-numbr")


def test_a_config_s_own_package_and_package_inherit():
    pkgs = to_list(ev("""(use-modules (gnu) (guix packages) (gnu packages base))
      (list (package (name "mine") (version "1"))
            (package/inherit hello (name "my-hello")))"""))
    assert [p.name for p in pkgs] == ["mine", "my-hello"]
    assert all(p.spec["unmanaged"] for p in pkgs)


def test_nonguix_transformations_leave_the_system_to_the_host():
    os_ = ev("""(use-modules (gnu) (nonguix transformations))
      ((compose (nonguix-transformation-guix) (nonguix-transformation-linux))
       (operating-system (host-name "t")))""")
    assert os_["host-name"] == "t"


def test_udev_rules_declare_their_groups():
    os_ = ev("""(operating-system (host-name "h")
      (users (cons (user-account (name "bob") (group "users")
                                 (supplementary-groups '("plugdev")))
                   %base-user-accounts))
      (services (cons (udev-rules-service 'fido2 (udev-rule "90-fido.rules" "")
                                          #:groups '("plugdev"))
                      %base-services)))""")
    folded = fold_operating_system(os_)
    assert "plugdev" in [str(r["name"]) for r in to_list(folded.one(account_service_type))
                         if r.rtype.name == "user-group"]


def test_a_childhurd_disk_size_is_listed_as_the_host_s():
    os_ = ev("""(use-service-modules virtualization)
      (operating-system (host-name "h")
        (services (list (service hurd-vm-service-type
                                 (hurd-vm-configuration (disk-size (* 5000 (expt 2 20))))))))""")
    folded = fold_operating_system(os_)
    lines = host_managed.lines(host_managed.report(
        os_, folded, to_list(folded.one(profile_service_type))))
    assert lines == ["not managed by vsys (1; the host's job):",
                     "  field hurd-vm-configuration disk-size: the image is the host's: vsys "
                     "does not grow or shrink it"]


def test_an_unimported_name_of_the_index_says_which_module_exports_it():
    text = error_of("(list firefox)\n")
    assert text.splitlines() == [
        "config.scm:1:7: error: unbound variable: firefox",
        "hint: firefox is exported by (nongnu packages mozilla): add (use-modules "
        "(nongnu packages mozilla)) at the top of the file"]
    text = error_of("(service docker-service-type (docker-configuration))\n")
    assert "hint: docker-service-type is exported by (gnu services docker): add " \
        "(use-service-modules docker) at the top of the file" in text.splitlines()


def test_an_unreadable_index_is_a_clear_error(tmp_path, monkeypatch):
    bad = tmp_path / "guix-index.json"
    bad.write_text('{"modules": {')            # cut short, as by a full disk
    monkeypatch.setattr(guix_index, "INDEX_FILE", str(bad))
    monkeypatch.setattr(guix_index, "_index", None)
    monkeypatch.setattr(guix_index, "_entries", {})
    text = error_of("(use-modules (gnu services nosuch))\n")
    assert text.splitlines()[0] == (f"config.scm:1:14: error: vsys's index of Guix's modules "
                                    f"({bad}) cannot be read: Expecting property name "
                                    f"enclosed in double quotes: line 1 column 14 (char 13)")


def test_the_index_is_read_only_for_a_config_that_needs_it(tmp_path):
    code = ("import os, sys\n"
            "from vsys.building import evaluate_and_build\n"
            "from vsys.stdlib import guix_index\n"
            "evaluate_and_build(sys.argv[1], [])\n"
            "print(guix_index.loaded())\n")
    root = REPO
    env = dict(os.environ, VSYS_STATE_DIR=str(tmp_path))
    for config, expected in (("examples/default.scm", "False"),
                             ("tests/configs/desktop-40.scm", "True")):
        done = subprocess.run([sys.executable, "-c", code, os.path.join(root, config)],
                              capture_output=True, text=True, env=env, timeout=120)
        assert (done.returncode, done.stdout.strip()) == (0, expected), done.stderr
