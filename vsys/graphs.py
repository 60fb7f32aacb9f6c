"""Pictures of a system, as Graphviz dot text (what `guix system extension-graph` and
`guix system shepherd-graph` print).

The extension graph has one node per folded service and an edge from each service to
every service it extends.  The Shepherd graph has one node per Shepherd service and an
edge from each to the services it requires; names provided by the host (vsys's host
milestones) are drawn dashed.  `render` turns dot text into SVG, PNG or PDF with the
`dot` program when it is installed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from typing import Any

from vsys import explore
from vsys.dsl.datatypes import to_list
from vsys.dsl.errors import SchemeError, format_error
from vsys.dsl.loader import set_load_path
from vsys.failures import file_problem
from vsys.stdlib.shepherd import check_shepherd_conflicts


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _digraph(title: str, nodes: list[str], edges: list[str]) -> str:
    return "\n".join([f"digraph {_quote(title)} {{",
                      "  node [shape = box, fontname = \"sans\"];",
                      *nodes, *edges, "}", ""])


def extension_graph(folded: Any) -> str:
    """Every service of the folded system and what it extends."""
    ids = {id(s): f"s{i}" for i, s in enumerate(folded.services)}
    nodes = [f"  {ids[id(s)]} [label = {_quote(s.type.name)}];" for s in folded.services]
    edges = []
    for s in folded.services:
        for ext in s.type.extensions:
            for target in folded.of_type(ext.target):
                edges.append(f"  {ids[id(s)]} -> {ids[id(target)]};")
    return _digraph("services", nodes, edges)


def shepherd_graph(folded: Any) -> str:
    """Every Shepherd service of the folded system and what it requires."""
    entries = check_shepherd_conflicts(folded)
    provider: dict[str, str] = {}
    nodes, edges = [], []
    for i, e in enumerate(entries):
        names = [s.name for s in to_list(e.record["provision"])]
        node = f"n{i}"
        for n in names:
            provider.setdefault(n, node)
        style = ", style = dashed" if e.milestone else ""
        nodes.append(f"  {node} [label = {_quote(names[0])}{style}];")
    for i, e in enumerate(entries):
        for req in to_list(e.record["requirement"]):
            target = provider.get(req.name)
            if target is None:        # provided by every vsys host
                target = provider[req.name] = f"h{len(provider)}"
                nodes.append(f"  {target} [label = {_quote(req.name)}, style = dashed];")
            edges.append(f"  n{i} -> {target};")
    return _digraph("shepherd", nodes, edges)


class RenderError(Exception):
    pass


def render(dot_text: str, output: str) -> None:
    """Write OUTPUT (.svg, .png, .pdf...: the format is its extension) with Graphviz."""
    fmt = os.path.splitext(output)[1].lstrip(".").lower()
    if not fmt:
        raise RenderError(f"cannot tell the picture format of {output}: name it "
                          f"FILE.svg, FILE.png or FILE.pdf")
    if fmt == "dot":
        with open(output, "w", encoding="utf-8") as f:
            f.write(dot_text)
        return
    dot = shutil.which("dot")
    if dot is None:
        raise RenderError(f"cannot render {output}: the dot program is not installed "
                          f"(Debian package graphviz); without --output the dot text "
                          f"is printed")
    done = subprocess.run([dot, f"-T{fmt}", "-o", output], input=dot_text.encode(),
                          capture_output=True, check=False)
    if done.returncode != 0:
        raise RenderError(f"dot could not render {output}: "
                          f"{done.stderr.decode(errors='replace').strip()}")


def graph_command(kind: str, path: str, output: str | None, debug: bool = False,
                  load_dirs: list[str] | None = None) -> int:
    """`vsys extension-graph FILE` / `vsys shepherd-graph FILE`: the exit status.
    LOAD_DIRS (-L) come first on the module load path, as for `vsys build`."""
    problem = file_problem(path)
    if problem:
        sys.stderr.write(f"vsys {kind}-graph: {problem}\n")
        return 2
    set_load_path(list(load_dirs or []) + [os.path.dirname(os.path.abspath(path))])
    try:
        folded = explore.fold_system(explore.load_config(path))
        text = (extension_graph if kind == "extension" else shepherd_graph)(folded)
    except SchemeError as e:
        sys.stderr.write(format_error(e, debug) + "\n")
        return 1
    if output is None:
        sys.stdout.write(text)
        return 0
    try:
        render(text, output)
    except (RenderError, OSError) as e:
        sys.stderr.write(f"vsys {kind}-graph: {e}\n")
        return 1
    sys.stdout.write(f"wrote {output}\n")
    return 0
