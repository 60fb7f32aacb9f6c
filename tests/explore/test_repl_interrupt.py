"""Stopping evaluations with Ctrl-C leaves the evaluator whole, wherever the stop lands.

Each round runs a loop that keeps entering and leaving parameterize, exception handlers,
dynamic-wind, guard and catch, and stops it after a random delay; afterwards the
parameters have their outer values and the handler and dynamic-wind stacks are empty.
The rounds run in a child process: the stop comes as a real SIGINT."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from vsys.dsl.errors import SchemeError, error
from vsys.repl_interrupt import run

SCRIPT = textwrap.dedent("""
    import os, random, signal, threading, time
    from vsys.dsl import control, errors
    from vsys.dsl.api import eval_string, fresh_module
    from vsys.dsl.printer import write_string
    from vsys.repl_interrupt import Interrupted, run

    module = fresh_module()
    eval_string("(define p (make-parameter 0)) (define q (make-parameter 'a))", module)
    program = '''
      (let loop ((i 0))
        (parameterize ((p i) (q i))
          (with-exception-handler (lambda (e) 0)
            (lambda () (dynamic-wind (lambda () #t) (lambda () (+ 1 (p))) (lambda () #t))))
          (catch #t (lambda () (guard (e (#t 1)) (raise 'x))) (lambda _ 2)))
        (loop (+ i 1)))'''

    def stop_later():
        time.sleep(random.uniform(0.001, 0.02))
        os.kill(os.getpid(), signal.SIGINT)

    def evaluation():
        threading.Thread(target=stop_later).start()
        return eval_string(program, module)

    random.seed(int(os.environ.get("SEED", "1")))
    stopped = broken = 0
    for _ in range(int(os.environ.get("ROUNDS", "120"))):
        try:
            run(evaluation)
        except Interrupted:
            stopped += 1
        state = write_string(eval_string("(list (p) (q))", module))
        if state != "(0 a)" or errors.handler_stack or control._winders:
            broken += 1
    print(stopped, broken)
""")


def test_state_is_whole_after_every_stop():
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["120", "0"]
    assert "Exception ignored" not in done.stderr


def test_values_and_errors_pass_through():
    assert run(lambda: 42) == 42
    try:
        run(lambda: (_ for _ in ()).throw(error("boom")))
    except SchemeError as e:
        assert "boom" in str(e)
    else:
        raise AssertionError("the error was lost")


PROMPT_SCRIPT = textwrap.dedent("""
    import os, random, signal, threading, time
    from vsys.dsl import control, errors
    from vsys.dsl.api import eval_string, fresh_module
    from vsys.dsl.printer import write_string
    from vsys.repl_interrupt import Interrupted, run

    module = fresh_module()
    eval_string("(define p (make-parameter 0))", module)
    # the loop runs in a prompt's body, on a thread of its own, two prompts deep
    program = '''
      (call-with-prompt 'outer
        (lambda ()
          (call-with-prompt 'inner
            (lambda ()
              (let loop ((i 0))
                (parameterize ((p i)) (dynamic-wind (lambda () #t) (lambda () (p))
                                                    (lambda () #t)))
                (loop (+ i 1))))
            (lambda (k) 'inner)))
        (lambda (k) 'outer))'''

    def stop_later():
        time.sleep(random.uniform(0.02, 0.1))
        os.kill(os.getpid(), signal.SIGINT)

    def evaluation():
        threading.Thread(target=stop_later).start()
        return eval_string(program, module)

    random.seed(2)
    stopped = broken = 0
    for _ in range(15):
        try:
            run(evaluation)
        except Interrupted:
            stopped += 1
        state = write_string(eval_string("(p)", module))
        if state != "0" or errors.handler_stack or control._winders \\
                or control._running[0] is not control.ROOT:
            broken += 1
    print(stopped, broken)
""")


def test_a_stop_inside_a_prompt_stops_its_body():
    done = subprocess.run([sys.executable, "-c", PROMPT_SCRIPT], capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["15", "0"]
