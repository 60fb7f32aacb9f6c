"""The hardening tests drive `vsys` as the reconfigure tests do (support.world, and the
reconfigure tests' configs) and build configs as the builder tests do (their helpers)."""

from __future__ import annotations

import os
import sys

HERE = os.path.dirname(__file__)
for folder in ("reconfigure", "builders"):
    sys.path.insert(0, os.path.join(HERE, "..", folder))
