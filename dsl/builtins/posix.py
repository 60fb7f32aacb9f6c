"""Guile's procedures about files and passwords that configs call while they are read:
`crypt` (hash a password for a user-account) and `search-path` (find a file in a list of
directories, as `(search-path %load-path "keys/signing.pub")` does)."""

from __future__ import annotations

import ctypes
import ctypes.util
import os

from ..datatypes import to_list
from ..errors import error
from .checks import need_string
from .define import builtin

_libcrypt = None


@builtin("crypt")
def crypt(key, salt):
    """(crypt KEY SALT): KEY hashed by the C library's crypt(3) with SALT ("$6$..."
    picks SHA-512), as /etc/shadow holds passwords."""
    global _libcrypt
    k = need_string("crypt", 1, key).encode()
    s = need_string("crypt", 2, salt).encode()
    if _libcrypt is None:
        name = ctypes.util.find_library("crypt") or "libcrypt.so.1"
        _libcrypt = ctypes.CDLL(name)
        _libcrypt.crypt.restype = ctypes.c_char_p
        _libcrypt.crypt.argtypes = (ctypes.c_char_p, ctypes.c_char_p)
    out = _libcrypt.crypt(k, s)
    if not out or out.startswith(b"*"):
        raise error(f"crypt: the salt {salt!s} is not one this system's crypt(3) takes",
                    key="system-error", hints=['a SHA-512 salt is "$6$" and up to 16 '
                                               'characters of [a-zA-Z0-9./]'])
    return out.decode()


@builtin("search-path")
def search_path(path, filename, extensions=None, require_extension=False):
    """(search-path PATH FILENAME [EXTENSIONS [REQUIRE-EXTENSION?]]): the first
    DIR/FILENAME[EXT] that exists for DIR in the list PATH, or #f."""
    name = need_string("search-path", 2, filename)
    exts = [need_string("search-path", 3, e) for e in to_list(extensions)] \
        if extensions not in (None, False) else []
    suffixes = ([] if require_extension is not False and exts else [""]) + exts
    for d in to_list(path):
        d = need_string("search-path", 1, d)
        for ext in suffixes:
            candidate = os.path.join(d, name + ext)
            if os.path.isfile(candidate):
                return candidate
    return False

