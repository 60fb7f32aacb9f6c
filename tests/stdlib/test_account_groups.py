"""A user-account's groups must be declared by the user-group records the account
service receives (the operating-system's groups and those services add), as Guix checks
when the system is built: an undeclared one is a located error when the services are
folded, not a failure at activation, nor a silent use of a group the host happens to
have."""

from __future__ import annotations

import pytest
from core_helpers import ev

from vsys.dsl.datatypes import to_list
from vsys.dsl.errors import SchemeError, format_error
from vsys.stdlib.system import fold_operating_system
from vsys.stdlib.system_services import account_service_type

OS = """\
(use-modules (gnu))
(use-service-modules virtualization)
(operating-system
  (host-name "h")
  (users (cons (user-account
                 (name "alice")
                 {fields})
               %base-user-accounts))
  (groups (cons (user-group (name "docker")) {groups}))
  (services (list {services})))
"""


def config(fields: str, groups: str = "%base-groups", services: str = "") -> str:
    return OS.format(fields=fields, groups=groups, services=services)


def fold_error(text: str) -> str:
    os_ = ev(text)
    with pytest.raises(SchemeError) as info:
        fold_operating_system(os_)
    return format_error(info.value)


def account_names(text: str) -> tuple[list[str], list[str]]:
    accounts = to_list(fold_operating_system(ev(text)).one(account_service_type))
    return ([str(r["name"]) for r in accounts if r.rtype.name == "user-account"],
            [str(r["name"]) for r in accounts if r.rtype.name == "user-group"])


def test_a_misspelt_supplementary_group_is_located_at_the_account_with_the_close_name():
    assert fold_error(config("(supplementary-groups '(\"wheel\" \"dokcer\"))")) == (
        "config.scm:5:16: error: supplementary group 'dokcer' of user 'alice' is "
        "undeclared\n"
        "hint: did you mean docker?\n"
        "hint: declare it: (groups (cons (user-group (name \"dokcer\")) %base-groups))")


def test_an_undeclared_primary_group():
    assert fold_error(config('(group "developers")')) == (
        "config.scm:5:16: error: primary group 'developers' of user 'alice' is "
        "undeclared\n"
        "hint: declare it: (groups (cons (user-group (name \"developers\")) "
        "%base-groups))")


def test_the_primary_group_is_checked_before_the_supplementary_ones():
    assert "primary group 'staff'" in fold_error(
        config("(group \"staff\") (supplementary-groups '(\"ops\"))"))


def test_groups_without_the_base_groups_leave_the_base_accounts_group_undeclared():
    # nobody (of %base-user-accounts) is in nogroup; the record has no source location,
    # so the error is located at the operating-system.
    assert fold_error(config("(group \"docker\")", groups="'()")) == (
        "config.scm:3:1: error: primary group 'nogroup' of user 'nobody' is undeclared\n"
        "hint: %base-groups declares it: (groups (append YOUR-GROUPS %base-groups))")


def test_a_group_a_service_declares_counts():
    # libvirt-service-type adds the libvirt group to the account service.
    users, groups = account_names(config("(supplementary-groups '(\"libvirt\" \"kvm\"))",
                                         services="(service libvirt-service-type)"))
    assert "alice" in users and "libvirt" in groups
    # ... and without the service, nothing declares it.
    assert "supplementary group 'libvirt' of user 'alice' is undeclared" in fold_error(
        config("(supplementary-groups '(\"libvirt\"))"))


def test_a_group_a_config_service_adds_by_extending_the_account_service_counts():
    users, groups = account_names(config(
        "(group \"builders\")",
        services="(simple-service 'builders account-service-type "
                 "(list (user-group (name \"builders\") (system? #t))))"))
    assert "alice" in users and "builders" in groups


def test_an_account_a_service_adds_is_checked_too():
    text = config("(group \"users\")", services=(
        "(simple-service 'robot account-service-type\n"
        "    (list (user-account (name \"robot\") (group \"robots\"))))"))
    assert fold_error(text).startswith(
        "config.scm:11:11: error: primary group 'robots' of user 'robot' is undeclared\n")


def test_a_numeric_primary_group_is_taken_as_a_gid():
    users, _ = account_names(config('(group "1234")'))
    assert "alice" in users
