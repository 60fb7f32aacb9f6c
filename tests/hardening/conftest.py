"""The hardening tests drive `vsys` as the reconfigure tests do (their World)."""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "reconfigure"))
