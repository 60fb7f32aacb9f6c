"""Folding services the Guix way, Shepherd services, and the host's base services."""

from __future__ import annotations

import pytest
from core_helpers import error_of, ev

from vsys.dsl.api import eval_string
from vsys.dsl.datatypes import NIL, Location, Symbol, to_list
from vsys.dsl.errors import SchemeError, format_error
from vsys.dsl.printer import write_string
from vsys.stdlib.base import HOST_MILESTONES
from vsys.stdlib.files import PlainFile
from vsys.stdlib.gexp import lower
from vsys.stdlib.guix_modules import config_module
from vsys.stdlib.services import Service, ServiceExtension, ServiceType, fold_services
from vsys.stdlib.shepherd import canonical_name, check_shepherd_conflicts
from vsys.stdlib.system import operating_system_services
from vsys.stdlib.system_services import account_service_type, etc_service_type

USER_SERVICE = '''
(use-modules (gnu services shepherd))
(define (greeter-shepherd config)
  (list (shepherd-service
          (provision '(greeter))
          (requirement '(networking))
          (documentation "Greet.")
          (start #~(make-forkexec-constructor
                     (list "/bin/echo" #$(greeter-text config))))
          (stop #~(make-kill-destructor)))))
(define-record-type <greeter> (greeter text) greeter? (text greeter-text))
(define greeter-service-type
  (service-type
    (name 'greeter)
    (extensions
      (list (service-extension shepherd-root-service-type greeter-shepherd)
            (service-extension etc-service-type
                               (lambda (config)
                                 `(("greeting" ,(plain-file "greeting"
                                                            (greeter-text config))))))))
    (default-value (greeter "hello"))
    (description "Say hello.")))
'''


def fold(services_expr: str, prelude: str = USER_SERVICE):
    services = ev(prelude + services_expr)
    return fold_services(to_list(services))


def shepherd_names(folded) -> list[str]:
    return [canonical_name(e.record).name for e in check_shepherd_conflicts(folded)]


def test_user_defined_service_type_extends_shepherd_and_etc():
    folded = fold("(list (service greeter-service-type (greeter \"bonjour\")))")
    (etc_entry,) = to_list(folded.one(etc_service_type))
    name, file = to_list(etc_entry)
    assert name == "greeting" and isinstance(file, PlainFile)
    assert file.produce(lambda x: x).data == b"bonjour"
    entries = [e for e in check_shepherd_conflicts(folded) if not e.milestone]
    (entry,) = entries
    rec = entry.record
    assert to_list(rec["provision"]) == [Symbol("greeter")]
    assert rec["respawn?"] is True and rec["auto-start?"] is True
    assert write_string(lower(rec["start"], lambda x: x)) == \
        '(make-forkexec-constructor (list "/bin/echo" "bonjour"))'


def test_default_value_and_auto_instantiation():
    # shepherd-root and etc are not listed: they are added because greeter extends them.
    folded = fold("(list (service greeter-service-type))")
    kinds = [s.type.name for s in folded.services]
    assert kinds[0] == "greeter" and "shepherd-root" in kinds and "etc" in kinds
    added = [s for s in folded.services if s.type.name == "etc"][0]
    assert "greeter extends it" in added.where()


def test_simple_service_extends_a_target():
    folded = fold('''(list (simple-service 'motd etc-service-type
                                           (list `("motd" ,(plain-file "motd" "hi")))))''')
    (entry,) = to_list(folded.one(etc_service_type))
    assert to_list(entry)[0] == "motd"


def test_modify_services_replace_and_delete():
    services = ev(USER_SERVICE + '''
        (modify-services (list (service greeter-service-type)
                               (service account-service-type '()))
          (greeter-service-type config => (greeter "salut"))
          (delete account-service-type))''')
    (svc,) = to_list(services)
    assert svc.type.name == "greeter"
    assert ev(USER_SERVICE + "(greeter-text (service-value (car (modify-services "
              "(list (service greeter-service-type)) (greeter-service-type c => "
              "(greeter \"salut\"))))))") == "salut"


def test_service_without_default_needs_a_value():
    msg = error_of("(define-public t (service-type (name 't) (extensions '())))\n"
                   "(service t)")
    assert "config.scm:2:1: error: t has no default value" in msg


def test_extending_an_absent_type_without_default_is_an_error():
    text = ('(define target (service-type (name \'target) (extensions \'())\n'
            '  (compose concatenate) (extend append)))\n'
            '(define user (service-type (name \'user)\n'
            '  (extensions (list (service-extension target (const \'(1)))))\n'
            '  (default-value #f)))\n'
            '(list (service user))')
    services = ev(text)
    with pytest.raises(SchemeError) as info:
        fold_services(to_list(services))
    msg = format_error(info.value)
    assert "service user extends target, but there is no target service and it has no " \
           "default value" in msg
    assert msg.startswith("config.scm:6:7: error:")


def test_two_instances_of_an_extended_type_are_ambiguous():
    services = ev(USER_SERVICE + '''(list (service greeter-service-type)
                                         (service etc-service-type '())
                                         (service etc-service-type '()))''')
    with pytest.raises(SchemeError) as info:
        fold_services(to_list(services))
    assert "greeter extends etc, but there are 2 etc services, so it cannot choose one" in \
        format_error(info.value)


def test_shepherd_name_conflict_names_both_locations():
    services = ev(USER_SERVICE + '''(list
        (service greeter-service-type)
        (simple-service 'other-greeter shepherd-root-service-type
          (list (shepherd-service (provision '(greeter))
                                  (start #~(const #t))))))''', "conf.scm")
    folded = fold_services(to_list(services))
    with pytest.raises(SchemeError) as info:
        check_shepherd_conflicts(folded)
    msg = format_error(info.value)
    line = USER_SERVICE.count("\n") + 2
    assert "two services provide the Shepherd service greeter: greeter " \
           f"(conf.scm:{line}:9) and other-greeter (conf.scm:{line + 1}:9)" in msg


def test_unknown_requirement_is_an_error():
    services = ev('''(use-modules (gnu services shepherd))
        (list (simple-service 'x shepherd-root-service-type
                (list (shepherd-service (provision '(x)) (requirement '(netwrking))
                                        (start #~(const #t))))))''')
    folded = fold_services(to_list(services))
    with pytest.raises(SchemeError) as info:
        check_shepherd_conflicts(folded)
    msg = format_error(info.value)
    assert "Shepherd service x (from x) requires netwrking, which no service provides" in msg
    assert "did you mean networking?" in msg


def test_a_shepherd_procedure_outside_a_gexp_says_to_quote_it():
    head = "(use-modules (gnu services shepherd))\n(shepherd-service (provision '(a))\n"
    assert error_of(head + '  (start (make-forkexec-constructor (list "/bin/true"))))') == (
        "config.scm:3:10: error: unbound variable: make-forkexec-constructor\n"
        "hint: make-forkexec-constructor is a Shepherd procedure: it exists when the "
        "service runs, not when the config is read; write it inside a G-expression: "
        "(start #~(make-forkexec-constructor ...))")
    assert error_of(head + "  (start #~(const #t)) (stop (make-kill-destructor)))"
                    ).endswith("G-expression: (stop #~(make-kill-destructor ...))")
    action = "(shepherd-action (name 'x) (procedure (make-print-action (list \"a\"))))"
    assert error_of(head + f"  (start #~(const #t)) (actions (list {action})))"
                    ).endswith("G-expression: (procedure #~(make-print-action ...))")


def test_shepherd_service_defaults():
    rec = ev("(use-modules (gnu services shepherd)) "
             "(shepherd-service (provision '(a b)) (start #~(const #t)))")
    assert rec["requirement"] is NIL and rec["one-shot?"] is False
    assert rec["respawn?"] is True and rec["auto-start?"] is True
    assert rec["documentation"] == "[No documentation.]"
    assert rec["actions"] is NIL and rec["host-milestone?"] is False
    assert write_string(rec["stop"].template) == "(const #f)"
    action = ev("(use-modules (gnu services shepherd)) "
                "(shepherd-action (name 'configuration) (documentation \"Show.\") "
                "(procedure #~(lambda (running) (display \"x\"))))")
    assert action["name"] is Symbol("configuration")


def test_base_services_are_host_milestones():
    os_ = ev('(operating-system (host-name "h"))')
    folded = fold_services(operating_system_services(os_))
    entries = check_shepherd_conflicts(folded)
    assert all(e.milestone for e in entries)
    names = {canonical_name(e.record).name for e in entries}
    for n in HOST_MILESTONES + ("term-tty1", "guix-daemon", "nscd", "urandom-seed"):
        assert n in names
    kinds = {s.type.name for s in folded.services}
    for t in ("mingetty", "console-font", "syslog", "udev", "nscd", "guix", "urandom-seed",
              "login", "static-networking", "system", "etc", "account", "profile",
              "shepherd-root", "hosts"):
        assert t in kinds, t


def test_modify_and_delete_base_services():
    services = ev('''(modify-services %base-services
                       (delete console-font-service-type)
                       (guix-service-type config =>
                         (guix-configuration (inherit config)
                           (substitute-urls '("https://example.org")))))''')
    kinds = [s.type.name for s in to_list(services)]
    assert "console-font" not in kinds
    guix = [s for s in to_list(services) if s.type.name == "guix"][0]
    assert to_list(guix.value["substitute-urls"]) == ["https://example.org"]


def test_real_service_replaces_a_milestone():
    # static-networking provides `networking` as a milestone; a real service may too.
    services = ev('''(use-modules (gnu services shepherd))
        (cons (simple-service 'net shepherd-root-service-type
                (list (shepherd-service (provision '(networking))
                                        (start #~(const #t)))))
              %base-services)''')
    folded = fold_services(to_list(services))
    providers = [e for e in check_shepherd_conflicts(folded)
                 if Symbol("networking") in to_list(e.record["provision"])]
    assert len(providers) == 1 and not providers[0].milestone


def test_essential_services_carry_accounts_packages_and_hosts():
    os_ = ev('''(operating-system (host-name "node1")
                  (users (cons (user-account (name "alice")) %base-user-accounts))
                  (services (list (simple-service 'h hosts-service-type
                                    (list (host "10.0.0.2" "b.example" '("b")))))))''')
    folded = fold_services(operating_system_services(os_))
    accounts = to_list(folded.one(account_service_type))
    assert "alice" in [a["name"] for a in accounts] and "kvm" in [a["name"] for a in accounts]
    (hosts,) = [e for e in to_list(folded.one(etc_service_type)) if to_list(e)[0] == "hosts"]
    text = to_list(hosts)[1].produce(lambda x: x).data.decode()
    assert text == ("127.0.0.1\tlocalhost\tnode1\n::1\tlocalhost\tnode1\n"
                    "10.0.0.2\tb.example\tb\n")


def test_operating_system_user_services_accessor():
    n = ev('''(length (operating-system-user-services
                        (operating-system (services (list (service guix-service-type))))))''')
    assert n == 1
    total = ev("(length (operating-system-services (operating-system (services '()))))")
    assert total >= 8


def test_modify_services_clause_matching_nothing_is_an_error_at_the_clause():
    src = ("(use-service-modules virtualization)\n"
           "(modify-services %base-services\n"
           "  (delete qemu-binfmt-service-type))")
    try:
        eval_string(src, config_module(), "m.scm")
    except SchemeError as e:
        lines = format_error(e).splitlines()
    else:
        raise AssertionError("no error")
    assert lines[0] == "m.scm:3:3: error: modify-services: no qemu-binfmt service in the list"
    assert lines[-1] == "hint: remove this clause, or add the service to the list first"


def test_a_python_error_in_a_library_extension_is_a_located_service_error():
    """The library's own extension code meeting a value it did not expect (a check
    missing somewhere) gives an error at the service, never a Python exception."""

    def compute(value):
        return value["no-such-field"]
    broken = ServiceType("broken", [ServiceExtension(etc_service_type, compute)],
                         default_value=NIL)
    service = Service(broken, Symbol("odd"), Location("config.scm", 3, 5))
    with pytest.raises(SchemeError) as info:
        fold_services([service])
    text = format_error(info.value)
    assert text.startswith("config.scm:3:5: error: vsys could not compute what broken "
                           "contributes to etc from its value odd")
    assert "bug in vsys (TypeError" in text


@pytest.mark.parametrize("target, bad", [("udev-service-type", '"60-my.rules"'),
                                         ("dbus-root-service-type", "42"),
                                         ("polkit-service-type", "#t")])
def test_host_provided_types_check_what_they_are_extended_with(target, bad):
    """udev, D-Bus and polkit are the host's, but what a config gives them must still be
    packages or files, as in Guix: a rule's file name alone is a mistake."""
    services = ev(f"(use-modules (gnu services dbus))\n"
                  f"(list (simple-service 'extra {target}\n"
                  f"        (list (plain-file \"ok\" \"\") {bad})))")
    with pytest.raises(SchemeError) as info:
        fold_services(to_list(services))
    name = target.removesuffix("-service-type").replace("dbus-root", "dbus-system")
    assert format_error(info.value) == (
        f"config.scm:2:7: error: extra extends {name}: service type {name} takes a list "
        f"of packages or files; element 2 is {bad}")
    fine = ev(f"(use-modules (gnu services dbus))\n"
              f"(list (simple-service 'extra {target} (list (plain-file \"ok\" \"\"))))")
    fold_services(to_list(fine))


@pytest.mark.parametrize("services, hint", [
    ("(list (service libvirt-service-type) %base-services)",
     "element 2 is itself a list of services (such as %base-services): join the lists "
     "with (cons* (service TYPE) ... %base-services) or (append (list (service TYPE) ...) "
     "%base-services)"),
    ("(cons libvirt-service-type %base-services)",
     "element 1 is the service type libvirt, not a service: write "
     "(service libvirt-service-type)"),
    ("(list (service libvirt-service-type) (libvirt-configuration))",
     "element 2 is a libvirt-configuration record, which goes inside its service: "
     "(service TYPE (libvirt-configuration ...))"),
    ("(list (service libvirt-service-type) \"ssh\")",
     'element 2 is "ssh", not a service'),
])
def test_a_services_list_mistake_is_named(services, hint):
    text = error_of(
        "(use-service-modules virtualization)\n"
        "(operating-system (host-name \"h\") (bootloader #f) (file-systems '())\n"
        f"  (services {services}))")
    lines = text.splitlines()
    assert lines[0].startswith("config.scm:3:13: error: field services of operating-system "
                               "must be a list of services")
    assert lines[1] == f"hint: {hint}"
