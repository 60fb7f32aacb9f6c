"""The mcron jobs file: every job of the system, in Guile syntax, as GNU mcron reads it.

Each job is the lowered code of its gexp, `(job SCHEDULE COMMAND [NAME])`, written with
Scheme's `write`, so any string in it (a shell command, a job name) is escaped the way
Guile reads it back.
"""

from __future__ import annotations

from typing import Any

from vsys.dsl.printer import write_string

from .lowering import Items, build_error

HEADER = (";; The periodic jobs of this system, for GNU mcron.\n"
          ";; `mcron --schedule=5 FILE` lists the next five runs.\n")


# What `mcron --log` does (since mcron 1.2, the version Guix runs), for an older mcron
# such as Debian 12's 1.0.8, which lacks the option: loaded before the jobs files, it
# wraps `job` so that each run happens in a process of its own whose output lines
# ("running...", the job's own output, "completed in N.NNNs" or "failed after ...") are
# written to mcron's output in LOG-FORMAT, with the date, that process's pid and the
# job's name as arguments.
LOG_EMULATION = """\
;; Job logging as `mcron --log` does it, for an mcron that lacks the option.
(use-modules (ice-9 format) (ice-9 rdelim) (srfi srfi-19))
(define vsys-log-format {log_format})
(define vsys-date-format {date_format})
(define (vsys-seconds-since start)
  (let ((elapsed (time-difference (current-time time-monotonic) start)))
    (+ (time-second elapsed) (* 1e-9 (time-nanosecond elapsed)))))
(define (vsys-run-job action)
  ;; In the job's process: run ACTION, saying when it starts and how it ends.
  (let ((start (current-time time-monotonic)))
    (catch #t
      (lambda ()
        (format #t "running...~%")
        (force-output)
        (let* ((result (if (string? action) (system action) (action)))
               (status (false-if-exception (status:exit-val result))))
          (when (and status (not (zero? status)))
            (error "unclean exit status" status)))
        (format #t "completed in ~,3fs~%" (vsys-seconds-since start))
        (force-output)
        (primitive-exit 0))
      (lambda args
        (format #t "failed after ~,3fs with: ~a~%" (vsys-seconds-since start) args)
        (force-output)
        (primitive-exit 1)))))
(define (vsys-logged name action)
  (lambda ()
    (flush-all-ports)               ; nothing buffered may be written twice
    (let* ((ends (pipe))
           (pid (primitive-fork)))
      (if (zero? pid)
          (begin
            (close-port (car ends))
            (dup2 (port->fdes (cdr ends)) 1)
            (dup2 1 2)
            (set-current-output-port (cdr ends))
            (set-current-error-port (cdr ends))
            (setvbuf (current-output-port) 'line)
            (vsys-run-job action))
          (begin
            (close-port (cdr ends))
            (let loop ()
              (let ((line (read-line (car ends))))
                (unless (eof-object? line)
                  (format #t "~@?" vsys-log-format
                          (date->string (current-date) vsys-date-format) pid name line)
                  (force-output)
                  (loop))))
            (close-port (car ends))
            (waitpid pid))))))
(define vsys-unlogged-job job)
(set! job
  (lambda (time action . rest)
    (let ((name (cond ((and (pair? rest) (string? (car rest))) (car rest))
                      ((string? action) action)
                      (else "Lambda function"))))
      (apply vsys-unlogged-job time (vsys-logged name action) rest))))
"""


def log_options(argv: list) -> list[str]:
    """mcron's log options at the head of ARGV (what follows the program): `--log`,
    `--log-format F`, `--date-format F`."""
    out: list[str] = []
    i = 0
    while i < len(argv) and argv[i] in ("--log", "--log-format", "--date-format"):
        take = 1 if argv[i] == "--log" else 2
        out += argv[i:i + take]
        i += take
    return out


def log_emulation(options: list[str]) -> str:
    """The emulation file for the log options OPTIONS (see LOG_EMULATION)."""
    def value(flag: str, default: str) -> str:
        return options[options.index(flag) + 1] if flag in options else default
    return LOG_EMULATION.format(log_format=write_string(value("--log-format", "~1@*~a ~a: ~a~%")),
                                date_format=write_string(value("--date-format", "~1 ~T")))


def jobs_file(jobs: list, items: Items, where: Any = None) -> str:
    forms = []
    for job in jobs:
        text = write_string(items.lower(job))
        if "#<" in text:
            raise build_error(f"an mcron job refers to a value that cannot be written as "
                              f"code: {text[:200]}", getattr(job, "loc", None) or where)
        forms.append(text)
    return HEADER + "".join(f + "\n" for f in forms)
