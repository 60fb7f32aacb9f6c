"""Configuration records declared in one statement, as Guix's `define-configuration` does.

A service's configuration record is written where the service is, at module level:

    LIBVIRT_CONFIGURATION = configuration(
        "libvirt-configuration", "(gnu services virtualization)", [
            field("libvirt", PACKAGE, package="libvirt", doc="Libvirt package."),
            field("listen-tls?", BOOLEAN, True, "Flag listening for secure TLS ..."),
        ], doc="Configuration of libvirtd ...")

Each field has a type (vsys.stdlib.field_types), a default (a value; a package name, looked
up when a record is made; or a procedure of the record being built, as Guix's thunked
fields) and its documentation, which the REPL's ,describe and docs/services show.  The
record joins the Guix module it names: that module's `install` defines the constructor
syntax, the predicate and the accessors of all its records with `install_configurations`.
"""

from __future__ import annotations

from typing import Any, Callable

from vsys.dsl.modules import Module
from vsys.dsl.records import REQUIRED, Field, FieldType, Record, RecordType, install_record_type

from .packages import lookup_package

# Guix module name, e.g. "(gnu services ssh)" -> its configuration records, in the order
# they were declared.
_RECORDS: dict[str, list[RecordType]] = {}


def field(name: str, type: FieldType | None = None, default: Any = REQUIRED,  # noqa: A002
          doc: str = "", *, package: str | None = None,
          thunk: Callable[[Record], Any] | None = None, default_text: str | None = None,
          sanitize: Callable | None = None) -> Field:
    """A field NAME of TYPE.  Without DEFAULT the field is required, unless PACKAGE names
    the package it defaults to or THUNK computes its default from the record being built
    (DEFAULT_TEXT then says how the documentation shows that default)."""
    if package is not None:
        thunk = _package_default(package)
        default_text = default_text or package
    return Field(name, type, default, thunk=thunk, doc=doc, default_text=default_text,
                 sanitize=sanitize)


def _package_default(name: str) -> Callable[[Record], Any]:
    return lambda rec: lookup_package(name)


def configuration(name: str, module: str, fields: list[Field], doc: str = "",
                  this: str | None = None) -> RecordType:
    """The record type NAME of the Guix module MODULE, with FIELDS in order.  THIS names
    the identifier a field's value may use for the record being built, as Guix's
    `this-record` (`this-operating-system`): such a clause is evaluated last."""
    rtype = RecordType(name, fields, doc=doc)
    rtype.this_name = this
    _RECORDS.setdefault(module, []).append(rtype)
    return rtype


def configurations(module: str) -> list[RecordType]:
    """The configuration records declared for the Guix module MODULE."""
    return list(_RECORDS.get(module, ()))


def install_configurations(target: Module, module: str) -> None:
    """Define the records of the Guix module MODULE in TARGET (its Scheme module)."""
    for rtype in _RECORDS.get(module, ()):
        install_record_type(target, rtype)


def manual_differs(manual: str, code: str) -> str:
    """The sentence a field's documentation ends with where Guix's manual and Guix's code
    (which vsys follows) disagree: what the manual claims, and what vsys does."""
    return (f"  Note: Guix's manual says {manual}; vsys follows Guix's code, where "
            f"{code}.")
