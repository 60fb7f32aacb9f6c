"""Real-world configs, kept outside the repository (they are other people's): with
VSYS_GUIX_CORPUS=DIR (a directory scripts/run-corpus takes), Guix's six templates must
build and at least 20 of the others.  Skipped without it: the corpus is not ours to
commit."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

CORPUS = os.environ.get("VSYS_GUIX_CORPUS")
SCRIPT = os.path.join(os.path.dirname(__file__), "..", "..", "scripts", "run-corpus")
TEMPLATES = ("bare-bones", "desktop", "lightweight-desktop", "vm-image", "docker-image",
             "bare-hurd")


@pytest.mark.slow
@pytest.mark.skipif(not CORPUS, reason="set VSYS_GUIX_CORPUS=DIR to run a corpus of configs")
def test_the_corpus_builds():
    done = subprocess.run([sys.executable, SCRIPT, CORPUS], capture_output=True, text=True,
                          timeout=3600)
    lines = done.stdout.splitlines()
    ok = [ln for ln in lines if ln.startswith("ok ")]
    for t in TEMPLATES:
        assert any(re.search(rf"\b{t}\.(scm|tmpl) ", ln) for ln in ok), \
            f"template {t} does not build:\n{done.stdout}"
    assert len(ok) - len(TEMPLATES) >= 20, done.stdout
