"""File ports: `open-input-file`, `call-with-output-file`, `with-output-to-file`... as
in Guile (text in UTF-8).  A file that cannot be opened is a `system-error` naming the
file, as Guile's."""

from __future__ import annotations

import os
from typing import Any

from ..datatypes import pystr
from ..errors import error
from ..procedures import call
from .checks import need_string
from .define import builtin
from .ports import InputPort, StreamOutputPort, _with


class FileOutputPort(StreamOutputPort):
    __slots__ = ()

    def close(self) -> None:
        if not self.closed:
            self.stream.close()
        super().close()


def _open(origin: str, name: Any, mode: str):
    path = pystr(need_string(origin, 1, name))
    try:
        return open(path, mode, encoding="utf-8", newline="")
    except OSError as e:
        raise error(f"{e.strerror or e}: {path}", key="system-error", origin="open-file",
                    hints=[f"the current directory is {os.getcwd()}"]) from None


@builtin("open-input-file")
def open_input_file(name):
    with _open("open-input-file", name, "r") as f:
        return InputPort(f.read(), name=pystr(name))


@builtin("open-output-file")
def open_output_file(name):
    return FileOutputPort(_open("open-output-file", name, "w"), pystr(name))


def _closing(port, proc):
    try:
        return call(proc, [port])
    finally:
        if isinstance(port, FileOutputPort):
            port.flush()
        port.close()


@builtin("call-with-input-file")
def call_with_input_file(name, proc):
    return _closing(open_input_file(name), proc)


@builtin("call-with-output-file")
def call_with_output_file(name, proc):
    return _closing(open_output_file(name), proc)


@builtin("with-input-from-file")
def with_input_from_file(name, thunk):
    port = open_input_file(name)
    try:
        return _with("input", port, thunk)
    finally:
        port.close()


@builtin("with-output-to-file")
def with_output_to_file(name, thunk):
    port = open_output_file(name)
    try:
        return _with("output", port, thunk)
    finally:
        port.flush()
        port.close()
