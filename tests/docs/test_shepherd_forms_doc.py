"""docs/shepherd-forms.md says what vsys does with each Shepherd form: its example is
built with `vsys build` and must produce exactly the runner spec and run script the page
shows, and its lists of keywords, resources and signals must be vsys's own."""

from __future__ import annotations

import json
import os
import re

import pytest
from console_tour import IN_CI, ROOT, Tour, missing_packages
from support.cli import run_vsys

from vsys.builders import runners
from vsys.runner_spec import RESOURCES, RunnerSpec

PAGE = os.path.join(ROOT, "docs", "shepherd-forms.md")
BLOCK = re.compile(r"^```(\w*)\n(.*?)^```$", re.MULTILINE | re.DOTALL)


@pytest.fixture(scope="module")
def page() -> str:
    with open(PAGE, encoding="utf-8") as f:
        return f.read()


def blocks(text: str, info: str) -> list[str]:
    return [body for kind, body in BLOCK.findall(text) if kind == info]


def section(text: str, heading: str) -> str:
    """The text under HEADING, up to the next heading of any level."""
    start = text.index(heading + "\n")
    end = re.compile(r"^#", re.MULTILINE).search(text, start + len(heading))
    return text[start:end.start() if end else len(text)]


def test_the_example_builds_to_the_spec_and_script_shown(page, tmp_path):
    [example] = [b for b in blocks(page, "scheme") if "(operating-system" in b]
    [shown_spec] = blocks(page, "json")
    [shown_script] = [b for b in blocks(page, "sh") if b.startswith("#!/bin/sh")]
    config = tmp_path / "example.scm"
    config.write_text(example)
    done = run_vsys("build", config, cwd=ROOT, env=Tour(str(tmp_path)).env,
                    timeout=120)
    if done.returncode != 0:
        packages = missing_packages(done.stderr)
        if packages and not IN_CI:
            pytest.skip(f"the example needs {', '.join(packages)}")
        pytest.fail(f"vsys build of the page's example failed:\n{done.stderr}", pytrace=False)
    services = os.path.join(done.stdout.strip(), "services")
    with open(os.path.join(services, "greeter.json"), encoding="utf-8") as f:
        built = json.load(f)
    assert built == json.loads(shown_spec)
    RunnerSpec.from_json(built, "greeter.json")        # and the supervisor takes it
    with open(os.path.join(services, "greeter.run"), encoding="utf-8") as f:
        assert f.read() == shown_script


def test_every_forkexec_keyword_is_on_the_page(page):
    keywords = section(page, "### make-forkexec-constructor's keywords")
    listed = set(re.findall(r"^\| `#:([\w?-]+)` \|", keywords, re.MULTILINE))
    assert listed == runners.FORKEXEC_KEYWORDS


def test_the_resources_and_signals_are_vsys_own(page):
    assert RESOURCES == runners.RESOURCES          # the builder and the spec reader agree
    resources = re.search(r"without the prefix: (.*?)\. SOFT", page, re.DOTALL).group(1)
    assert re.findall(r"`(\w+)`", resources) == list(RESOURCES)
    stop = section(page, "## stop")
    signals = re.search(r"SIGNAL is one of (.*?), or its number", stop).group(1)
    assert set(re.findall(r"`(SIG\w+)`", signals)) == runners.SIGNALS
