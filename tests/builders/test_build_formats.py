"""Hostile values in every format a generation holds: quotes, backslashes, line breaks
and shell syntax either come out escaped so that the file's own reader gets the value
back unchanged, or are refused with an error naming the field, before anything is
written."""

from __future__ import annotations

import json
import subprocess

import pytest
from build_helpers import build_text, etc_text, generation, item_text, spec
from hostprograms import need_program

from vsys.builders import binfmt
from vsys.builders.activation import step_of
from vsys.builders.lowering import Items
from vsys.dsl.errors import SchemeError

HOSTILE = 'say "hi" \\ to $(whoami); `id` \'quoted\'\nsecond line\ttab'


def scheme(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") \
        .replace("\t", "\\t") + '"'


def os_with(services: str, modules: str = "", extra: str = "") -> str:
    return f"""\
(use-modules (gnu))
(use-service-modules {modules or "base"})
(operating-system
  (host-name "h")
  {extra}
  (services (list {services})))
"""


def guile_strings(path: str, expr: str) -> list[str]:
    """Guile reads every form of PATH and prints EXPR of each (a string, bound to F the
    form) as UTF-8 bytes; the strings come back exactly as Guile read them."""
    guile = need_program("guile", "guile-3.0")
    code = (f'(call-with-input-file "{path}" (lambda (p) (let loop ((f (read p))) '
            f'(unless (eof-object? f) (write (bytevector->u8-list (string->utf8 {expr}))) '
            f'(newline) (loop (read p))))))')
    out = subprocess.run([guile, "--no-auto-compile", "-c",
                          "(use-modules (rnrs bytevectors)) " + code],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return [bytes(int(n) for n in line.strip("()").split()).decode()
            for line in out.stdout.splitlines() if line.startswith("(")]


# --- libvirt's configuration syntax --------------------------------------------------------------

def read_libvirt_value(text: str) -> str:
    """A string value as libvirt's parser (virconf.c) reads it: "..." and '...' end at
    the next quote, \"\"\"...\"\"\" may span lines; there are no escapes."""
    for quote in ('"""', '"', "'"):
        if text.startswith(quote) and text.endswith(quote) and len(text) >= 2 * len(quote):
            inner = text[len(quote):-len(quote)]
            assert quote not in inner and (quote == '"""' or "\n" not in inner)
            return inner
    raise AssertionError(f"not a libvirt string: {text!r}")


@pytest.mark.parametrize("value", ['NORMAL:"x"', "it's", "back\\slash\\", 'a"b\'c',
                                   "two\nlines", "mixed \"'\nquotes"])
def test_libvirt_strings_read_back_unchanged(tmp_path, value):
    b = build_text(tmp_path, os_with(
        f"(service libvirt-service-type (libvirt-configuration (tls-priority {scheme(value)})))",
        "virtualization"))
    text = etc_text(b, "libvirt/libvirtd.conf")
    start = text.index("tls_priority = ") + len("tls_priority = ")
    end = text.index("\nmax_clients = ")
    assert read_libvirt_value(text[start:end]) == value


def test_a_string_libvirt_cannot_hold_is_refused_with_its_field(tmp_path):
    with pytest.raises(SchemeError, match=r"tls-priority"):
        build_text(tmp_path, os_with(
            "(service libvirt-service-type (libvirt-configuration "
            "(tls-priority \"ends with a quote\\n\\\"\")))", "virtualization"))


def test_the_built_files_are_what_the_service_library_writes(tmp_path):
    """libvirtd.conf and virtlogd.conf are written once, by the service library: the
    built files are its text, byte for byte."""
    b = build_text(tmp_path, os_with(
        "(service libvirt-service-type (libvirt-configuration (access-drivers '(\"polkit\" "
        "\"x\\\"y\")) (host-uuid \"u\") (mdns-name \"it's\")))\n"
        "(service virtlog-service-type (virtlog-configuration (max-clients 1000)))",
        "virtualization"))
    libvirtd = etc_text(b, "libvirt/libvirtd.conf")
    assert "access_drivers = [\"polkit\",'x\"y']\n" in libvirtd
    assert "mdns_name = \"it's\"\n" in libvirtd and "host_uuid = \"u\"\n" in libvirtd
    assert "# tls_allowed_dn_list = []\n" in libvirtd
    assert etc_text(b, "libvirt/virtlogd.conf") == (
        'log_level = 3\nlog_filters = "3:remote 4:event"\nlog_outputs = "3:stderr"\n'
        'max_clients = 1000\nmax_size = 2097152\nmax_backups = 3\n')


# --- the mcron jobs file and machines.scm: Scheme, read back by Guile -----------------------------

def test_mcron_jobs_keep_every_character(tmp_path):
    b = build_text(tmp_path, os_with(
        f"(simple-service 'jobs mcron-service-type (list #~(job \"*/5 * * * *\" "
        f"{scheme(HOSTILE)} {scheme('name ' + HOSTILE)})))", "mcron"))
    jobs = tmp_path / "jobs.scm"
    path = spec(b, "mcron")["start"]["jobs"][0]
    jobs.write_text(item_text(b, path))
    assert guile_strings(str(jobs), "(caddr f)") == [HOSTILE]
    assert guile_strings(str(jobs), "(cadddr f)") == ["name " + HOSTILE]


def test_offload_machines_keep_every_character(tmp_path):
    b = build_text(tmp_path, os_with(
        "(service guix-service-type (guix-configuration (build-machines (list "
        f"(build-machine (name {scheme('host' + HOSTILE)}) (systems (list \"x86_64-linux\")) "
        f"(user {scheme(HOSTILE)}) (host-key \"ssh-ed25519 AAAA\"))))))"))
    machines = tmp_path / "machines.scm"
    machines.write_text(etc_text(b, "guix/machines.scm"))
    got = guile_strings(str(machines),
                        "(string-append (cadr (assq 'name (cdadr f))) \"|\" "
                        "(cadr (assq 'user (cdadr f))))")
    assert got == ["host" + HOSTILE + "|" + HOSTILE]


# --- line-oriented files: refused -----------------------------------------------------------------

@pytest.mark.parametrize("services,modules,message", [
    ("(simple-service 'h hosts-service-type (list (host \"10.0.0.1\" \"a\\n6.6.6.6 bank\")))",
     "base", r"not a host name /etc/hosts can hold"),
    ("(simple-service 'h hosts-service-type (list (host \"10.0.0.1\" \"a\" '(\"b c\"))))",
     "base", r'"b c" is not a host name'),
    ("(service openssh-service-type (openssh-configuration "
     "(pid-file \"/run/x\\nPermitRootLogin yes\")))", "ssh",
     r"field pid-file (?s:.*) holds a line break"),
    ("(service ganeti-service-type (ganeti-configuration "
     "(file-storage-paths '(\"/srv\\n/etc\"))))", "ganeti", r"file-storage-paths"),
    ("(service static-networking-service-type (list (static-networking "
     "(name-servers '(\"1.1.1.1\\nnameserver 6.6.6.6\")))))", "base",
     r"name server .* is not an IP address"),
    ("(simple-service 'e etc-service-type (list `(\"../escape\" ,(plain-file \"x\" \"y\"))))",
     "base", r'"\.\./escape": the name must be a relative path'),
])
def test_values_a_line_oriented_file_cannot_hold_are_refused(tmp_path, services, modules,
                                                              message):
    with pytest.raises(SchemeError, match=message):
        build_text(tmp_path, os_with(services, modules))


def test_account_fields_are_checked_against_passwd_syntax(tmp_path):
    for field, value, message in (("comment", "a:b", "holds ':'"),
                                  ("comment", "a\\nroot::0:0::/:/bin/sh", "line break"),
                                  ("name", "Bad Name", "not a valid account name"),
                                  ("home-directory", "/home/x:y", "holds ':'")):
        user = f'(user-account (name "alice") (group "users") ({field} "{value}"))'
        if field == "name":
            user = f'(user-account (name "{value}") (group "users"))'
        with pytest.raises(SchemeError, match=message):
            build_text(tmp_path, os_with("", extra=f"(users (list {user}))"))


# --- binfmt register strings ----------------------------------------------------------------------

GOOD = ":qemu-arm:M::\\x7f\\x45:\\xff\\xff:/usr/bin/qemu-arm-static:FP"


def test_a_register_string_is_checked():
    assert binfmt.check(GOOD, "qemu-binfmt") == GOOD
    for bad, why in ((GOOD.replace("static", "static:x"), "more than 7 fields"),
                     (GOOD + "\n:x:M::\\x00::/bin/sh:", "line break"),
                     (GOOD.replace("/usr/bin", "usr/bin"), "not an absolute path"),
                     (GOOD.replace(":FP", ":FPX"), "flags"),
                     (GOOD.replace("qemu-arm:M", "../x:M"), "bad entry name")):
        with pytest.raises(SchemeError, match=why):
            binfmt.check(bad, "qemu-binfmt")


# --- JSON files: runner specs, accounts, activation -----------------------------------------------

def test_json_files_hold_hostile_text_exactly(tmp_path):
    b = build_text(tmp_path, os_with(
        f"(simple-service 'x shepherd-root-service-type (list (shepherd-service "
        f"(provision '(x)) (documentation {scheme(HOSTILE)}) "
        f"(start #~(make-forkexec-constructor (list \"/bin/echo\" {scheme(HOSTILE)}))))))",
        "shepherd", extra='(users (list (user-account (name "al") (group "users") '
                          '(comment "Al \\"the\\" \\\\ user"))))'))
    s = spec(b, "x")
    assert s["documentation"] == HOSTILE and s["start"]["argv"][1] == HOSTILE
    accounts = json.loads(generation(b).entries["accounts.json"].data)
    assert accounts["users"][0]["comment"] == 'Al "the" \\ user'


def test_activation_steps_are_checked():
    items = Items("/vsys-store")
    ok = {"kind": "ssh-key", "path": "/etc/k", "type": "ed25519", "comment": "c"}
    assert step_of(ok, items) == ok
    for bad, why in (({**ok, "comment": "a\nssh-rsa AAAA evil"}, "one line"),
                     ({**ok, "path": "relative"}, "absolute"),
                     ({**ok, "type": "dsa"}, "key type"),
                     ({"kind": "format-disk"}, "not an activation step"),
                     ({"kind": "directory", "path": "/x", "mode": "0755"}, "file mode")):
        with pytest.raises(SchemeError, match=why):
            step_of(bad, items)
