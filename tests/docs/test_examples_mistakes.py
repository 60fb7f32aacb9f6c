"""The manual's three mistakes (examples/mistakes/, verbatim) and the exact error
`vsys build` prints for each, located in the mistake's own file.

A mistake is a fragment of a config: it is included, unchanged, into the config the
manual's text puts it in (the modules it uses imported), as a person would paste it.
"""

from __future__ import annotations

import os

import pytest
from support.cli import run_vsys
from support.paths import REPO as ROOT

MISTAKES = os.path.join(ROOT, "examples", "mistakes")

MODULES = "(use-modules (gnu))\n(use-service-modules {})\n"

# file -> (what the config around it holds, what vsys prints; {file} is the mistake's path)
CASES = {
    "childhurd-os-typo.scm": (
        MODULES.format("ssh virtualization")
        # The example reads charlie's public key from his home: stand in for it.
        + ('(define (local-file file . options)\n'
           '  (plain-file "id_rsa.pub" "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA charlie\\n"))\n'),
        ("{file}:37:34: error: unbound variable: %childhurd-os\n"
         "hint: did you mean childhurd-os?\n")),
    "debootstrap-hooks-plain-file.scm": (
        MODULES.format("ganeti"),
        ("{file}:5:23: error: wrong number of arguments to plain-file: expected 2 arguments, "
         "got 1\n"
         "hint: plain-file is called as (plain-file name content)\n")),
    "ganeti-watcher-paren.scm": (
        MODULES.format("ganeti"),
        ("{file}:4:1: error: wrong number of arguments to service: expected 1 to 2 "
         "arguments, got 3\n"
         "hint: (watcher-configuration ...) (at {file}:9:11) is a field of "
         "ganeti-configuration, placed outside (ganeti-configuration ...): a closing "
         "parenthesis ends ganeti-configuration too early; move (watcher-configuration ...) "
         "inside it\n"
         "hint: service is called as (service type [value])\n")),
}


def test_every_mistake_has_its_error():
    assert sorted(CASES) == sorted(f for f in os.listdir(MISTAKES) if f.endswith(".scm"))


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_mistake_is_reported_where_it_is(name, tmp_path):
    context, message = CASES[name]
    mistake = os.path.join(MISTAKES, name)
    config = tmp_path / "config.scm"
    config.write_text(context + f'(include "{mistake}")\n', encoding="utf-8")
    env = dict(os.environ, VSYS_STATE_DIR=str(tmp_path / "state"))
    done = run_vsys("build", config, env=env, timeout=60, cwd=tmp_path)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == message.format(file=mistake)
    assert not os.path.exists(tmp_path / "state" / "store") or \
        not os.listdir(tmp_path / "state" / "store"), "a failed build wrote to the store"
