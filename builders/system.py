"""A system generation from an operating-system and its folded services.

The generation is a store item holding plain files a person can read:

  manifest.json        what the generation holds, the host-managed fields, the missing
                       host packages and every store item it uses
  configuration.scm    a copy of the config file it was built from
  etc/                 the files of /etc, links to store items (see etc.py)
  services/NAME.json   one runner spec per Shepherd service (vsys/runner_spec.py)
  services/NAME.run    the same, as a shell script a person can run (none for the
                       host milestones, which start nothing)
  binfmt.d/NAME.conf   binfmt_misc register strings
  mcron/jobs.scm       the periodic jobs, for GNU mcron
  network.json         the static-networking addresses and routes the container
                       applies (only when the config declares some)
  accounts.json        users and groups
  activation.json      activation steps
  profile              link to the system profile (links to the packages' programs)

Building only computes: the result lists the store items with their content, in the
order they can be written, the generation last.  Writing them is the store's business.
"""

from __future__ import annotations

import json
from typing import Any

from vsys.dsl.datatypes import to_list
from vsys.dsl.printer import write_string
from vsys.stdlib import host_managed
from vsys.stdlib.files import DirData, FileData, LinkData
from vsys.stdlib.shepherd import check_shepherd_conflicts
from vsys.stdlib.ssh import sshd_config_file
from vsys.stdlib.system import host_managed_fields
from vsys.stdlib.system_services import (
    account_service_type,
    activation_service_type,
    etc_service_type,
    profile_service_type,
)

from . import accounts, activation, binfmt, etc, mcron, profile, runners
from .items import Content
from .lowering import Items
from .network import network_plan

FORMAT = 0


class Build:
    """The outcome of a build: `items` (store path -> content, in writing order, the
    generation last), `generation` (its path) and `manifest`; `repaired` says which
    items found damaged in the store were written again."""

    def __init__(self, items: dict[str, Content], generation: str, manifest: dict):
        self.items = items
        self.generation = generation
        self.manifest = manifest
        self.repaired: list[str] = []
        self.folded = None        # the folded services, for steps that follow the build

    @property
    def not_managed(self) -> list[str]:
        """Lines naming what the config asks for that the host does (once each)."""
        return host_managed.lines(self.manifest.get("not-managed", []))

    @property
    def missing(self) -> list[str]:
        """What the host lacks, one line each: packages of the profile, then files
        the system names (programs, hooks) with what provides them."""
        return self.manifest["missing-packages"] + [
            f"{path} is missing ({why})" for path, why in self.manifest["missing-files"].items()]


def _json(data: Any) -> FileData:
    """DATA as JSON, its objects and lists of objects laid out a line per key or item
    for two levels, the rest on one line: readable, and mostly written by the C
    encoder (json's own indenting is ten times slower on large systems)."""
    def dump(x: Any, depth: int) -> str:
        pad = "  " * (depth + 1)
        if depth < 2 and isinstance(x, dict) and x:
            return "{\n" + ",\n".join(f"{pad}{json.dumps(k)}: {dump(v, depth + 1)}"
                                       for k, v in x.items()) + "\n" + "  " * depth + "}"
        if depth < 2 and isinstance(x, list) and x and all(isinstance(v, dict) for v in x):
            return "[\n" + ",\n".join(pad + json.dumps(v, ensure_ascii=False) for v in x) \
                + "\n" + "  " * depth + "]"
        return json.dumps(x, ensure_ascii=False)
    return FileData((dump(data, 0) + "\n").encode())


def _values(folded, name: str) -> list:
    return [folded.value(s) for s in folded.services if s.type.name == name]


def _leaves(tree: DirData, prefix: str = "") -> list[str]:
    out = []
    for name in sorted(tree.entries):
        sub = tree.entries[name]
        if isinstance(sub, DirData):
            out += _leaves(sub, f"{prefix}{name}/")
        else:
            out.append(prefix + name)
    return out


def build_system(os_: Any, folded, config_file: str, config_text: str, store: str,
                 vsys_command: list[str]) -> Build:
    """Everything the system needs, as store items.  Raises SchemeError for a config
    vsys cannot build, located where the offending value was written when known."""
    items = Items(store)
    entries = check_shepherd_conflicts(folded)

    jobs = [j for v in _values(folded, "mcron") for j in to_list(v["jobs"])]
    jobs_item = items.add("mcron-jobs.scm", FileData(mcron.jobs_file(jobs, items).encode())) \
        if jobs else None

    services = DirData()
    specs = [runners.runner_spec(entry, items,
                                 jobs_item if entry.origin.type.name == "mcron" else None)
             for entry in entries]
    runners.wait_for_secrets(specs)
    for spec in specs:
        name = runners.spec_file_name(spec)
        while name in services.entries:             # two names made alike by escaping
            name = name[:-5] + "_.json"
        services.entries[name] = _json(spec)
        if not spec.get("host-milestone"):      # the host's: nothing for a person to run
            services.entries[name[:-5] + ".run"] = FileData(
                runners.run_script(spec, vsys_command).encode(), executable=True)

    etc_tree = etc.etc_tree(to_list(folded.one(etc_service_type)), items)
    resolv = etc.resolv_conf(_values(folded, "static-networking"))
    if resolv:
        etc.add_file(etc_tree, "resolv.conf", resolv, items)
    for config in _values(folded, "ssh"):
        # The file the ssh-daemon runner passes to sshd -f (the same store item), also
        # where a person looks for it.
        etc.add_link(etc_tree, "ssh/sshd_config", items.path(sshd_config_file(config)))

    account_data = accounts.accounts(to_list(folded.one(account_service_type)), items)
    steps = activation.steps(to_list(folded.one(activation_service_type)), items)
    binfmt_files = binfmt.binfmt_files(specs)
    profile_entries = to_list(folded.one(profile_service_type))
    profile_tree, packages, missing = profile.profile(profile_entries)
    profile_item = items.add("profile", profile_tree)

    generation = DirData()
    generation.entries["configuration.scm"] = FileData(config_text.encode())
    generation.entries["etc"] = etc_tree
    generation.entries["services"] = services
    if binfmt_files:
        generation.entries["binfmt.d"] = DirData(
            {n: FileData(t.encode()) for n, t in binfmt_files.items()})
    if jobs_item:
        generation.entries["mcron"] = DirData({"jobs.scm": LinkData(jobs_item)})
    network = network_plan(_values(folded, "static-networking"))
    if network:
        generation.entries["network.json"] = _json(network)
    generation.entries["accounts.json"] = _json(account_data)
    generation.entries["activation.json"] = _json(steps)
    generation.entries["profile"] = LinkData(profile_item)
    manifest = {
        "format": FORMAT,
        "host-name": str(os_["host-name"]),
        "configuration-file": config_file,
        "services": {s["provision"][0]: n for s, n in zip(
            specs, [k for k in services.entries if k.endswith(".json")])},
        "etc": _leaves(etc_tree),
        "binfmt": sorted(binfmt_files),
        "users": [u["name"] for u in account_data["users"]],
        "groups": [g["name"] for g in account_data["groups"]],
        "packages": packages,
        "missing-packages": missing,
        "missing-files": {path: why for path, why in sorted(items.missing.items())},
        "host-managed": [{"field": name, "value": write_string(value), "given": given}
                         for name, value, given in host_managed_fields(os_)],
        "store-items": list(items.items),
    }
    not_managed = host_managed.report(os_, folded, profile_entries)
    if not_managed:       # what the config leaves to the host, when it leaves anything
        manifest["not-managed"] = not_managed
    generation.entries["manifest.json"] = _json(manifest)
    path = items.add("system", generation)
    build = Build(items.items, path, manifest)
    build.folded = folded
    return build
