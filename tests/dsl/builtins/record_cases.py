"""Record what Guile 3.0 answers for every expression in cases.scm.

    python3 tests/dsl/builtins/record_cases.py      # rewrites guile_cases.json

cases.scm holds one expression per line.  A line `;; modules: (srfi srfi-1) ...` sets
the modules imported for the expressions after it; other `;;` lines are comments.  Each
answer is the written values (space separated), or `ERROR <key>` when Guile raised.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent

RUNNER = r"""
(use-modules (ice-9 rdelim))
(define env (make-fresh-user-module))
(eval '(use-modules %s) env)
(define (written v) (call-with-output-string (lambda (p) (write v p))))
(let loop ()
  (let ((line (read-line)))
    (unless (eof-object? line)
      (display
       (catch #t
         (lambda ()
           (call-with-values
               (lambda () (eval (with-input-from-string line read) env))
             (lambda vals
               (let join ((vs vals) (acc ""))
                 (cond ((null? vs) acc)
                       ((string-null? acc) (join (cdr vs) (written (car vs))))
                       (else (join (cdr vs) (string-append acc " " (written (car vs))))))))))
         (lambda (key . args) (string-append "ERROR " (symbol->string key)))))
      (newline)
      (loop))))
"""


def groups(text: str) -> list[tuple[str, list[str]]]:
    out: list[tuple[str, list[str]]] = [("", [])]
    for line in text.splitlines():
        line = line.strip()
        if line.startswith(";; modules:"):
            out.append((line[len(";; modules:"):].strip(), []))
        elif line and not line.startswith(";;"):
            out[-1][1].append(line)
    return [g for g in out if g[1]]


def record() -> list:
    cases = []
    for modules, exprs in groups((HERE / "cases.scm").read_text()):
        program = RUNNER % modules
        result = subprocess.run(["guile", "--no-auto-compile", "-c", program],
                                input="\n".join(exprs) + "\n", capture_output=True,
                                text=True, check=True)
        answers = result.stdout.splitlines()
        assert len(answers) == len(exprs), result.stderr
        cases.extend([modules, e, a] for e, a in zip(exprs, answers))
    return cases


if __name__ == "__main__":
    data = record()
    (HERE / "guile_cases.json").write_text(json.dumps(data, indent=0, ensure_ascii=False)
                                           + "\n")
    print(f"{len(data)} cases recorded")
