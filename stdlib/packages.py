"""Packages: Guix package names resolved to the host's installed files.

vsys builds no packages.  A `Package` is a Guix name (`libvirt`, `qemu`...) plus the
Debian packages that hold the same programs (package_map.py), and `host_path("sbin/
libvirtd")` finds the real file: in the file lists of those Debian packages (what
`dpkg -L` prints, read from dpkg's database), with per-file rewrites where Debian names or
places a file differently.  When something is not installed, `missing_report` says which
Debian package to install; vsys never pretends a program is there.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from typing import Any, Callable

from vsys.dsl.datatypes import Symbol, Values, from_list, is_string, pystr, to_list
from vsys.dsl.errors import Condition, SchemeError, closest_names, wrong_type
from vsys.dsl.procedures import make_primitive

from .gexp import Lowerable
from .package_map import PACKAGES

DPKG_ADMINDIR = os.environ.get("VSYS_DPKG_ADMINDIR", "/var/lib/dpkg")
# Where the host's packages put programs: the PATH of daemons that look programs up (Guix
# gives them its system profile, /run/current-system/profile, which a host lacks).
HOST_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


# --- the host's package database ----------------------------------------------------------------

class HostPackages:
    """What dpkg knows, read once per process: installed packages and their files."""

    def __init__(self, admindir: str = DPKG_ADMINDIR):
        self.admindir = admindir
        self._status: dict[str, tuple[str, str]] | None = None    # name -> (version, arch)
        self._files: dict[str, dict[str, str]] = {}

    @property
    def available(self) -> bool:
        return os.path.exists(os.path.join(self.admindir, "status"))

    def _load_status(self) -> dict[str, tuple[str, str]]:
        if self._status is not None:
            return self._status
        installed: dict[str, tuple[str, str]] = {}
        path = os.path.join(self.admindir, "status")
        try:
            with open(path, encoding="utf-8", errors="replace") as f:
                text = f.read()
        except OSError:
            text = ""
        for stanza in text.split("\n\n"):
            name = version = arch = status = ""
            for line in stanza.splitlines():
                if line.startswith("Package: "):
                    name = line[9:].strip()
                elif line.startswith("Status: "):
                    status = line[8:].strip()
                elif line.startswith("Version: "):
                    version = line[9:].strip()
                elif line.startswith("Architecture: "):
                    arch = line[14:].strip()
            if name and status.endswith(" installed"):
                installed[name] = (version, arch)
        self._status = installed
        return installed

    def installed(self, name: str) -> bool:
        return name in self._load_status()

    def version(self, name: str) -> str | None:
        entry = self._load_status().get(name)
        return entry[0] if entry else None

    def files(self, name: str) -> dict[str, str]:
        """The package's files as `dpkg -L` lists them, keyed by their merged-/usr
        form (`/bin/bash` and `/usr/bin/bash` are the same file on current Debian)."""
        cached = self._files.get(name)
        if cached is not None:
            return cached
        listing: list[str] = []
        if self.installed(name):
            arch = self._load_status()[name][1]
            for candidate in (f"{name}.list", f"{name}:{arch}.list"):
                path = os.path.join(self.admindir, "info", candidate)
                if os.path.exists(path):
                    with open(path, encoding="utf-8", errors="replace") as f:
                        listing = f.read().splitlines()
                    break
            else:
                listing = _dpkg_l(name)
        index = {_merged(p): p for p in listing if p and p != "/."}
        self._files[name] = index
        return index


def _dpkg_l(name: str) -> list[str]:
    try:
        out = subprocess.run(["dpkg", "-L", name], capture_output=True, text=True,
                             timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return []
    return out.stdout.splitlines() if out.returncode == 0 else []


def _merged(path: str) -> str:
    for d in ("/bin/", "/sbin/", "/lib/", "/lib64/"):
        if path.startswith(d):
            return "/usr" + path
    return path


host = HostPackages()


# --- the table ----------------------------------------------------------------------------

def package_table() -> dict[str, dict]:
    return PACKAGES


class HostFile:
    """Where a package's file is on this host: `path`, whether it is there (`found`),
    and the Debian package that ships (or would ship) it."""

    __slots__ = ("path", "found", "provider")

    def __init__(self, path: str, found: bool, provider: str | None):
        self.path = path
        self.found = found
        self.provider = provider

    def __repr__(self) -> str:
        return f"HostFile({self.path!r}, found={self.found}, provider={self.provider!r})"


class Package(Lowerable):
    """A Guix package as the host provides it."""

    def __init__(self, name: str, spec: dict, output: str = "out"):
        self.name = name
        self.output = output
        self.spec = spec
        self.module = spec.get("module", "")
        self.description = spec.get("description", "")
        self.note = spec.get("note", "")
        part = spec if output == "out" else spec.get("outputs", {}).get(output, {})
        self.debian: list[str] = list(part.get("debian", spec.get("debian", [])))
        self.extra: list[str] = list(part.get("extra", []))
        if output != "out":        # an output also sees the main package's files
            self.extra += [d for d in spec.get("debian", []) + spec.get("extra", [])
                           if d not in self.debian]
        self.paths = [(re.compile(rx), repl) for rx, repl in part.get("paths", [])]
        self.file_hints = [(re.compile(rx), pkg) for rx, pkg in part.get("files", {}).items()]
        self.unpackaged: list[str] = list(spec.get("missing", []))
        self._outputs: dict[str, Package] = {}
        self._located: dict[str, HostFile] = {}
        self._located_in: HostPackages | None = None    # the database _located came from

    # -- Scheme face --
    def scheme_repr(self, write: bool) -> str:
        out = "" if self.output == "out" else f":{self.output}"
        hostpkgs = ", ".join(self.debian) or "not packaged for this host"
        return f"#<package {self.name}{out} (host: {hostpkgs})>"

    def __repr__(self) -> str:
        return self.scheme_repr(True)

    @property
    def version(self) -> str:
        for d in self.debian:
            v = host.version(d)
            if v:
                return v
        return "host"

    def with_output(self, output: str) -> "Package":
        """The package output OUTPUT (Guix's `qemu:static`)."""
        if output == self.output:
            return self
        base = self if self.output == "out" else lookup_package(self.name)
        if output == "out":
            return base
        if output not in base.spec.get("outputs", {}):
            known = ["out"] + list(base.spec.get("outputs", {}))
            raise SchemeError(Condition(
                "package-error", f"package {self.name} has no output {output!r}", (),
                self.name, [f"its outputs are: {', '.join(known)}"]))
        p = base._outputs.get(output)
        if p is None:
            p = Package(self.name, base.spec, output)
            base._outputs[output] = p
        return p

    # -- host files --
    def installed(self) -> bool:
        return not self.unpackaged and all(host.installed(d) for d in self.debian)

    def missing_packages(self) -> list[str]:
        """Debian packages of this package that are not installed."""
        return [d for d in self.debian if not host.installed(d)]

    def host_path(self, relative: str = "") -> str:
        """The host file for the Guix-relative file name (`sbin/libvirtd`,
        `/bin/qemu-img`); the package's prefix (/usr) for an empty name.  When the file
        is not installed this is where it would be; see `locate` and `missing_report`."""
        return self.locate(relative).path

    def locate(self, relative: str) -> HostFile:
        rel = relative.lstrip("/")
        if self._located_in is not host:    # what is installed is read from this database
            self._located, self._located_in = {}, host
        hit = self._located.get(rel)
        if hit is None:
            hit = self._locate(rel)
            self._located[rel] = hit
        return hit

    def _locate(self, rel: str) -> HostFile:
        if not rel:
            return HostFile("/usr", self.installed(), self.debian[0] if self.debian else None)
        provider = self._provider_hint(rel)
        translated = []
        for rx, repl in self.paths:
            m = rx.fullmatch(rel)
            if m:
                translated.append(m.expand(repl))
        candidates = translated + [c for c in _candidates(rel, self.name)
                                   if c not in translated]
        owners = self.debian + self.extra
        # 1. a candidate that dpkg says one of our Debian packages installed
        for c in candidates:
            key = _merged(c)
            for d in owners:
                listed = host.files(d).get(key)
                if listed is not None:
                    return HostFile(listed, True, d)
        # 2. a candidate present on disk (alternatives links such as /usr/bin/guile), or
        #    a directory every package shares (PATH=PKG/bin is /usr/bin, there already)
        for c in candidates:
            if os.path.exists(c) and (self.installed() or not host.available
                                      or os.path.isdir(c)):
                return HostFile(c, True, provider)
        # 3. a program of the same name elsewhere in our packages (Debian moves
        #    programs between bin, sbin and lib/PACKAGE)
        base = os.path.basename(rel)
        if rel.split("/", 1)[0] in ("bin", "sbin", "libexec") and base:
            for d in owners:
                for key, listed in host.files(d).items():
                    if os.path.basename(key) == base and _is_program_dir(key):
                        return HostFile(listed, True, d)
            if not host.available:
                found = shutil.which(base)
                if found:
                    return HostFile(found, True, None)
        return HostFile(candidates[0], False, provider)

    def _provider_hint(self, rel: str) -> str | None:
        for rx, pkg in self.file_hints:
            if rx.fullmatch(rel):
                return pkg
        return self.debian[0] if self.debian else None

    def as_record(self, rtype: Any) -> Any:
        """This package as a `package` record to inherit from, (package (inherit
        elogind) ...): its name, the rest left unset (vsys builds no packages)."""
        if "name" not in getattr(rtype, "index", {}):
            return self
        made = rtype.make({"name": self.name})
        return getattr(made, "record", made)

    def scheme_equal(self, other: Any) -> bool:
        return isinstance(other, Package) and other.name == self.name and \
            other.output == self.output


def _candidates(rel: str, pkgname: str) -> list[str]:
    top, _, rest = rel.partition("/")
    if not rest.strip("/"):
        return ["/etc" if top == "etc" else f"/usr/{top}"]
    if top == "bin":
        return [f"/usr/bin/{rest}", f"/usr/sbin/{rest}"]
    if top == "sbin":
        return [f"/usr/sbin/{rest}", f"/usr/bin/{rest}"]
    if top == "libexec":
        return [f"/usr/libexec/{rest}", f"/usr/lib/{rest}", f"/usr/lib/{pkgname}/{rest}"]
    if top == "lib":
        return [f"/usr/lib/{rest}", f"/usr/lib/x86_64-linux-gnu/{rest}"]
    if top == "etc":
        return [f"/etc/{rest}", f"/usr/etc/{rest}"]
    return [f"/usr/{rel}"]


def _is_program_dir(path: str) -> bool:
    d = os.path.dirname(path)
    return d.endswith("/bin") or d.endswith("/sbin") or d.startswith("/usr/lib")


# --- finding packages by name -------------------------------------------------------------

_packages: dict[str, Package] = {}
# Where specification->package looks for a name neither vsys nor the host knows: the
# index of Guix's modules adds its packages, which vsys does not install (guix_index).
PACKAGE_FALLBACKS: list[Callable[[str], "Package | None"]] = []


def known_package_names() -> list[str]:
    return sorted(package_table())


def lookup_package(name: str, host_fallback: bool = False) -> Package:
    """The package called NAME in Guix.  An unknown name is an error naming the closest
    known ones.  With `host_fallback`, a name vsys does not know but that is an
    installed Debian package of the same name is accepted as that package."""
    p = _packages.get(name)
    if p is not None:
        return p
    table = package_table()
    spec = table.get(name)
    if spec is None and host_fallback and host.installed(name):
        spec = {"module": "", "description": f"the host's {name} package",
                "debian": [name]}
    if spec is None and host_fallback:
        for fallback in PACKAGE_FALLBACKS:
            p = fallback(name)
            if p is not None:
                return p
    if spec is None:
        raise unknown_package(name)
    if "same-as" in spec:
        base = dict(table[spec["same-as"]])
        base.update({k: v for k, v in spec.items() if k != "same-as"})
        spec = base
    p = Package(name, spec)
    _packages[name] = p
    return p


def unknown_package(name: str) -> SchemeError:
    close = closest_names(name, package_table(), limit=3)
    hints = []
    if close:
        hints.append("did you mean " + (close[0] if len(close) == 1 else
                                         ", ".join(close[:-1]) + f" or {close[-1]}") + "?")
    hints.append("vsys maps Guix package names to host packages; a Debian package of the "
                 "same name is accepted once it is installed")
    return SchemeError(Condition("package-error", f"unknown package: {name}", (name,),
                                 "specification->package", hints))


def missing_report(pkg: Package, files: Any = ()) -> list[str]:
    """Human lines saying what of PKG is not on this host and what to install; empty
    when everything (and every file of `files`, Guix-relative names) is there."""
    lines: list[str] = []
    label = pkg.name + ("" if pkg.output == "out" else f":{pkg.output}")
    if pkg.unpackaged:
        lines.append(f"{label}: {pkg.note or 'not packaged for this host'}")
        return lines
    if not host.available:
        for f in files:
            hf = pkg.locate(f)
            if not hf.found:
                lines.append(f"{label}: {f.lstrip('/')} not found on this host "
                             f"(looked for {hf.path})")
        return lines
    missing = pkg.missing_packages()
    if missing:
        lines.append(f"{label}: Debian package{'s' if len(missing) > 1 else ''} "
                     f"{', '.join(missing)} not installed (apt install {' '.join(missing)})")
    for f in files:
        hf = pkg.locate(f)
        if hf.found:
            continue
        provider = hf.provider
        if provider and not host.installed(provider):
            if provider in missing:
                continue
            lines.append(f"{label}: {f.lstrip('/')} is in Debian package {provider}, which "
                         f"is not installed (apt install {provider})")
        else:
            lines.append(f"{label}: {f.lstrip('/')} not found on this host (expected "
                         f"{hf.path})")
    if lines and pkg.note:
        lines.append(f"{label}: {pkg.note}")
    return lines


def is_package(x: Any) -> bool:
    return isinstance(x, Package)


def base_packages() -> list[Package]:
    return [lookup_package(n) for n, spec in package_table().items() if spec.get("base")]


# --- Scheme bindings ------------------------------------------------------------------------------

def _parse_spec(spec: Any, who: str) -> tuple[str, str]:
    if not is_string(spec):
        raise wrong_type(who, 1, "string (a package specification)", spec)
    text = pystr(spec)
    name, _, output = text.partition(":")
    name = name.split("@", 1)[0]
    return name, output or "out"


def specification_to_package(spec: Any) -> Package:
    """(specification->package SPEC): the package named SPEC (\"qemu\", \"qemu@7\")."""
    name, output = _parse_spec(spec, "specification->package")
    return lookup_package(name, host_fallback=True)


def specification_to_package_output(spec: Any) -> Values:
    """(specification->package+output SPEC): the package and output (\"qemu:static\")."""
    name, output = _parse_spec(spec, "specification->package+output")
    return Values((lookup_package(name, host_fallback=True), output))


def specifications_to_packages(specs: Any) -> Any:
    """(specifications->packages SPECS): a (PACKAGE OUTPUT) list for each of SPECS, as a
    profile takes them."""
    out = []
    for spec in to_list(specs):
        name, output = _parse_spec(spec, "specifications->packages")
        out.append(from_list([lookup_package(name, host_fallback=True), output]))
    return from_list(out)


def package_module_names() -> set[str]:
    return {spec["module"] for spec in package_table().values() if spec.get("module")}


def install_package_module(module, short: str) -> None:
    """Fill (gnu packages SHORT) with the packages the table places there."""
    for name, spec in package_table().items():
        if spec.get("module") == short:
            module.define(Symbol(name), lookup_package(name), True)


def install_package_procedures(module) -> None:
    prims = {
        "specification->package": specification_to_package,
        "specification->package+output": specification_to_package_output,
        "specifications->packages": specifications_to_packages,
        "package?": is_package,
        "package-name": lambda p: _pkg(p, "package-name").name,
        "package-version": lambda p: _pkg(p, "package-version").version,
        "package-description": lambda p: _pkg(p, "package-description").description,
        "package-synopsis": lambda p: _pkg(p, "package-synopsis").description,
        "package-outputs": lambda p: from_list(
            ["out"] + list(_pkg(p, "package-outputs").spec.get("outputs", {}))),
    }
    for pname, fn in prims.items():
        module.define(Symbol(pname), make_primitive(pname, fn), True)


def _pkg(x: Any, who: str) -> Package:
    if not isinstance(x, Package):
        raise wrong_type(who, 1, "package", x)
    return x


__all__ = ["Package", "HostFile", "lookup_package", "missing_report",
           "is_package", "base_packages", "host", "specification_to_package"]
