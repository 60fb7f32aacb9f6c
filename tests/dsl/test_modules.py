"""A config split into files: modules on the load path, load and include."""

from __future__ import annotations

import pytest
from support.files import write
from support.scheme import run_file

from vsys.dsl import api
from vsys.dsl.datatypes import Symbol
from vsys.dsl.errors import SchemeError, format_error
from vsys.dsl.loader import set_load_path
from vsys.dsl.modules import existing_module


@pytest.fixture
def tree(tmp_path):
    write(tmp_path / "lib" / "site" / "machines.scm", """\
        (define-module (site machines)
          #:use-module (srfi srfi-1)
          #:export (vm-names memory-of))
        (define %vms '((web . 1024) (db . 4096)))
        (define (vm-names) (map car %vms))
        (define (memory-of name) (assq-ref %vms name))
        (define private-helper 42)
        """)
    yield tmp_path
    set_load_path([])


def test_use_modules_from_the_load_path(tree):
    set_load_path([str(tree / "lib")])
    main = write(tree / "main.scm", """\
        (use-modules (site machines))
        (write (vm-names)) (newline)
        (write (memory-of 'db)) (newline)
        (write (@@ (site machines) private-helper)) (newline)
        """)
    assert run_file(main) == (0, "(web db)\n4096\n42\n", "")


def test_select_and_prefix(tree):
    set_load_path([str(tree / "lib")])
    main = write(tree / "main.scm", """\
        (use-modules ((site machines) #:select ((vm-names . names)))
                     ((site machines) #:prefix m:))
        (write (list (names) (m:memory-of 'web)))
        """)
    assert run_file(main) == (0, "((web db) 1024)", "")


def test_private_names_are_not_exported(tree):
    set_load_path([str(tree / "lib")])
    main = write(tree / "main.scm", "(use-modules (site machines))\nprivate-helper\n")
    status, out, err = run_file(main)
    assert status == 1
    assert err.startswith(f"{main}:2:1: error: unbound variable: private-helper")


def test_vsys_load_path_environment(tree, monkeypatch):
    monkeypatch.setenv("VSYS_LOAD_PATH", str(tree / "lib"))
    set_load_path([])
    main = write(tree / "main.scm", "(use-modules (site machines))\n(display (vm-names))")
    assert run_file(main) == (0, "(web db)", "")


def test_unknown_module_says_where_it_looked(tree):
    set_load_path([str(tree / "lib")])
    with pytest.raises(SchemeError) as info:
        api.eval_string("(use-modules (site machnes))", None, "c.scm")
    lines = format_error(info.value).splitlines()
    assert lines[0] == "c.scm:1:14: error: no module named (site machnes)"
    assert lines[-1] == f"hint: looked for site/machnes.scm in: {tree / 'lib'}"


def test_load_and_include_are_relative_to_the_file(tree):
    write(tree / "conf" / "parts" / "values.scm", "(define memory 2048)\n")
    write(tree / "conf" / "parts" / "more.scm", "(define cpus 4)\n")
    main = write(tree / "conf" / "main.scm", """\
        (load "parts/values.scm")
        (include "parts/more.scm")
        (display (list memory cpus))
        """)
    assert run_file(main) == (0, "(2048 4)", "")


def test_missing_load_is_located(tree):
    main = write(tree / "main.scm", '\n(load "nowhere.scm")\n')
    status, out, err = run_file(main)
    assert status == 1
    assert err.splitlines()[0] == f"{main}:2:1: error: no such file to load: nowhere.scm"


@pytest.mark.parametrize("module, name", [
    (("srfi", "srfi-1"), "car"), (("srfi", "srfi-1"), "length"),
    (("srfi", "srfi-11"), "let-values"), (("scheme", "base"), "guard"),
])
def test_a_reexported_core_binding_is_the_core_variable(module, name):
    """(srfi srfi-1) re-exports car: the binding is (guile)'s own, so whoever asks where
    car comes from (,describe) hears (guile), as in Guile."""
    api.boot()
    box = existing_module(module).bindings[Symbol(name)]
    assert box is existing_module(("guile",)).bindings[Symbol(name)]
    assert box.module.name == ("guile",)
