"""docs/services/: one page per service type, as scripts/gen-docs writes them from
`vsys show --format=markdown`, and an index linking each.  A page that differs from what
the generator writes now is stale."""

from __future__ import annotations

import difflib
import os
import re
import subprocess
import sys

import pytest
from support.cli import run_vsys
from support.paths import REPO as ROOT

DOCS = os.path.join(ROOT, "docs", "services")
GEN_DOCS = os.path.join(ROOT, "scripts", "gen-docs")
REFRESH = ".venv/bin/python scripts/gen-docs"
LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]+)\)")


def vsys(*args: str) -> str:
    done = run_vsys(*args, timeout=60, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return done.stdout


def markdown_files(directory: str) -> dict[str, bytes]:
    if not os.path.isdir(directory):
        return {}
    out = {}
    for name in sorted(os.listdir(directory)):
        if name.endswith(".md"):
            with open(os.path.join(directory, name), "rb") as f:
                out[name] = f.read()
    return out


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> dict[str, bytes]:
    """The pages as the generator writes them now, into a directory that also holds a
    page of a service type that does not exist (it must go) and a file that is not a
    page (it must stay)."""
    out = tmp_path_factory.mktemp("services")
    (out / "gone-service-type.md").write_text("# gone\n")
    (out / "notes.txt").write_text("kept\n")
    done = subprocess.run([sys.executable, GEN_DOCS, "--out", str(out)], capture_output=True,
                          text=True, timeout=120, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr
    assert "removed gone-service-type.md" in done.stdout
    assert (out / "notes.txt").read_text() == "kept\n"
    return markdown_files(str(out))


@pytest.fixture(scope="module")
def service_types() -> list[tuple[str, str]]:
    """(variable, module) of every service type, as `vsys search .` lists them."""
    records = vsys("search", ".").split("\n\n")
    out = []
    for record in records:
        fields = dict(line.split(": ", 1) for line in record.splitlines() if ": " in line)
        if "variable" in fields:
            out.append((fields["variable"], fields["module"]))
    assert len(out) > 40
    return out


def test_the_pages_are_current(fresh):
    committed = markdown_files(DOCS)
    stale = []
    for name in sorted(set(fresh) | set(committed)):
        if name not in committed:
            stale.append(f"docs/services/{name} is missing")
        elif name not in fresh:
            stale.append(f"docs/services/{name} documents a service type that no longer "
                         f"exists")
        elif committed[name] != fresh[name]:
            stale.append(f"docs/services/{name} is out of date")
    if stale:
        first = next((n for n in sorted(fresh) if n in committed and committed[n] != fresh[n]),
                     None)
        diff = ""
        if first:
            lines = difflib.unified_diff(
                committed[first].decode().splitlines(), fresh[first].decode().splitlines(),
                f"docs/services/{first}", "generated now", lineterm="", n=1)
            diff = "\n" + "\n".join(list(lines)[:30])
        pytest.fail("stale service reference pages:\n  " + "\n  ".join(stale)
                    + f"\nrefresh them with: {REFRESH}" + diff, pytrace=False)


def test_every_service_type_has_a_page(service_types):
    pages = markdown_files(DOCS)
    for variable, module in service_types:
        name = f"{variable}.md"
        assert name in pages, f"no page for {variable}: run {REFRESH}"
        text = pages[name].decode()
        assert f"(`{variable}`)" in text.splitlines()[2], f"{name} is titled for another type"
        assert f"module `{module}`" in text
    assert sorted(pages) == sorted([f"{v}.md" for v, _ in service_types] + ["README.md"])


def test_the_index_links_every_page_once_and_every_link_leads_to_a_page(service_types):
    with open(os.path.join(DOCS, "README.md"), encoding="utf-8") as f:
        index = f.read()
    rows = [line for line in index.splitlines() if line.startswith("| [")]
    linked = [LINK.search(row).group(2) for row in rows]
    assert sorted(linked) == sorted(f"{v}.md" for v, _ in service_types)
    for row in rows:
        text, target = LINK.search(row).groups()
        assert text == f"`{target[:-3]}`", row
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", row)[1:-1]]
        variable = target[:-3]
        module = dict(service_types)[variable]
        assert cells[1] == f"`{module}`", row
        assert cells[2], f"{variable} has no description in the index"
    for name, text in markdown_files(DOCS).items():
        for _, target in LINK.findall(text.decode()):
            if "://" not in target:
                path = os.path.join(DOCS, target.split("#")[0])
                assert os.path.isfile(path), f"docs/services/{name} links to {target}"


def test_a_page_is_what_vsys_show_prints():
    """libvirt-service-type's page holds the service type and its configuration record
    exactly as `vsys show --format=markdown` prints them: every field with its type,
    default and documentation."""
    with open(os.path.join(DOCS, "libvirt-service-type.md"), encoding="utf-8") as f:
        page = f.read()
    for name in ("libvirt-service-type", "libvirt-configuration"):
        shown = vsys("show", "--format=markdown", name)
        assert shown.startswith(f"### `{name}`\n")
        assert "\n" + shown in page, f"the page does not hold `vsys show {name}`"
    assert ('- **`tls-port`** (type: string (one libvirt\'s configuration syntax can quote); '
            'default: `"16514"`): Port for accepting secure TLS connections.') in page


@pytest.mark.parametrize("page, records", [
    ("ganeti-service-type.md", ["ganeti-configuration", "ganeti-rapi-configuration",
                                "ganeti-watcher-configuration", "ganeti-os",
                                "ganeti-os-variant", "debootstrap-configuration"]),
    ("account-service-type.md", ["user-account", "user-group"]),
    ("static-networking-service-type.md", ["static-networking", "network-address",
                                           "network-route"]),
    ("file-system-service-type.md", ["file-system"]),
    ("hurd-vm-service-type.md", ["hurd-vm-configuration"]),
    ("virtual-build-machine-service-type.md", ["virtual-build-machine"]),
])
def test_a_page_documents_the_records_its_value_is_built_from(page, records):
    with open(os.path.join(DOCS, page), encoding="utf-8") as f:
        text = f.read()
    for record in records:
        assert f"\n### `{record}`\n\nRecord type in " in text, f"{page} lacks {record}"
    headings = re.findall(r"\n### (`[^`]+`)", text)
    assert len(headings) == len(set(headings)), f"{page} describes something twice"
