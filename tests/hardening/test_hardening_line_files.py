"""sshd_config and /etc/hosts say what the config says: a value sshd or the resolver
would read as something else (more words, a comment, quoting, a NUL, a separator) is
refused when the system is built, naming the record and the field."""

from __future__ import annotations

import json
import os
import re
import subprocess

import pytest
from build_helpers import build_text
from hostprograms import need_program
from support.world import World

from vsys.dsl.errors import SchemeError

SSH = """\
(use-modules (gnu))
(use-service-modules ssh)
(operating-system (host-name "h")
  (services (list (service openssh-service-type (openssh-configuration {fields})))))
"""
HOSTS = """\
(use-modules (gnu))
(operating-system (host-name "{name}")
  (services (list (simple-service 'h hosts-service-type (list {host})))))
"""


@pytest.mark.parametrize("fields, field, message", [
    ('(subsystems \'(("a b" "internal-sftp")))', "subsystems",
     'subsystems name "a b" is not one word sshd_config can hold'),
    ('(subsystems \'(("sftp" "internal-sftp # -l INFO")))', "subsystems",
     'subsystems command "internal-sftp # -l INFO" is not words sshd_config can hold'),
    ('(subsystems \'(("sftp" "\\"/usr/lib/sftp server\\"")))', "subsystems",
     'subsystems command "\\"/usr/lib/sftp server\\"" is not words'),
    ('(accepted-environment \'("LANG#x"))', "accepted-environment",
     '"LANG#x" is not one word sshd_config can hold'),
    ('(pid-file "/run/\'sshd.pid")', "pid-file", '"/run/\'sshd.pid" is not one word'),
    ('(authorized-keys `(("../root" ,(plain-file "k" "ssh-ed25519 AAAA"))))',
     "authorized-keys", 'authorized-keys user "../root" cannot name a file'),
])
def test_an_sshd_value_sshd_would_read_otherwise_is_refused(tmp_path, fields, field, message):
    """Refused where the field is given: the error names the clause's line and column
    and the field, and its hint says what sshd would make of the value."""
    with pytest.raises(SchemeError, match=rf"config\.scm:4:\d+: error: field {field} of "
                                          rf"openssh-configuration must be [^\n]*\n"
                                          rf"hint: {_re(message)}"):
        build_text(tmp_path, SSH.format(fields=fields))


def test_a_subsystem_command_of_several_words_is_kept(tmp_path):
    b = build_text(tmp_path, SSH.format(
        fields="(subsystems '((\"sftp\" \"/usr/lib/openssh/sftp-server -l INFO\")))"))
    assert b is not None


@pytest.mark.parametrize("host", ['(host "10.0.0.1" "a;b")', '(host "10.0.0.1" "a/b")',
                                  '(host "10.0.0.1" (string #\\a (integer->char 0)))',
                                  '(host "10.0.0.1" "a" \'("b\\"c"))'])
def test_a_host_name_the_hosts_file_cannot_hold_is_refused(tmp_path, host):
    with pytest.raises(SchemeError, match=r"host 10\.0\.0\.1: .* is not a host name "
                                          r"/etc/hosts can hold \(no blanks, '#', ';', '/', "
                                          r"quotes, line breaks or other control characters\)"):
        build_text(tmp_path, HOSTS.format(name="h", host=host))


@pytest.mark.parametrize("name", ["a;b", "a/b"])
def test_an_operating_system_host_name_with_a_separator_is_refused(tmp_path, name):
    with pytest.raises(SchemeError, match=r"is not a host name /etc/hosts can hold"):
        build_text(tmp_path, HOSTS.format(name=name, host='(host "10.0.0.1" "a")'))


def _re(text: str) -> str:
    return re.escape(text)


def test_the_real_sshd_reads_the_values_it_was_given(tmp_path):
    """What the checks let through, sshd accepts: a subsystem command of several words
    and the accepted environment, read back with `sshd -T` as written."""
    sshd = need_program("sshd", "openssh-server")
    keygen = need_program("ssh-keygen", "openssh-client")
    w = World(tmp_path)
    path = w.config("c.scm", SSH.format(fields=(
        "(subsystems '((\"sftp\" \"/usr/lib/openssh/sftp-server -l INFO\"))) "
        "(accepted-environment '(\"LANG\" \"LC_*\"))")))
    generation = w.vsys("build", path).stdout.strip()
    with open(os.path.join(generation, "services/ssh-daemon.json")) as f:
        argv = json.load(f)["start"]["argv"]
    config = argv[argv.index("-f") + 1]
    key = str(tmp_path / "host_key")
    subprocess.run([keygen, "-q", "-t", "ed25519", "-N", "", "-f", key], check=True)
    # sshd wants its privilege separation directory, /run/sshd: given in a private /run,
    # so the host's is left alone.
    bwrap = need_program("bwrap", "bubblewrap")
    done = subprocess.run([bwrap, "--dev-bind", "/", "/", "--tmpfs", "/run", "--dir",
                           "/run/sshd", sshd, "-T", "-f", config, "-h", key],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    said = done.stdout.splitlines()
    assert "subsystem sftp /usr/lib/openssh/sftp-server -l INFO" in said
    assert "acceptenv LANG" in said and "acceptenv LC_*" in said
