"""Values that would break the line-oriented files of the hosts and Ganeti services.

/etc/hosts, /etc/ganeti/file-storage-paths and the variants lists separate entries with
line breaks (and hosts its fields with blanks) and have no escapes: a host name or a path
holding a line break would add an entry of its own.  These checks read the folded values
of those services and refuse such a value, naming the record and the field, before any
file is written.  What is refused, and why, is said by the field types of the service
library (vsys.stdlib.field_types), which other records check where a value is written.
"""

from __future__ import annotations

from typing import Any

from vsys.dsl.datatypes import is_list, pystr, to_list
from vsys.dsl.printer import write_string
from vsys.dsl.records import Record
from vsys.stdlib.field_types import file_name_refusal, host_name_refusal, line_refusal

from .lowering import build_error


def _refuse(refusal, value: Any, rec: Any, field: str) -> None:
    reason = refusal(pystr(value))
    if reason is not None:
        shown = field if reason.startswith("is too long") else \
            f"{field} {write_string(value)}"
        raise build_error(f"{rec.rtype.name}: {shown} {reason}", getattr(rec, "loc", None))


def hosts(value: Any) -> None:
    for h in to_list(value):
        for name in [h["canonical-name"], *to_list(h["aliases"])]:
            reason = host_name_refusal(pystr(name))
            if reason is not None:
                raise build_error(f"host {pystr(h['address'])}: {write_string(name)} {reason}",
                                  getattr(h, "loc", None))


def ganeti(c: Any) -> None:
    for path in to_list(c["file-storage-paths"]):
        _refuse(line_refusal, path, c, "file-storage-paths")
    for os_ in to_list(c["os"]):
        _refuse(file_name_refusal, os_["name"], os_, "name")
        if os_["extension"] is not False:
            _refuse(file_name_refusal, os_["extension"], os_, "extension")
        variants = os_["variants"]
        for v in to_list(variants) if is_list(variants) else []:
            if type(v) is Record:
                _refuse(file_name_refusal, v["name"], v, "name")


CHECKS = {"hosts": hosts, "ganeti": ganeti}


def check_values(folded) -> None:
    for service in folded.services:
        check = CHECKS.get(service.type.name)
        if check is not None:
            check(folded.value(service))
