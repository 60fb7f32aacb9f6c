"""Configuration records declared with stdlib/configuration.py, and the field types of
stdlib/field_types.py that refuse what a line-oriented file cannot hold."""

from __future__ import annotations

import pytest
from core_helpers import error_of, ev

from vsys.dsl import api
from vsys.dsl.datatypes import Symbol, from_list
from vsys.dsl.errors import SchemeError, format_error
from vsys.stdlib.configuration import configuration, configurations, field, install_configurations
from vsys.stdlib.field_types import FILE_NAME, ONE_LINE_LIST, STRING, STRING_LIST
from vsys.stdlib.packages import Package
from vsys.stdlib.services import Service, ServiceExtension, ServiceType, fold_services
from vsys.stdlib.ssh import OPENSSH_CONFIGURATION, openssh_service_type

MODULE = "(vsys tests configuration)"
DEMO = configuration("demo-configuration", MODULE, [
    field("name", STRING, doc="A required name."),
    field("mcron", None, package="mcron", doc="A package looked up when a record is made."),
    field("aliases", STRING_LIST, thunk=lambda rec: from_list([rec["name"] + "-alias"]),
          default_text="(list NAME-alias)", doc="Computed from the record being built."),
    field("greeting", STRING, "", doc="Uses this-demo."),
], doc="A record of the tests.", this="this-demo")


def _module():
    module = api.fresh_module()
    install_configurations(module, MODULE)
    return module


def _eval(src: str):
    return api.eval_string(src, _module(), "c.scm")


def test_a_declared_record_joins_its_module_with_its_fields_and_defaults():
    assert configurations(MODULE) == [DEMO]
    module = _module()
    for name in ("demo-configuration", "demo-configuration?", "demo-configuration-name",
                 "%demo-configuration-type"):
        assert module.lookup(Symbol(name)) is not None
    rec = _eval('(demo-configuration (name "a"))')
    assert isinstance(rec["mcron"], Package) and rec["mcron"].name == "mcron"
    assert [str(a) for a in rec["aliases"]] == ["a-alias"]
    assert DEMO.field("mcron").default_text == "mcron"


def test_a_clause_naming_this_record_sees_the_record_being_built():
    rec = _eval('(demo-configuration (greeting (string-append "hello " '
                '(demo-configuration-name this-demo))) (name "b"))')
    assert rec["greeting"] == "hello b"


def test_a_missing_required_field_is_named():
    with pytest.raises(SchemeError) as info:
        _eval("(demo-configuration)")
    assert format_error(info.value).splitlines()[0] == (
        "c.scm:1:1: error: demo-configuration is missing its required field name")


@pytest.mark.parametrize("value, reason", [
    ("a/b", "cannot name a file"), ("..", "cannot name a file"), ("", "cannot name a file"),
    ("a\nb", "holds a line break"), ("g" * 201, "is too long to name a file (201 bytes; "
                                                "at most 200)")])
def test_a_file_name_type_says_why_it_refuses(value, reason):
    assert not FILE_NAME.check(value)
    (hint,) = FILE_NAME.explain(value)
    assert reason in hint


def test_a_list_type_explains_its_first_refused_element():
    assert ONE_LINE_LIST.check(from_list(["/srv", "/var"]))
    assert not ONE_LINE_LIST.check(from_list(["/srv", "/a\r/b", "x\ny"]))
    assert ONE_LINE_LIST.explain(from_list(["/srv", "/a\r/b"])) == [
        '"/a\\r/b" holds a line break, which the file it is written to cannot hold']


def test_an_sshd_value_is_refused_at_its_clause_with_what_sshd_would_read():
    text = error_of('(use-modules (gnu services ssh))\n'
                    '(openssh-configuration\n'
                    '  (accepted-environment \'("LANG" "LC ALL")))')
    assert text.splitlines()[:2] == [
        "config.scm:3:25: error: field accepted-environment of openssh-configuration must be "
        "a list of words sshd_config reads as written (no blanks, '#', quotes, backslashes "
        "or control characters), got (\"LANG\" \"LC ALL\")",
        "hint: \"LC ALL\" is not one word sshd_config can hold (no blanks, '#', quotes, "
        "backslashes or control characters): sshd would read it otherwise"]


def test_authorized_keys_another_service_adds_are_checked_too():
    """A user name given by an extension, not in the record, is refused when the
    extension is folded into the OpenSSH configuration."""
    key = ev('(plain-file "k.pub" "ssh-ed25519 AAAA")')
    adder = ServiceType("adds-keys", [ServiceExtension(
        openssh_service_type, lambda v: from_list([from_list(["../../etc/shadow", key])]))],
        default_value=False, description="Adds a key.")
    with pytest.raises(SchemeError) as info:
        fold_services([Service(openssh_service_type, OPENSSH_CONFIGURATION.make(), None, "x"),
                       Service(adder, False, None, "y")])
    assert "authorized-keys user \"../../etc/shadow\" cannot name a file" in \
        format_error(info.value)
