"""Configuration files rendered from records with the Jinja2 templates in templates/.

A template receives the record, the record type's fields in order, the values that
override the record's own (`values`), and the names of the optional fields; quoting and
value syntax come from the service library's serializers, used as filters, so that a
value libvirt could not read back is refused there, with the field's name.

Jinja2 is imported on first use only: most systems have no templated file and `vsys
build` is held to a start-up budget.
"""

from __future__ import annotations

import os
from typing import Any

TEMPLATES = os.path.join(os.path.dirname(__file__), "templates")

_environment: list = []


def environment():
    if not _environment:
        import jinja2
        from vsys.stdlib import serializers
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(TEMPLATES), undefined=jinja2.StrictUndefined,
            autoescape=False, keep_trailing_newline=True, trim_blocks=True,
            lstrip_blocks=True)
        env.filters["conf_key"] = serializers.conf_key
        env.filters["conf_value"] = serializers.conf_value
        _environment.append(env)
    return _environment[0]


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


def render_record_file(rf) -> str:
    """The text of a `RecordFile` (see vsys.stdlib.serializers)."""
    record = rf.record
    return render(rf.template, record=record, fields=record.rtype.fields,
                  values=rf.values, optional=rf.optional)
