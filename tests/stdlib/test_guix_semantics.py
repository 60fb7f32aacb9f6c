"""Guix semantics real configs rely on: record fields bound for the fields after them
(define-record-type*), this-operating-system, syntax-rules docstrings, crypt and
search-path, %sudoers-specification as a file, service-extension targets checked when
the service is used, module errors located at the clause naming the module."""

from __future__ import annotations

import os
import re
import warnings

import pytest
from core_helpers import error_of, ev

from vsys.dsl.datatypes import to_list
from vsys.dsl.errors import SchemeError
from vsys.dsl.loader import set_load_path
from vsys.dsl.printer import write_string
from vsys.stdlib.system import fold_operating_system

OS = """\
(use-modules (gnu))
(operating-system
  (host-name "h")
  (keyboard-layout (keyboard-layout "us" "altgr-intl"))
  (bootloader (bootloader-configuration
                (bootloader grub-efi-bootloader)
                (targets '("/boot/efi"))
                (keyboard-layout keyboard-layout)))
  (mapped-devices (list (mapped-device (source (uuid "12345678-1234-1234-1234-123456789abc"))
                                       (target "root") (type luks-device-mapping))))
  (file-systems (cons (file-system (device "/dev/mapper/root") (mount-point "/")
                                   (type "ext4") (dependencies mapped-devices))
                      %base-file-systems)))
"""


def test_a_field_sees_the_fields_given_before_it():
    os_ = ev(OS)
    layout = os_["keyboard-layout"]
    assert os_["bootloader"]["keyboard-layout"] is layout     # the layout, not a procedure
    root = to_list(os_["file-systems"])[0]
    assert to_list(root["dependencies"]) == to_list(os_["mapped-devices"])


def test_a_field_not_given_above_is_still_the_global_name():
    text = error_of("(operating-system (host-name \"h\") (services mapped-devices))\n")
    assert text.splitlines()[0] == ("config.scm:1:45: error: unbound variable: "
                                    "mapped-devices")
    bl = ev("(bootloader-configuration (bootloader grub-bootloader) "
            "(keyboard-layout keyboard-layout))")
    assert write_string(bl["keyboard-layout"]).startswith("#<procedure keyboard-layout")


def test_this_operating_system_is_the_system_being_built():
    os_ = ev("""(operating-system
      (host-name "h")
      (essential-services (operating-system-default-essential-services
                           this-operating-system))
      (issue (string-append "Welcome to " (operating-system-host-name
                                           this-operating-system) "\\n")))""")
    assert os_["issue"] == "Welcome to h\n"
    assert len(to_list(os_["essential-services"])) > 3
    fold_operating_system(os_)


def test_a_define_record_type_star_this_identifier():
    rec = ev("""(use-modules (guix records))
      (define-record-type* <box> box make-box box? this-box
        (width box-width (default 1))
        (area box-area (default 0)))
      (box (width 3) (area (* 2 (box-width this-box))))""")
    assert rec["area"] == 6


def test_syntax_rules_with_a_docstring():
    assert ev("""(define-syntax swap!
                   (syntax-rules ()
                     "Swap the values of A and B."
                     ((_ a b) (let ((tmp a)) (set! a b) (set! b tmp)))))
                 (define x 1) (define y 2) (swap! x y) (list x y)""") is not None
    assert to_list(ev("""(define-syntax swap!
                   (syntax-rules () "doc" ((_ a b) (let ((tmp a)) (set! a b) (set! b tmp)))))
                 (define x 1) (define y 2) (swap! x y) (list x y)""")) == [2, 1]


def test_crypt_hashes_as_the_c_library_does():
    with warnings.catch_warnings():      # Python's crypt module: the peer to compare with
        warnings.simplefilter("ignore", DeprecationWarning)
        import crypt as _crypt  # noqa: PLC0415 -- its import warns of its removal
    expected = _crypt.crypt("secret", "$6$saltsalt")
    assert ev('(crypt "secret" "$6$saltsalt")') == expected
    assert expected.startswith("$6$saltsalt$")


def test_search_path_finds_a_file_in_a_list_of_directories(tmp_path):
    (tmp_path / "keys").mkdir()
    (tmp_path / "keys" / "signing.pub").write_text("k")
    found = ev(f'(search-path (list "/nonexistent" "{tmp_path}") "keys/signing.pub")')
    assert found == os.path.join(str(tmp_path), "keys/signing.pub")
    assert ev(f'(search-path (list "{tmp_path}") "keys/nope.pub")') is False
    assert ev(f'(search-path (list "{tmp_path}") "keys/signing" (list ".pub"))') == found


def test_resolve_interface_gives_the_modules_interface():
    # Written as Guile writes a module's public interface: its name and where it is.
    assert re.fullmatch(r"#<interface \(gnu services\) [0-9a-f]+>",
                        write_string(ev("(resolve-interface '(gnu services))")))


def test_sudoers_specification_is_a_file_configs_extend():
    text = ev("""(plain-file-content
      (plain-file "sudoers" (string-append (plain-file-content %sudoers-specification)
                                           "alice ALL=(ALL) NOPASSWD: ALL\\n")))""")
    assert text == "root ALL=(ALL) ALL\n%wheel ALL=(ALL) ALL\nalice ALL=(ALL) NOPASSWD: ALL\n"


HOME_TYPE = """\
(define home-thing-service-type
  (service-type (name 'home-thing)
                (extensions (list (service-extension home-profile-service-type
                                                     (const '()))))
                (default-value #f)))
"""


def test_a_service_extension_target_is_checked_when_the_service_is_used():
    # Defining a type for another kind of system is fine while no config uses it...
    os_ = ev("(define home-profile-service-type #f)\n" + HOME_TYPE +
             "(operating-system (host-name \"h\"))")
    fold_operating_system(os_)
    # ... using it is an error at the service.
    os_ = ev("(define home-profile-service-type #f)\n" + HOME_TYPE +
             "(operating-system (host-name \"h\")\n"
             "  (services (list (service home-thing-service-type))))")
    with pytest.raises(SchemeError) as info:
        fold_operating_system(os_)
    assert str(info.value.loc) == "config.scm:8:19"
    assert info.value.payload.message == ("service home-thing extends #f, which is not a "
                                          "service type")


def test_a_module_error_in_define_module_is_located_at_its_clause(tmp_path):
    (tmp_path / "my").mkdir()
    (tmp_path / "my" / "sys.scm").write_text(
        "(define-module (my sys)\n  #:use-module (gnu)\n"
        "  #:use-module (gnu services nonexistent)\n  #:export (x))\n(define x 1)\n")
    set_load_path([str(tmp_path)])
    try:
        text = error_of("(use-modules (my sys))\nx\n")
    finally:
        set_load_path([])
    first = text.splitlines()[0]
    assert first == (f"{tmp_path}/my/sys.scm:3:16: error: no module named "
                     f"(gnu services nonexistent)")
    assert "did you mean (gnu services" in text
