"""`vsys repl` sessions as a person types them: results and $N, multi-line input,
errors that do not end the session, Ctrl-C, Tab completion, meta-commands, a loaded
config and its services, history kept in the state directory."""

from __future__ import annotations

import os
import re
import time

import pexpect
from repl_driver import PROMPT, enter, leave, start_repl
from support.paths import EXAMPLES


def test_values_are_numbered_and_reusable(state_dir):
    repl = start_repl(state_dir)
    assert enter(repl, "(+ 40 2)").strip() == "$1 = 42"
    assert enter(repl, "(* $1 2)").strip() == "$2 = 84"
    assert enter(repl, "(values 'a \"b\")").split() == ["$3", "=", "a", "$4", "=", '"b"']
    assert enter(repl, "(define x 1)").strip() == ""       # unspecified: nothing shown
    leave(repl)


def test_define_across_three_lines(state_dir):
    repl = start_repl(state_dir)
    repl.sendline("(define (double x)")
    repl.expect_exact("... ")
    repl.sendline("  ;; twice as much")
    repl.expect_exact("... ")
    repl.sendline("  (* 2 x))")
    repl.expect(PROMPT)
    assert enter(repl, "(double 21)").strip() == "$1 = 42"
    leave(repl)


def test_an_unbound_variable_does_not_end_the_session(state_dir):
    repl = start_repl(state_dir)
    out = enter(repl, "(+ 1 no-such-thing)")
    assert "<repl>:1:6: error: unbound variable: no-such-thing" in out
    assert enter(repl, "(+ 1 2)").strip() == "$1 = 3"
    leave(repl)


def test_backtrace_of_the_last_error(state_dir):
    repl = start_repl(state_dir)
    enter(repl, "(define (inner x) (car x))")
    enter(repl, "(define (outer y) (list (inner y)))")
    out = enter(repl, "(outer 5)")
    assert "car: wrong type argument" in out and ",bt" in out
    bt = enter(repl, ",bt")
    assert "Scheme backtrace" in bt
    assert bt.index("in outer") < bt.index("in inner") < bt.index("in car")
    leave(repl)


def test_ctrl_c_stops_an_infinite_loop(state_dir):
    repl = start_repl(state_dir)
    enter(repl, "(define p (make-parameter 'outside))")
    repl.sendline("(parameterize ((p 'inside)) (let loop () (loop)))")
    time.sleep(0.5)
    repl.sendintr()
    repl.expect("interrupted")
    repl.expect(PROMPT)
    # The evaluator is whole again: parameters, handlers and the module as before.
    assert enter(repl, "(p)").strip() == "$1 = outside"
    assert "error: uncaught exception: oops" in enter(repl, "(raise 'oops)")
    assert enter(repl, "(guard (e (#t (list 'caught e))) (raise 'x))").strip() == \
        "$2 = (caught x)"
    leave(repl)


def test_ctrl_c_at_the_prompt_drops_the_entry(state_dir):
    repl = start_repl(state_dir)
    repl.sendline("(list 1")
    repl.expect_exact("... ")
    repl.sendintr()
    repl.expect(PROMPT)
    assert enter(repl, "(list 2)").strip() == "$1 = (2)"
    leave(repl)


def test_tab_completes_names_and_record_fields(state_dir):
    repl = start_repl(state_dir)
    repl.send("libvirt-con\t")
    # Several names start with libvirt-configuration (its accessors): readline rings
    # the bell and completes their common part.
    repl.expect("libvirt-con\x07?figuration")
    repl.sendcontrol("u")
    repl.send("(libvirt-configuration (tls-po\t")
    repl.expect("tls-port ")
    assert 'tls-port: "16600"' in enter(repl, '"16600"))')
    repl.send(",descr\t")
    repl.expect("describe ")
    assert "extends: activation account shepherd-root" in enter(repl, "ganeti-service-type")
    leave(repl)


def test_describe_a_record_type(state_dir):
    repl = start_repl(state_dir)
    out = enter(repl, ",describe libvirt-configuration")
    assert "record type in (gnu services virtualization)" in out
    port = out[out.index("  tls-port ("):]
    assert port.splitlines()[0].endswith('default "16514")')
    assert "Port for accepting secure TLS connections." in port
    leave(repl)


def test_describe_a_procedure_and_a_service_type(state_dir):
    repl = start_repl(state_dir)
    enter(repl, '(define (greet name) "Say hello to NAME." (string-append "hi " name))')
    out = enter(repl, ",d greet")
    assert "(greet name)" in out and "Say hello to NAME." in out
    out = enter(repl, ",describe qemu-binfmt-service-type")
    assert "extends: shepherd-root" in out
    assert "default value: (qemu-binfmt-configuration)" in out
    assert "nothing is called libvirt-configurations" in \
        enter(repl, ",describe libvirt-configurations")
    leave(repl)


def test_meta_commands(state_dir, tmp_path):
    repl = start_repl(state_dir)
    assert ",describe NAME" in enter(repl, ",help")
    assert "(gnu services ganeti): ganeti-rapi-service-type" in \
        enter(repl, ",apropos ^ganeti-rapi-s")
    assert re.search(r";; [0-9.]+s real time", enter(repl, ",time (length (iota 1000))"))
    assert enter(repl, ",module").strip() == "(vsys-user)"
    enter(repl, ",use (srfi srfi-13)")
    assert enter(repl, '(string-pad "7" 3)').strip() == '$2 = "  7"'
    program = tmp_path / "helpers.scm"
    program.write_text("(define (triple x) (* 3 x))\n")
    assert f";;; loaded {program}" in enter(repl, f",load {program}")
    assert enter(repl, "(triple 3)").strip() == "$3 = 9"
    assert "unknown meta-command ,frobnicate" in enter(repl, ",frobnicate")
    repl.sendline(",module (my scratch)")
    repl.expect(re.escape("vsys@(my scratch)> "))
    repl.sendline(",q")
    repl.expect(pexpect.EOF)


def test_loading_an_example_and_listing_its_services(state_dir):
    repl = start_repl(state_dir, os.path.join(EXAMPLES, "ganeti-node.scm"))
    out = enter(repl, ",services")
    lines = out.splitlines()
    assert lines[0].startswith(';;; services of "node1"')
    table = {line.split()[0]: line for line in lines[2:] if line[:1] not in (" ", "")}
    assert "ganeti-noded ganeti-confd" in table["ganeti"]
    assert "ssh-daemon" in table["ssh"]
    assert "shepherd-root" in table and "mcron" in table      # added by folding
    assert enter(repl, "(operating-system-host-name os)").strip() == '$1 = "node1"'
    other = enter(repl, ',services (operating-system (inherit os) (host-name "node2"))')
    assert other.startswith(';;; services of "node2"') and "ganeti-noded" in other
    leave(repl)


def test_history_is_kept_in_the_state_directory(state_dir):
    repl = start_repl(state_dir)
    enter(repl, "(string-append \"remember\" \" me\")")
    leave(repl)
    assert "remember" in (state_dir / "repl-history").read_text()
    repl = start_repl(state_dir)
    repl.sendcontrol("p")                  # ,quit, then the line before it
    repl.sendcontrol("p")
    repl.expect("remember")
    assert '"remember me"' in enter(repl, "")
    leave(repl)


def test_ctrl_d_leaves(state_dir):
    repl = start_repl(state_dir)
    repl.sendeof()
    repl.expect(pexpect.EOF)
    repl.close()
    assert repl.exitstatus == 0
