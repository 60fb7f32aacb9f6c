"""Mistakes in a config, and bad words given to herd, end in a located error or a
refusal, never an internal error: recursion too deep and macros that never stop
expanding under `build` (as under `run`), memory used up, an empty binfmt entry, a
NUL in a service name, an empty service name for herd."""

from __future__ import annotations

import resource
import subprocess

import pytest
from support.world import VSYS, World

SERVICE = """\
(use-modules (gnu))
(use-service-modules shepherd)
(operating-system (host-name "h")
  (services (list (simple-service 'x shepherd-root-service-type
    (list (shepherd-service {fields}))))))
"""
CASES = {
    "deep recursion": (
        "(use-modules (gnu))\n(define (f n) (if (= n 0) 0 (+ 1 (f (- n 1)))))\n(f 10000000)\n"
        "(operating-system (host-name \"h\") (services '()))\n",
        "c.scm:2:34: error: stack overflow: the program recursed too deeply"),
    "self-recursive macro": (
        "(use-modules (gnu))\n(define-syntax m (syntax-rules () ((_ x) (m (x)))))\n(m 1)\n"
        "(operating-system (host-name \"h\") (services '()))\n",
        "c.scm:3:1: error: stack overflow: the program recursed too deeply\nhint: this "
        "macro use expands into another use without end"),
    "self-recursive macro in a body": (
        "(use-modules (gnu))\n(define-syntax m (syntax-rules () ((_ x) (m (x)))))\n"
        "(define (g)\n  (m 1))\n(operating-system (host-name \"h\") (services '()))\n",
        "c.scm:4:3: error: stack overflow: the program recursed too deeply\nhint: this "
        "macro use expands into another use without end"),
    "empty binfmt entry": (
        SERVICE.format(fields="(provision '(bf)) "
                              "(start #~(make-binfmt-registration (list \"\")))"),
        "c.scm:5:11: error: Shepherd service bf (from x): make-binfmt-registration: '' is "
        "not a binfmt_misc register string :NAME:TYPE:OFFSET:MAGIC:MASK:INTERPRETER:FLAGS"),
    "NUL in a service name": (
        SERVICE.format(fields="(provision (list (string->symbol (string #\\a (integer->char "
                              "0) #\\b)))) (start #~(make-forkexec-constructor (list "
                              "\"/bin/true\")))"),
        "c.scm:5:11: error: Shepherd service name 'a\\x00b' (from x) cannot name a service"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_build_gives_a_located_error(tmp_path, case):
    text, expected = CASES[case]
    w = World(tmp_path)
    done = w.vsys("build", w.config("c.scm", text), check=1)
    assert "internal error" not in done.stderr
    assert done.stderr.startswith(f"{w.base}/{expected}"), done.stderr


def _small_memory():
    limit = 1500 * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def test_memory_used_up_is_a_located_error(tmp_path):
    w = World(tmp_path)
    path = w.config("c.scm", "(use-modules (gnu))\n(define big (make-vector 300000000 0))\n"
                             "(operating-system (host-name \"h\") (services '()))\n")
    done = subprocess.run(VSYS + ["build", path], capture_output=True, text=True,
                          env=w.env, cwd=w.base, preexec_fn=_small_memory, timeout=120)
    assert done.returncode == 1
    assert done.stderr.startswith(f"{path}: error: out of memory: evaluating the config "
                                  f"used up the memory vsys may use\n"), done.stderr


@pytest.mark.parametrize("word", ["", "a\nb", "a\0b"[:1] + "\x01"])
def test_herd_refuses_a_word_that_is_no_service_name(tmp_path, word):
    w = World(tmp_path)
    done = w.vsys("herd", "--root", w.root, "status", word, check=2)
    # One line saying what is wrong with the word, then the usage; never a traceback.
    first, usage = done.stderr.splitlines()
    assert first in ("herd: error: an empty word is no command, service or argument",
                     f"herd: error: `{word.encode('unicode_escape').decode()}` contains "
                     f"control characters"), done.stderr
    assert usage.startswith("usage: vsys herd ")
