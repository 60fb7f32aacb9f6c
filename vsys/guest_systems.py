"""Where the guest systems vsys ships are: the one `herd start` suggests building when a
VM's image is missing (a build VM's or a Linux childhurd's: secrets, sshd, guest agent)."""

from __future__ import annotations

import os


def guest_config() -> str:
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), "image", "guests",
                        "build-vm.scm")
