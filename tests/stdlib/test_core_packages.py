"""Packages resolved against this host's dpkg database, and how missing ones are told."""

from __future__ import annotations

import pytest
from core_helpers import error_of, ev

from vsys.dsl.datatypes import to_list
from vsys.stdlib import packages
from vsys.stdlib.guix_modules import COMMON_PACKAGE_MODULES
from vsys.stdlib.packages import Package, host, lookup_package, missing_report, package_module_names


def need_debian(name: str) -> None:
    if not host.available:
        pytest.skip("no dpkg database on this host")
    if not host.installed(name):
        pytest.skip(f"Debian package {name} is not installed")


def test_installed_package_resolves_to_its_files():
    need_debian("openssh-client")
    openssh = lookup_package("openssh")
    found = openssh.locate("bin/ssh-keygen")
    assert found.path == "/usr/bin/ssh-keygen" and found.found
    assert found.provider == "openssh-client"
    assert openssh.host_path("/bin/ssh-keygen") == "/usr/bin/ssh-keygen"


def test_qemu_static_output_uses_debian_names():
    need_debian("qemu-user-static")
    static = lookup_package("qemu").with_output("static")
    assert static.host_path("bin/qemu-aarch64") == "/usr/bin/qemu-aarch64-static"
    assert lookup_package("qemu-minimal").host_path("bin/qemu-system-x86_64") == \
        lookup_package("qemu").host_path("bin/qemu-system-x86_64")


def without_debian_packages(monkeypatch, tmp_path, *installed: str):
    """The package database of a host where only INSTALLED are installed: what a test
    says about missing packages must not depend on what this machine has."""
    (tmp_path / "info").mkdir()
    (tmp_path / "status").write_text("".join(
        f"Package: {name}\nStatus: install ok installed\nVersion: 1\n"
        f"Architecture: all\n\n" for name in installed))
    monkeypatch.setattr(packages, "host", packages.HostPackages(str(tmp_path)))
    monkeypatch.setattr(packages, "_packages", {})


def test_missing_package_report_names_the_debian_package(monkeypatch, tmp_path):
    without_debian_packages(monkeypatch, tmp_path, "bash")
    libvirt = lookup_package("libvirt")
    assert not libvirt.installed()
    report = missing_report(libvirt, ["sbin/libvirtd"])
    assert report == ["libvirt: Debian packages libvirt-daemon, libvirt-daemon-driver-qemu "
                      "not installed (apt install libvirt-daemon libvirt-daemon-driver-qemu)"]
    assert libvirt.host_path("sbin/libvirtd") == "/usr/sbin/libvirtd"
    assert not libvirt.locate("sbin/libvirtd").found


def test_report_is_empty_when_everything_is_there():
    need_debian("openssh-client")
    need_debian("openssh-server")
    assert missing_report(lookup_package("openssh"), ["bin/ssh-keygen", "sbin/sshd"]) == []


def test_not_in_debian_says_so():
    (line,) = missing_report(lookup_package("ganeti-instance-guix"))
    assert "not packaged in Debian" in line


def test_specification_to_package():
    pkgs = ev('''(map specification->package '("qemu" "lvm2" "drbd-utils" "ceph"
                                                "ganeti-instance-guix"
                                                "ganeti-instance-debootstrap"))''')
    assert [p.name for p in to_list(pkgs)] == ["qemu", "lvm2", "drbd-utils", "ceph",
                                               "ganeti-instance-guix",
                                               "ganeti-instance-debootstrap"]
    assert ev('(package-name (specification->package "qemu@7.2"))') == "qemu"


def test_unknown_specification_names_the_closest():
    msg = error_of('(specification->package "libvrt")')
    assert "unknown package: libvrt" in msg and "did you mean libvirt?" in msg


def test_package_variables_live_in_their_guix_modules():
    assert isinstance(ev("(use-package-modules virtualization) libvirt"), Package)
    assert ev("(use-package-modules virtualization) (package-name qemu-minimal)") == \
        "qemu-minimal"
    assert ev("(use-package-modules linux) (package-name lvm2)") == "lvm2"
    msg = error_of("(use-package-modules virtualization)\nganeti-instance-gix")
    assert "did you mean ganeti-instance-guix?" in msg
    assert package_module_names() <= set(COMMON_PACKAGE_MODULES)


def test_base_packages():
    names = [p.name for p in to_list(ev("%base-packages"))]
    for n in ("bash", "coreutils", "grep", "sed", "tar", "util-linux"):
        assert n in names
