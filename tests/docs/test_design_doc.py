"""docs/design.md's layers are the ones the package and its import contracts have: the
folder of each layer installs as the package the table names, and the layers contract
of pyproject.toml orders them as the table does."""

from __future__ import annotations

import os
import re
import tomllib

from support.paths import REPO


def read(name: str) -> str:
    with open(os.path.join(REPO, name), encoding="utf-8") as f:
        return f.read()


def layer_table() -> list[tuple[str, str]]:
    """(folder, package) of each row of the design's layer table, in its order."""
    section = read("docs/design.md").split("\n## Layers\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([\w/]+)/` \| `([\w.]+)` \|", section, re.M)


def test_each_layer_folder_installs_as_the_package_the_design_names():
    config = tomllib.loads(read("pyproject.toml"))
    package_dir = config["tool"]["setuptools"]["package-dir"]
    rows = layer_table()
    assert rows == [("dsl", "vsys.dsl"), ("stdlib", "vsys.stdlib"),
                    ("builders", "vsys.builders"), ("vsys", "vsys")]
    assert {package: folder for folder, package in rows} == package_dir


def test_the_layers_contract_orders_the_layers_as_the_design_does():
    contracts = tomllib.loads(read("pyproject.toml"))["tool"]["importlinter"]["contracts"]
    layers = next(c["layers"] for c in contracts if c["type"] == "layers")
    # import-linter lists the highest layer first; the tool itself is everything above.
    assert list(reversed(layers)) == [package for _, package in layer_table()][:-1]


def test_the_lower_layers_are_forbidden_every_module_of_the_tool():
    """A module added to the tool is in the forbidden contract too: the language, the
    service library and the builders may import none of them."""
    contracts = tomllib.loads(read("pyproject.toml"))["tool"]["importlinter"]["contracts"]
    forbidden = next(c for c in contracts if c["type"] == "forbidden")["forbidden_modules"]
    top = os.path.join(REPO, "vsys")
    modules = {f"vsys.{name.removesuffix('.py')}" for name in os.listdir(top)
               if not name.startswith("__")
               and (name.endswith(".py") or os.path.isfile(os.path.join(top, name, "__init__.py")))}
    assert sorted(forbidden) == sorted(modules)
