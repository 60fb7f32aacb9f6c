"""Ganeti: every record default, the daemons' command lines, the periodic jobs, the
debootstrap variant file and the /etc/ganeti tree."""

from __future__ import annotations

import subprocess

import pytest

from vsys.dsl.datatypes import NIL, Keyword, Pair, Symbol, from_list, to_list
from vsys.dsl.errors import SchemeError
from vsys.dsl.printer import write_string
from vsys.stdlib import ganeti as g
from vsys.stdlib import ganeti_os as go
from vsys.stdlib.files import file_append, plain_file, resolver
from vsys.stdlib.gexp import lower

SSL = "/var/lib/ganeti/server.pem"
DEFAULTS = [
    (g.NODED, [("port", 1811), ("address", "0.0.0.0"), ("interface", False),
               ("max-clients", 20), ("ssl?", True), ("ssl-key", SSL), ("ssl-cert", SSL),
               ("debug?", False)]),
    (g.CONFD, [("port", 1814), ("address", "0.0.0.0"), ("debug?", False)]),
    (g.WCONFD, [("no-voting?", False), ("debug?", False)]),
    (g.LUXID, [("no-voting?", False), ("debug?", False)]),
    (g.RAPI, [("require-authentication?", False), ("port", 5080), ("address", "0.0.0.0"),
              ("interface", False), ("max-clients", 20), ("ssl?", True), ("ssl-key", SSL),
              ("ssl-cert", SSL), ("debug?", False)]),
    (g.KVMD, [("debug?", False)]),
    (g.MOND, [("port", 1815), ("address", "0.0.0.0"), ("debug?", False)]),
    (g.METAD, [("port", 80), ("address", False), ("debug?", False)]),
    (g.WATCHER, [("rapi-ip", False), ("job-age", 21600), ("verify-disks?", True),
                 ("debug?", False)]),
    (g.CLEANER, [("master-schedule", "45 1 * * *"), ("node-schedule", "45 2 * * *")]),
    (go.DEBOOTSTRAP, [("proxy", False), ("mirror", False), ("arch", False),
                     ("suite", "stable"), ("components", NIL), ("generate-cache?", True),
                     ("clean-cache", 14), ("partition-style", Symbol("msdos")),
                     ("partition-alignment", 2048)]),
    (g.GANETI_OS, [("extension", False), ("variants", NIL)]),
]


@pytest.mark.parametrize("rtype,defaults", DEFAULTS, ids=lambda x: getattr(x, "name", ""))
def test_defaults(rtype, defaults):
    extra = {"name": "x"} if rtype is g.GANETI_OS else {}
    rec = rtype.make(extra)
    for field, default in defaults:
        assert rec[field] == default, field
    if rtype.fields[0].name == "ganeti":
        assert rec["ganeti"].name == "ganeti"


def test_every_field_is_documented():
    for rtype in g.RECORD_TYPES:
        assert rtype.doc
        for f in rtype.fields:
            assert f.doc, f"{rtype.name} {f.name}"


def test_watcher_schedule_default():
    assert write_string(g.WATCHER.make()["schedule"]) == \
        "(next-second-from (next-minute (range 0 60 5)))"


def test_ganeti_configuration_defaults():
    c = g.GANETI.make()
    assert c["ganeti"].name == "ganeti"
    for name, rtype in g._SUB_RECORDS:
        assert c[f"{name}-configuration"].rtype is rtype
    assert c["file-storage-paths"] is NIL and c["hooks"] is False
    assert [o["name"] for o in to_list(c["os"])] == ["debootstrap", "guix"]


def test_debootstrap_extra_pkgs_and_hooks():
    c = go.DEBOOTSTRAP.make()
    assert to_list(c["extra-pkgs"]) == ["acpi-support-base", "udev", "linux-image-amd64",
                                        "openssh-server", "locales-all", "grub-pc"]
    hooks = to_list(c["hooks"])
    assert [h.car for h in hooks] == [Symbol("10-interfaces"), Symbol("90-grub")]
    assert hooks[0].cdr.suffix.endswith("examples/interfaces")


def test_required_fields():
    with pytest.raises(SchemeError) as e:
        g.GANETI_OS.make()
    assert "name" in str(e.value)
    with pytest.raises(SchemeError):
        g.OS_VARIANT.make({"name": "x"})


@pytest.mark.parametrize("rtype,field", [(g.NODED, "port"), (g.RAPI, "port"),
                                         (g.CONFD, "port"), (g.METAD, "port")])
def test_ports_out_of_range(rtype, field):
    for bad in (0, 65536, 70000):
        with pytest.raises(SchemeError) as e:
            rtype.make({field: bad})
        assert "65535" in str(e.value)


# --- command lines ---------------------------------------------------------------------------

@pytest.mark.parametrize("daemon,values,args", [
    ("noded", {}, ["--port=1811", "--bind=0.0.0.0", "--max-clients=20",
                   f"--ssl-key={SSL}", f"--ssl-cert={SSL}"]),
    ("noded", {"interface": "eth0", "ssl?": False, "debug?": True},
     ["--port=1811", "--bind=0.0.0.0", "--interface=eth0", "--max-clients=20", "--no-ssl",
      "--debug"]),
    ("confd", {}, ["--port=1814", "--bind=0.0.0.0"]),
    ("wconfd", {"no-voting?": True, "debug?": True}, ["--no-voting", "--yes-do-it", "--debug"]),
    ("luxid", {}, []),
    ("rapi", {"interface": "eth1", "require-authentication?": True},
     ["--require-authentication", "--port=5080", "--bind=0.0.0.0", "--interface=eth1",
      "--max-clients=20", f"--ssl-key={SSL}", f"--ssl-cert={SSL}"]),
    ("kvmd", {"debug?": True}, ["--debug"]),
    ("mond", {}, ["--port=1815", "--bind=0.0.0.0"]),
    ("metad", {}, ["--port=80"]),
    ("metad", {"address": "10.0.0.1"}, ["--port=80", "--bind=10.0.0.1"]),
])
def test_daemon_arguments(daemon, values, args):
    rtype = dict(g._SUB_RECORDS)[daemon]
    assert g.daemon_arguments(daemon, rtype.make(values)) == args


def _kw(start):
    """The forkexec call of a daemon's start, `(lambda args (system* ENSURE-DIRS)
    (apply (make-forkexec-constructor ...) args))`, and the pre-start command."""
    lam = to_list(start.template)
    assert lam[0] == Symbol("lambda")
    pre, apply_ = to_list(lam[2]), to_list(lam[3])
    items = to_list(apply_[1].value.template)
    return items, dict(zip(items[2::2], items[3::2])), pre


USERS = {"ganeti-noded": (None, None), "ganeti-mond": (None, None),
         "ganeti-kvmd": ("root", "gnt-daemons"), "ganeti-confd": ("gnt-confd", "gnt-confd"),
         "ganeti-wconfd": ("gnt-masterd", "gnt-confd"),
         "ganeti-luxid": ("gnt-masterd", "gnt-luxid"), "ganeti-rapi": ("gnt-rapi", "gnt-rapi"),
         "ganeti-metad": ("gnt-metad", "gnt-metad")}


def test_daemon_shepherd_services():
    services = {to_list(s["provision"])[0].name: s
                for s in to_list(g.ganeti_shepherd_services(g.GANETI.make()))}
    assert sorted(services) == sorted(f"ganeti-{d}" for d in g.DAEMONS)
    for name, s in services.items():
        assert s["respawn?"] is False
        items, kw, pre = _kw(s["start"])
        assert items[0] == Symbol("make-forkexec-constructor")
        assert kw[Keyword("pid-file")] == \
            f"/var/run/{name.replace('ganeti-', 'ganeti/ganeti-')}.pid"
        # Debian's daemon-util's users: its daemons refuse any other
        assert (kw.get(Keyword("user")), kw.get(Keyword("group"))) == USERS[name]
        # ensure-dirs first, under flock: daemons starting at once take turns
        assert pre[0] == Symbol("system*") and pre[1].value.suffix == "/bin/flock" and \
            pre[2] == "/run/ganeti-ensure-dirs.lock" and \
            pre[3].value.suffix == "/lib/ganeti/ensure-dirs"
        env = kw.get(Keyword("environment-variables"))
        if name in ("ganeti-mond", "ganeti-metad"):
            assert env is None
        else:
            assert to_list(env)[1:] == ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:"
                                        "/usr/bin:/sbin:/bin"]
    assert services["ganeti-metad"]["auto-start?"] is False
    assert services["ganeti-noded"]["auto-start?"] is True
    assert to_list(services["ganeti-noded"]["requirement"]) == [Symbol("user-processes"),
                                                                Symbol("networking")]
    assert to_list(services["ganeti-kvmd"]["requirement"]) == [Symbol("user-processes")]
    (action,) = to_list(services["ganeti-wconfd"]["actions"])
    assert action["name"] == Symbol("force-start")


def _wrapper_text(daemon: str, args: list[str]) -> str:
    parts = g.wrapper_lines(g.WCONFD.make()["ganeti"], daemon, args)
    return "#!/bin/sh\n" + "".join(p if isinstance(p, str) else f"/usr/sbin/ganeti-{daemon}"
                                   for p in parts)


def test_wconfd_wrapper_script():
    body = _wrapper_text("wconfd", ["--no-voting", "--yes-do-it"])
    assert "[ -e /var/lib/ganeti/guix_wconfd_force_node_hint ]" in body
    assert ("exec /usr/sbin/ganeti-wconfd --force-node --no-voting --yes-do-it "
            "--no-voting --yes-do-it\n") in body
    assert body.endswith("exec /usr/sbin/ganeti-wconfd --no-voting --yes-do-it\n")


def test_a_node_outside_a_cluster_is_told_the_next_step(tmp_path):
    """Before gnt-cluster init, the daemon's wrapper says what to run, and exits 1."""
    body = _wrapper_text("noded", ["--port=1811"])
    assert "if [ ! -e /var/lib/ganeti/server.pem ]; then" in body
    # Run the check with the certificate's path pointed into a scratch directory.
    script = tmp_path / "noded"
    script.write_text(body.replace("/var/lib/ganeti/server.pem", str(tmp_path / "pem"))
                      .replace("/usr/sbin/ganeti-noded", "/bin/echo"))
    out = subprocess.run(["sh", str(script)], capture_output=True, text=True,
                         env={"PATH": "/usr/bin:/bin"})
    host = subprocess.run(["hostname"], capture_output=True, text=True).stdout.strip()
    assert (out.returncode, out.stdout) == (1, "")
    assert out.stderr == (
        f"ganeti-noded: this node is in no Ganeti cluster yet ({tmp_path / 'pem'} is "
        f"missing): to make it the master of a new cluster, run 'gnt-cluster init "
        f"CLUSTER-NAME' here; to add it to a cluster, run 'gnt-node add {host}' on that "
        f"cluster's master\n")
    (tmp_path / "pem").write_text("")
    out = subprocess.run(["sh", str(script)], capture_output=True, text=True)
    assert (out.returncode, out.stdout) == (0, "--port=1811\n")


def test_accounts_are_debian_s():
    groups = [r["name"] for r in to_list(g.ganeti_accounts(g.GANETI.make()))
              if r.rtype.name == "user-group"]
    users = [r for r in to_list(g.ganeti_accounts(g.GANETI.make()))
             if r.rtype.name == "user-account"]
    assert groups == [
        "gnt-admin", "gnt-confd", "gnt-daemons", "gnt-luxid", "gnt-masterd", "gnt-metad",
        "gnt-rapi"]
    assert {r["name"]: (r["group"], to_list(r["supplementary-groups"]), r["home-directory"])
            for r in users} == {
        "gnt-confd": ("gnt-confd", ["gnt-daemons"], "/var/lib/ganeti"),
        "gnt-masterd": ("gnt-confd", ["gnt-admin", "gnt-confd", "gnt-daemons", "gnt-masterd"],
                        "/var/lib/ganeti"),
        "gnt-metad": ("gnt-metad", ["gnt-daemons"], "/var/lib/ganeti"),
        "gnt-rapi": ("gnt-rapi", ["gnt-admin", "gnt-daemons", "gnt-masterd"],
                     "/var/lib/ganeti")}


def test_jobs():
    jobs = to_list(g.ganeti_jobs(g.GANETI.make({"watcher-configuration": g.WATCHER.make(
        {"rapi-ip": "10.0.0.1", "verify-disks?": False})})))
    resolve = resolver(lambda f: f"/store/{f.name}")
    text = [write_string(lower(j, resolve)) for j in jobs]
    sbin = resolve(file_append(g.WATCHER.make()["ganeti"], "/sbin"))
    assert text[0] == (
        "(job (quote (next-second-from (next-minute (range 0 60 5)))) (lambda () (system* "
        f'"{sbin}/ganeti-watcher" "--rapi-ip=10.0.0.1" "--job-age=21600" '
        '"--no-verify-disks")) "ganeti-watcher")')
    assert text[1] == (f'(job "45 1 * * *" (lambda () (system* "{sbin}/ganeti-cleaner" '
                       '"master")) "ganeti master cleaner")')
    assert text[2] == (f'(job "45 2 * * *" (lambda () (system* "{sbin}/ganeti-cleaner" '
                       '"node")) "ganeti node cleaner")')


def test_activation_directories():
    steps = to_list(g.ganeti_activation(g.GANETI.make()))
    assert [s["path"] for s in steps] == list(g.ACTIVATION_DIRECTORIES)
    assert len(steps) == 12


# --- variants and /etc/ganeti ----------------------------------------------------------------

def _text(file_like, resolve=lambda f: f"/store/{getattr(f, 'name', 'x')}"):
    return file_like.produce(resolve).data.decode()


def test_debootstrap_variant_file_defaults():
    text = _text(go.debootstrap_variant_file(go.DEBOOTSTRAP.make()))
    assert text == ("SUITE=stable\n"
                    "EXTRA_PKGS=acpi-support-base,udev,linux-image-amd64,openssh-server,"
                    "locales-all,grub-pc\n"
                    "CUSTOMIZE_DIR=/store/debootstrap-hooks\n"
                    "GENERATE_CACHE=yes\nCLEAN_CACHE=14\nPARTITION_STYLE=msdos\n"
                    "PARTITION_ALIGNMENT=2048\n")


def test_debootstrap_variant_file_every_line():
    c = go.DEBOOTSTRAP.make({"proxy": "http://proxy:3128", "mirror": "http://deb.example/debian",
                            "arch": "armhf", "suite": "bookworm", "extra-pkgs": NIL,
                            "components": from_list(["main", "contrib"]), "hooks": False,
                            "generate-cache?": False, "clean-cache": False,
                            "partition-style": "gpt", "partition-alignment": False})
    assert _text(go.debootstrap_variant_file(c)) == (
        "PROXY=http://proxy:3128\nMIRROR=http://deb.example/debian\nARCH=armhf\n"
        "SUITE=bookworm\nCOMPONENTS=main,contrib\nGENERATE_CACHE=no\nPARTITION_STYLE=gpt\n")


def test_hostile_variant_values_are_quoted():
    c = go.DEBOOTSTRAP.make({"mirror": "http://x/$(rm -rf /);y", "hooks": False})
    assert "MIRROR='http://x/$(rm -rf /);y'\n" in _text(go.debootstrap_variant_file(c))


def test_hooks_alist_becomes_executables():
    hooks = from_list([Pair(Symbol("99-hello"), plain_file("hello", "#!/bin/sh\necho hi\n"))])
    d = go.hooks_directory(hooks).produce(lambda f: None)
    assert list(d.entries) == ["99-hello"]
    assert d.entries["99-hello"].executable
    assert d.entries["99-hello"].data == b"#!/bin/sh\necho hi\n"


def test_etc_ganeti_of_the_seed_custom_os():
    custom = g.GANETI_OS.make({"name": "personalizado", "extension": ".conf",
                               "variants": from_list([g.OS_VARIANT.make({
                                   "name": "cosa",
                                   "configuration": plain_file("archivo", "Esto va bien")})])})
    c = g.GANETI.make({"os": from_list([custom]),
                       "file-storage-paths": from_list(["/srv/ganeti/a", "/srv/b"])})
    entries = dict(g.etc_ganeti_entries(c))
    assert sorted(entries) == ["file-storage-paths",
                               "instance-personalizado/variants.list",
                               "instance-personalizado/variants/cosa.conf",
                               "instance-personalizado/variants/variants.list"]
    # Debian's OS providers read the list one level up: the same file
    assert entries["instance-personalizado/variants.list"] is \
        entries["instance-personalizado/variants/variants.list"]
    assert _text(entries["instance-personalizado/variants/cosa.conf"]) == "Esto va bien"
    assert _text(entries["instance-personalizado/variants/variants.list"]) == "cosa\n"
    assert _text(entries["file-storage-paths"]) == "/srv/ganeti/a\n/srv/b"


def test_etc_ganeti_defaults():
    entries = dict(g.etc_ganeti_entries(g.GANETI.make()))
    assert sorted(entries) == ["instance-debootstrap/variants.list",
                               "instance-debootstrap/variants/default.conf",
                               "instance-debootstrap/variants/variants.list",
                               "instance-guix/variants.list",
                               "instance-guix/variants/default.scm",
                               "instance-guix/variants/variants.list"]
    assert entries["instance-guix/variants/default.scm"].suffix == \
        "/share/doc/ganeti-instance-guix/examples/dynamic.scm"
    assert "SUITE=stable\n" in _text(entries["instance-debootstrap/variants/default.conf"])


def test_variants_directory_and_hooks():
    d = plain_file("vars", "x")
    hooks = plain_file("hooks", "y")
    c = g.GANETI.make({"os": from_list([g.GANETI_OS.make({"name": "guix", "variants": d})]),
                       "hooks": hooks})
    assert g.etc_ganeti_entries(c) == [("hooks", hooks), ("instance-guix/variants", d)]


def test_helpers():
    v = go.debootstrap_variant("default", go.DEBOOTSTRAP.make())
    os_ = go.debootstrap_os(from_list([v]))
    assert (os_["name"], os_["extension"]) == ("debootstrap", ".conf")
    gos = go.guix_os(go.default_guix_variants())
    assert (gos["name"], gos["extension"]) == ("guix", ".scm")
    # As in Guix, a variant's configuration may be any file-like object.
    handmade = plain_file("a", "SUITE=bookworm\n")
    assert go.debootstrap_variant("x", handmade)["configuration"] is handmade
    with pytest.raises(SchemeError) as e:
        go.debootstrap_variant("x", 42)
    assert "debootstrap-configuration or file-like object" in str(e.value)
