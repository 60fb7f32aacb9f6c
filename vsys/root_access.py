"""A sandbox root is out of other host users' reach.

Its homes and files belong to the system's own account ids, which are host uids too:
an unrelated host user who happens to have the uid of the root's `alice` would reach
alice's home through the root's directory.  So a sandbox root's directory is owner-only
(0700): the container's processes do not pass through it (their / is made of mounts of
its directories, mounted by the supervisor's user), and other host users cannot enter.
"""

from __future__ import annotations

import os
import stat


def keep_private(root: str) -> str | None:
    """Make the sandbox root ROOT owner-only when this user owns it; otherwise a
    warning saying why others may still enter it (None: nothing to say)."""
    if os.path.realpath(root) == "/":
        return None
    st = os.stat(root)
    mode = stat.S_IMODE(st.st_mode)
    if not mode & 0o077:
        return None
    if st.st_uid != os.geteuid():
        return (f"{root} belongs to uid {st.st_uid} and other users may enter it (mode "
                f"{mode:04o}): its homes and files belong to the system's account ids, "
                f"which are host uids too; make it owner-only (chmod 700) or use a root "
                f"of your own")
    os.chmod(root, 0o700)
    return None
