"""The repository's folders, for tests that read its examples, docs and scripts."""

from __future__ import annotations

import os

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLES = os.path.join(REPO, "examples")
SCRIPTS = os.path.join(REPO, "scripts")
