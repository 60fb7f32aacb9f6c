"""`vsys describe`: the current generation of a root, the config it came from, and the
operating-system fields the host manages (kept in the generation, not acted on)."""

from __future__ import annotations

import os

from .console import print_lines, report_errors
from .failures import EXIT_OK
from .generations import Profile
from .roots import choose_root, root_label


def describe_lines(root: str, all_fields: bool = False) -> list[str]:
    profile = Profile(root)
    current = profile.current()
    if current is None:
        return [f"root: {root_label(root)}", "no generation is current: run `vsys "
                "reconfigure FILE` first"]
    m = current.manifest()
    lines = [f"root: {root_label(root)}",
             f"current generation: {current.number} ({len(profile.generations())} in all)",
             f"  file name: {current.link}",
             f"  canonical file name: {current.path}",
             f"  host name: {m.get('host-name', '?')}",
             f"  configuration file: {m.get('configuration-file', '?')}",
             f"  copy of the configuration: {os.path.join(current.path, 'configuration.scm')}",
             f"  services: {', '.join(sorted(m.get('services', {}))) or 'none'}",
             f"  files under /etc: {len(m.get('etc', []))}",
             f"  users: {', '.join(m.get('users', []))}"]
    if m.get("binfmt"):
        lines.append(f"  binfmt entries: {', '.join(n[:-5] for n in m['binfmt'])}")
    if m.get("missing-packages"):
        lines.append("missing on this host:")
        lines += [f"  {line}" for line in m["missing-packages"]]
    fields = [f for f in m.get("host-managed", []) if all_fields or f.get("given")]
    lines.append("host-managed fields" + (" (those the config gives; --all for every one)"
                                          if not all_fields else "") + ":")
    for f in fields:
        value = f["value"] if len(f["value"]) <= 200 else f["value"][:197] + "..."
        lines.append(f"  {f['field']}: {value}")
    if not fields:
        lines.append("  none given")
    return lines


def describe_main(root: str | None, all_fields: bool, debug: bool) -> int:

    def run():
        print_lines(describe_lines(choose_root(root), all_fields))
        return EXIT_OK
    return report_errors(run, None, debug)
