"""What a build reports missing on this host: the files a service runs, with what to do
about them; never a directory every package shares."""

from __future__ import annotations

import json
import os

from build_helpers import build_file, generation
from support.paths import EXAMPLES

from vsys.stdlib.packages import lookup_package

NOTE = ("Debian 12 does not package xe-guest-utilities; install it from the XCP-ng or "
        "Citrix project")


def test_a_package_s_bin_directory_is_not_missing():
    """PATH=PKG/bin of a package Debian lacks is /usr/bin, which exists."""
    hit = lookup_package("xe-guest-utilities").locate("bin")
    assert (hit.path, hit.found) == ("/usr/bin", True)


def test_missing_files_of_a_package_debian_lacks_carry_its_note():
    build = build_file(os.path.join(EXAMPLES, "xe-guest-utilities.scm"))
    manifest = json.loads(generation(build).entries["manifest.json"].data)
    missing = manifest["missing-files"]
    assert "/usr/bin" not in missing
    if not os.path.exists("/usr/sbin/xe-daemon"):
        assert missing["/usr/sbin/xe-daemon"] == NOTE
