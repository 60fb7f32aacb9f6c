"""The `Guest agent:` line of `herd status`: a contained VM's socket as the host names
it, and, when that path is too long to connect to, the command that reaches it from
inside the container."""

from __future__ import annotations

import socket

from vsys.shepherd.client import agent_lines

INSIDE = "/tmp/vsys-supervisor/qga-build-vm.sock"


def test_a_short_path_is_shown_alone():
    assert agent_lines("/srv/r", INSIDE) == [f"  Guest agent: /srv/r{INSIDE}"]
    assert agent_lines(None, INSIDE) == [f"  Guest agent: {INSIDE}"]


def test_a_path_too_long_for_a_socket_address_names_the_way_in():
    root = "/var/lib/some/rather/long/directory/of/roots/" + "r" * 40
    shown = root + INSIDE
    assert len(shown) > 107
    assert agent_lines(root, INSIDE) == [
        f"  Guest agent: {shown}",
        f"  (too long a path to connect to; in the container: vsys exec --root {root} -- "
        f"socat - UNIX-CONNECT:{INSIDE})"]
    # It is too long indeed: connecting by that name fails as the line says.
    with socket.socket(socket.AF_UNIX) as s:
        try:
            s.connect(shown)
            raise AssertionError("connected")
        except OSError as e:
            assert "too long" in str(e)
    # A root with a space is quoted for the shell.
    assert agent_lines("/srv/my roots/" + "x" * 90, INSIDE)[1].startswith(
        "  (too long a path to connect to; in the container: vsys exec --root '/srv/my roots/")
