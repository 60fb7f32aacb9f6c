"""Images of virtual build machines whose `image` is an operating-system.

`vsys reconfigure` builds each one as `vsys image` does (cached by the hash of its inputs,
so an unchanged guest is a cache hit) and places it at /var/lib/vsys/images/NAME.qcow2 of
the root, the file the VM's start command boots.  The guest system inside the image is
built in the image's own tree from the config file itself: the guest's vsys evaluates it
and takes the operating-system of the build VM named NAME, so the guest's programs are
found among the guest's packages, not the host's.  `vsys build` builds no image.
"""

from __future__ import annotations

import os
import sys

from ..builders.lowering import build_error
from ..dsl.datatypes import to_list
from ..dsl.errors import error
from ..stdlib.build_vm import default_image_path, is_operating_system, vm_name
from .build import ImageError, _copy, obtain


def wanted(build) -> list:
    """The build VMs of BUILD whose image is an operating-system."""
    folded = build.folded
    configs = [folded.value(s) for s in folded.services if s.type.name == "build-vm"] \
        if folded is not None else []
    if not configs:             # most configs have no build VM
        return []
    return [c for c in configs if is_operating_system(c["image"])]


def guest_of(name: str):
    """The selector of the guest system: the image of the build VM NAME."""
    def select(os_):
        for service in to_list(os_["services"]):
            value = getattr(service, "value", None)
            if getattr(service, "type", None) is not None and service.type.name == "build-vm" \
                    and vm_name(value) == name and is_operating_system(value["image"]):
                return value["image"]
        raise error(f"the system has no virtual build machine named {name} whose image "
                    f"is an operating-system")
    return select


def _say(text: str) -> None:
    """A line on stderr; the build's own output lines (indented) as they are."""
    sys.stderr.write(("" if text.startswith(" ") else "vsys: ") + text + "\n")
    sys.stderr.flush()


def provide(build, root: str, config: str, load_path: list[str], dry_run: bool) -> None:
    """Build (or take from the cache) the image of every build VM of BUILD whose image
    is an operating-system, and place it in ROOT.  A failure is an error located at the
    VM's configuration."""
    vms = wanted(build)
    for vm in vms:
        name = vm_name(vm)
        what = f"virtual build machine {name}"
        inside = default_image_path(vm)
        target = os.path.join(root, inside.lstrip("/"))
        try:
            cached = _obtain(config, load_path, what, name, not dry_run,
                             _receives_secrets(vm, what))
            if cached is None:
                _say(f"image of {what}: not built yet (a reconfigure builds it, as root)")
            elif dry_run:
                _say(f"image of {what}: would be placed at {inside}")
            else:
                _place(cached, target, what, inside)
        except Exception as e:
            if not isinstance(e, (ImageError, OSError)):
                raise
            text = str(e)
            if isinstance(e, OSError) and e.strerror:
                text = f"{e.filename}: {e.strerror}" if e.filename else e.strerror
            raise build_error(f"cannot make the image of {what}: {text}",
                              getattr(vm, "loc", None)) from None


def _obtain(config: str, load_path: list[str], what: str, name: str,
            build_missing: bool, check) -> str | None:
    return obtain(config, load_path, None, _say, what, select=guest_of(name),
                        guest_args=("--build-vm", name), build_missing=build_missing,
                        check=check)


def _receives_secrets(vm, what: str):
    """A check of the guest's build: without the secret service, the VM's start would
    wait for the guest in vain and fail minutes later."""
    def check(build) -> None:
        if not any(s.type.name == "secret-service" for s in build.folded.services):
            raise build_error(
                f"the operating-system of {what}'s image does not run secret-service-type: "
                f"the host sends the VM its SSH host keys and the offloading key on port "
                f"1004 when it starts",
                getattr(vm["image"], "loc", None) or getattr(vm, "loc", None),
                hints=["add (service secret-service-type) to its services"])
    return check


def _place(cached: str, target: str, what: str, inside: str) -> None:
    """TARGET becomes a copy of CACHED (never the cached file itself: a VM run without
    -snapshot writes to its disk), unless it is one already; a note beside it says which
    cached image it copies."""
    note = os.path.join(os.path.dirname(target), f".{os.path.basename(target)}.source")
    source = os.path.basename(cached)
    try:
        with open(note) as f:
            current = f.read().strip() == source and os.path.isfile(target)
    except OSError:
        current = False
    if current:
        _say(f"image of {what}: {inside} is up to date")
        return
    os.makedirs(os.path.dirname(target), mode=0o755, exist_ok=True)
    _copy(cached, target)
    tmp = f"{note}.tmp{os.getpid()}"
    with open(tmp, "w") as f:
        f.write(source + "\n")
    os.replace(tmp, note)
    _say(f"image of {what}: placed at {inside}")
