"""(guix build utils) and the file procedures a `computed-file`'s code uses.

The code of a computed-file runs when the system is built, in vsys's evaluator, and
creates `#$output` in a scratch directory (see files.ComputedFile).  These are the few
Guile and (guix build utils) procedures such code needs to write files and directories.
"""

from __future__ import annotations

import os
import shutil
from typing import Any

from vsys.dsl.builtins.ports import StreamOutputPort, output_to
from vsys.dsl.datatypes import UNSPECIFIED, Symbol, is_string, pystr
from vsys.dsl.errors import error, wrong_type
from vsys.dsl.procedures import call, make_primitive


def _path(x: Any, who: str, pos: int = 1) -> str:
    if not is_string(x):
        raise wrong_type(who, pos, "string (a file name)", x)
    return pystr(x)


def _system_error(who: str, e: OSError):
    return error(f"{who}: {e.strerror}: {e.filename}", key="system-error")


def call_with_output_file(name, proc):
    """(call-with-output-file FILE PROC): call PROC with a port writing FILE."""
    path = _path(name, "call-with-output-file")
    try:
        with open(path, "w", encoding="utf-8") as f:
            port = StreamOutputPort(f, path)
            try:
                return call(proc, [port])
            finally:
                port.close()
    except OSError as e:
        raise _system_error("call-with-output-file", e) from None


def with_output_to_file(name, thunk):
    """(with-output-to-file FILE THUNK): run THUNK with its output going to FILE."""
    path = _path(name, "with-output-to-file")
    try:
        with open(path, "w", encoding="utf-8") as f:
            with output_to(StreamOutputPort(f, path)):
                return call(thunk, [])
    except OSError as e:
        raise _system_error("with-output-to-file", e) from None


def mkdir_p(name):
    """(mkdir-p DIR): create DIR and its parents."""
    os.makedirs(_path(name, "mkdir-p"), exist_ok=True)
    return UNSPECIFIED


def mkdir(name, mode=0o777):
    try:
        os.mkdir(_path(name, "mkdir"), mode)
    except OSError as e:
        raise _system_error("mkdir", e) from None
    return UNSPECIFIED


def symlink(target, name):
    try:
        os.symlink(_path(target, "symlink"), _path(name, "symlink", 2))
    except OSError as e:
        raise _system_error("symlink", e) from None
    return UNSPECIFIED


def copy_file(source, dest):
    try:
        shutil.copyfile(_path(source, "copy-file"), _path(dest, "copy-file", 2))
    except OSError as e:
        raise _system_error("copy-file", e) from None
    return UNSPECIFIED


def copy_recursively(source, dest, *options):
    """(copy-recursively SOURCE DEST): copy a directory tree (links kept as links)."""
    src, dst = _path(source, "copy-recursively"), _path(dest, "copy-recursively", 2)
    try:
        if os.path.isdir(src):
            shutil.copytree(src, dst, symlinks=True, dirs_exist_ok=True)
        else:
            shutil.copyfile(src, dst)
    except OSError as e:
        raise _system_error("copy-recursively", e) from None
    return UNSPECIFIED


def chmod(name, mode):
    try:
        os.chmod(_path(name, "chmod"), mode)
    except OSError as e:
        raise _system_error("chmod", e) from None
    return UNSPECIFIED


PROCEDURES = {
    "call-with-output-file": call_with_output_file,
    "with-output-to-file": with_output_to_file,
    "mkdir-p": mkdir_p,
    "mkdir": mkdir,
    "symlink": symlink,
    "copy-file": copy_file,
    "copy-recursively": copy_recursively,
    "chmod": chmod,
    "file-exists?": lambda name: os.path.lexists(_path(name, "file-exists?")),
}


def install(module) -> None:
    for name, fn in PROCEDURES.items():
        module.define(Symbol(name), make_primitive(name, fn, fn.__doc__), True)


__all__ = ["install", "PROCEDURES"]
