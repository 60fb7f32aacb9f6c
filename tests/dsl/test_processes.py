"""(ice-9 popen) and the ports over file descriptors, driven through `vsys run` as a
person runs a program: the children a program starts end with their pipes, none is
left a zombie, none inherits what it was not given, and errors are Guile's."""

from __future__ import annotations

import os
from pathlib import Path

from support.cli import run_vsys


def vsys_run(tmp_path: Path, program: str):
    prog = tmp_path / "prog.scm"
    prog.write_text(program)
    env = dict(os.environ, VSYS_STATE_DIR=str(tmp_path / "state"))
    env.pop("VSYS_LOAD_PATH", None)
    return run_vsys("run", str(prog), cwd=tmp_path, env=env, timeout=60)


CHILDREN = """
(define (children state)
  ;; This process's children in STATE (Z for zombies), read from /proc.
  (filter (lambda (pid)
            (let* ((stat (or (false-if-exception     ; a process may end meanwhile
                               (call-with-input-file (string-append "/proc/" pid "/stat")
                                 read-line))
                             "0 (gone) X 0"))
                   (after-name (substring stat (+ 2 (string-rindex stat #\\)))))
                   (fields (string-split after-name #\\space)))
              (and (string=? (list-ref fields 0) state)
                   (= (string->number (list-ref fields 1)) (getpid)))))
          (filter string->number (scandir "/proc"))))
"""


def test_dropped_and_closed_pipes_leave_no_zombie(tmp_path: Path):
    r = vsys_run(tmp_path, """
(use-modules (ice-9 popen) (ice-9 rdelim) (ice-9 ftw) (srfi srfi-1))
""" + CHILDREN + """
(do ((i 0 (+ i 1))) ((= i 10)) (open-input-pipe "echo dropped"))
(define p (open-input-pipe "echo closed"))
(read-line p)
(close-port p)
;; A child started without a pipe port is the program's to wait for: it stays a
;; zombie, which shows that the count sees zombies.
(define unwaited ((@@ (ice-9 popen) piped-process) "true" '()))
;; Each program started collects the pipes' children that have ended; on a loaded
;; machine they may take a while to end.
(let wait ((tries 0))
  (system* "sleep" "0.1")
  (unless (or (equal? (children "Z") (list (number->string unwaited))) (= tries 100))
    (wait (+ tries 1))))
(write (list (length (children "Z")) (equal? (children "Z") (list (number->string unwaited)))))
(write (status:exit-val (cdr (waitpid unwaited))))
""")
    assert (r.returncode, r.stdout, r.stderr) == (0, "(1 #t)0", "")


def test_close_pipe_returns_once_the_child_has_ended(tmp_path: Path):
    r = vsys_run(tmp_path, """
(use-modules (ice-9 popen))
(define status (close-pipe (open-output-pipe "sleep 0.5; echo done > marker; exit 7")))
(write (list (status:exit-val status) (file-exists? "marker")))
""")
    assert (r.returncode, r.stdout, r.stderr) == (0, "(7 #t)", "")


def test_a_child_gets_only_its_standard_descriptors(tmp_path: Path):
    r = vsys_run(tmp_path, """
(use-modules (ice-9 popen) (ice-9 rdelim))
(define keep (pipe))                      ; descriptors this process holds
(define other (open-input-file "prog.scm"))
(define p (open-input-pipe "ls /proc/$$/fd"))
(let loop ((fds '()))
  (let ((line (read-line p)))
    (if (eof-object? line)
        (write (reverse fds))
        (loop (cons line fds)))))
(close-pipe p)
""")
    assert (r.returncode, r.stdout, r.stderr) == (0, '("0" "1" "2")', "")


def test_child_output_follows_what_the_program_printed(tmp_path: Path):
    r = vsys_run(tmp_path, """
(use-modules (ice-9 popen))
(display "first\\n")
(close-pipe (open-output-pipe "echo second"))
(system* "echo" "third")
(display "fourth\\n")
""")
    assert (r.returncode, r.stdout, r.stderr) == (0, "first\nsecond\nthird\nfourth\n", "")


def test_writing_to_a_pipe_whose_reader_ended_is_epipe(tmp_path: Path):
    r = vsys_run(tmp_path, """
(use-modules (ice-9 popen))
(define p (open-output-pipe "exit 0"))
(system* "sleep" "0.2")
(write (catch 'system-error
         (lambda () (display "nobody reads this\\n" p) 'written)
         (lambda (key . args) (= (system-error-errno (cons key args)) EPIPE))))
(write (status:exit-val (close-pipe p)))
""")
    assert (r.returncode, r.stdout, r.stderr) == (0, "#t0", "")


def test_close_pipe_of_another_port_is_a_located_error(tmp_path: Path):
    r = vsys_run(tmp_path, """(use-modules (ice-9 popen))
(close-pipe (open-input-string "not a pipe"))
""")
    assert r.returncode == 1
    assert r.stderr.startswith(f"{tmp_path / 'prog.scm'}:2:1: error: close-pipe: ")
    assert "Traceback" not in r.stderr


def test_a_program_that_cannot_start_gives_status_127(tmp_path: Path):
    r = vsys_run(tmp_path, """(use-modules (ice-9 popen))
(write (status:exit-val (close-pipe (open-pipe* OPEN_READ "./no-such-program"))))
(write (status:exit-val (system* "/nonexistent/bin/tool" "arg")))
""")
    assert (r.returncode, r.stdout, r.stderr) == (0, "127127", "")
