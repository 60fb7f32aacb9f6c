"""`vsys build` and `vsys reconfigure` on a config using Guix modules vsys does not
implement: it builds, what is left to the host is said once, and `--strict` refuses
the config as before."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from support.cli import run_vsys

CONFIG = """\
(use-modules (gnu) (nongnu packages linux) (nongnu system linux-initrd))
(use-service-modules desktop docker networking ssh xorg)
(use-package-modules wm)

(operating-system
  (kernel linux)
  (initrd microcode-initrd)
  (host-name "desk")
  (timezone "Europe/Berlin")
  (keyboard-layout (keyboard-layout "de"))
  (bootloader (bootloader-configuration (bootloader grub-efi-bootloader)
                                        (targets '("/boot/efi"))
                                        (keyboard-layout keyboard-layout)))
  (users (cons (user-account (name "alice") (group "users")
                             (supplementary-groups '("wheel" "docker")))
               %base-user-accounts))
  (packages (cons sway %base-packages))
  (services (cons* (service docker-service-type)
                   (service openssh-service-type)
                   (set-xorg-configuration
                    (xorg-configuration (keyboard-layout keyboard-layout)))
                   %desktop-services)))
"""


def vsys(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, VSYS_STATE_DIR=str(tmp_path / "state"))
    env.pop("VSYS_LOAD_PATH", None)
    return run_vsys(*args, env=env, timeout=120)


def block(stderr: str) -> list[str]:
    """The 'not managed by vsys' lines of the output."""
    lines = stderr.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith("vsys: not managed by"))
    out = [lines[start]]
    for ln in lines[start + 1:]:
        if not ln.startswith("  "):
            break
        out.append(ln)
    return out


def test_build_leaves_unimplemented_services_to_the_host_and_says_so_once(tmp_path: Path):
    config = tmp_path / "desk.scm"
    config.write_text(CONFIG)
    r = vsys(tmp_path, "build", str(config))
    assert r.returncode == 0, r.stderr
    generation = r.stdout.strip()
    lines = block(r.stderr)
    assert lines[0] == f"vsys: not managed by vsys ({len(lines) - 1}; the host's job):"
    assert lines[1:4] == [
        "  service docker-service-type: not implemented by vsys (gnu services docker): "
        "the host runs it",
        "  service set-xorg-configuration: not implemented by vsys (gnu services xorg): "
        "the host runs it",
        "  service gdm-service-type: not implemented by vsys (gnu services xorg): the host "
        "runs it"]
    assert sum("docker-service-type" in ln for ln in lines) == 1
    for expected in ("  field operating-system kernel: the running kernel is the host's",
                     "  field operating-system initrd: the host builds its initial RAM disk",
                     "  field operating-system timezone: the host's time zone is kept",
                     "  package sway: not installed by vsys: no host package is mapped to "
                     "it (gnu packages wm)"):
        assert expected in lines
    with open(os.path.join(generation, "accounts.json")) as f:
        accounts = json.load(f)
    assert "docker" in [g["name"] for g in accounts["groups"]]
    alice = next(u for u in accounts["users"] if u["name"] == "alice")
    assert "docker" in alice["supplementary-groups"]
    with open(os.path.join(generation, "manifest.json")) as f:
        manifest = json.load(f)
    assert {"what": "service", "name": "docker-service-type",
            "reason": "not implemented by vsys (gnu services docker): the host runs it"} \
        in manifest["not-managed"]


def test_reconfigure_dry_run_says_the_same(tmp_path: Path):
    config = tmp_path / "desk.scm"
    config.write_text(CONFIG)
    r = vsys(tmp_path, "reconfigure", "--dry-run", str(config))
    assert r.returncode == 0, r.stderr
    built = vsys(tmp_path, "build", str(config))
    assert block(r.stderr) == block(built.stderr)
    assert "(dry run: nothing was changed)" in r.stdout + r.stderr


def test_strict_refuses_what_vsys_does_not_implement(tmp_path: Path):
    config = tmp_path / "desk.scm"
    config.write_text(CONFIG)
    r = vsys(tmp_path, "build", "--strict", str(config))
    assert r.returncode == 1
    first = r.stderr.splitlines()[0]
    assert first == (f"{config}:1:20: error: no module named (nongnu packages linux)")
    # only modules vsys has are suggested (strict: the index is not offered)
    assert r.stderr.splitlines()[1].startswith("hint: did you mean (gnu packages linux), ")
    r = vsys(tmp_path, "reconfigure", "--dry-run", "--strict", str(config))
    assert r.returncode == 1 and r.stderr.splitlines()[0] == first


def test_strict_keeps_implemented_configs_building(tmp_path: Path):
    config = tmp_path / "ok.scm"
    config.write_text("(use-modules (gnu))\n(use-service-modules virtualization)\n"
                      "(operating-system (host-name \"v\")\n"
                      "  (services (cons (service virtlog-service-type) %base-services)))\n")
    r = vsys(tmp_path, "build", "--strict", str(config))
    assert r.returncode == 0, r.stderr
    assert "not managed by vsys" not in r.stderr


DESKTOP = Path(__file__).parent.parent / "configs" / "desktop-40.scm"


def test_a_desktop_of_forty_services_in_the_style_of_real_configs_builds(tmp_path: Path):
    r = vsys(tmp_path, "build", str(DESKTOP))
    assert r.returncode == 0, r.stderr
    lines = block(r.stderr)
    services = [ln for ln in lines if ln.startswith("  service ")]
    assert len(services) >= 20
    assert "  field operating-system mapped-devices: the host sets up its mapped devices" \
        in lines
    with open(os.path.join(r.stdout.strip(), "manifest.json")) as f:
        manifest = json.load(f)
    # vsys's own services of the config run: libvirt, virtlog, QEMU emulation, sshd
    assert {"libvirtd", "virtlogd", "qemu-binfmt", "ssh-daemon"} <= set(manifest["services"])
    assert {"docker", "lp", "libvirt", "kvm"} <= set(manifest["groups"])
