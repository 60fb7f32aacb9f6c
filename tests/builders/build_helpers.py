"""Building configs in memory for the builder tests: no state directory, a fixed store
path and a fixed vsys command, so that artifacts are the same on every machine."""

from __future__ import annotations

import json
import os
import re
import textwrap

from support.paths import REPO as ROOT

from vsys.building import evaluate_and_build
from vsys.stdlib.files import DirData, FileData, LinkData

GOLDEN = os.path.join(ROOT, "tests", "golden")
STORE = "/vsys-store"
COMMAND = ["vsys"]
HASH = re.compile(re.escape(STORE) + r"/[a-z2-7]{32}-")


def build_file(path: str, store: str = STORE):
    return evaluate_and_build(path, [], store, COMMAND)


def build_text(tmp_path, text: str, name: str = "config.scm", store: str = STORE):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return build_file(str(path), store)


def generation(build) -> DirData:
    return build.items[build.generation]


def item_text(build, path: str) -> str:
    content = build.items[path]
    assert isinstance(content, FileData), path
    return content.data.decode()


def spec(build, name: str) -> dict:
    services = generation(build).entries["services"].entries
    return json.loads(services[name + ".json"].data)


def run_script(build, name: str) -> str:
    return generation(build).entries["services"].entries[name + ".run"].data.decode()


def etc_text(build, relative: str) -> str:
    node = generation(build).entries["etc"]
    for part in relative.split("/"):
        node = node.entries[part]
    assert isinstance(node, LinkData)
    return item_text(build, node.target)


def normalize(text: str) -> str:
    """Store hashes and the checkout's location, which differ between builds of the same
    system in different places, made constant."""
    return HASH.sub(STORE + "/HASH-", text).replace(ROOT, "CHECKOUT")


def artifacts(build) -> dict[str, str]:
    """Every artifact of a generation as text, keyed by a relative name: the
    generation's files (links followed into the store), and each text store item it
    uses under store/NAME.  The profile and the host's missing packages depend on the
    host and are left out, and so are the host milestones' runner files, all alike."""
    out: dict[str, str] = {}

    def walk(node, prefix: str) -> None:
        if isinstance(node, DirData):
            for name in sorted(node.entries):
                walk(node.entries[name], f"{prefix}/{name}" if prefix else name)
        elif isinstance(node, LinkData):
            target = build.items.get(node.target)
            if target is not None:
                walk(target, prefix)
            else:                            # a host file: where it points is the fact
                out[prefix] = f"-> {node.target}\n"
        else:
            out[prefix] = node.data.decode("utf-8", errors="replace")

    gen = generation(build)
    services = gen.entries["services"].entries
    milestones = {n[:-5] for n, c in services.items()
                  if n.endswith(".json") and json.loads(c.data).get("host-milestone")}
    for name in sorted(gen.entries):
        if name in ("configuration.scm", "profile"):
            continue
        if name == "manifest.json":
            m = json.loads(gen.entries[name].data)
            for key in ("missing-packages", "missing-files", "store-items", "packages"):
                m.pop(key, None)
            out[name] = json.dumps(m, indent=2, ensure_ascii=False) + "\n"
            continue
        walk(gen.entries[name], name)
    counts: dict[str, int] = {}
    profile = gen.entries["profile"].target
    for path, content in build.items.items():
        if path in (build.generation, profile):
            continue
        name = path[len(STORE) + 34:]
        n = counts[name] = counts.get(name, 0) + 1
        walk(content, f"store/{name}" + (f".{n}" if n > 1 else ""))
    return {k: normalize(v) for k, v in out.items()
            if not (k.startswith("services/") and k[9:].rsplit(".", 1)[0] in milestones)}
