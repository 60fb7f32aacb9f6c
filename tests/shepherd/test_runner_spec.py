"""The runner-spec format: examples round-trip, mistakes are named precisely."""

from __future__ import annotations

import json

import pytest

import vsys.runner_spec as rs
from vsys.runner_spec import (
    HOST_MILESTONES,
    Action,
    RunnerSpec,
    RunnerSpecError,
    SecretDelivery,
    Start,
    load_directory,
)

DAEMON = {"version": 0, "provision": ["ganeti-noded"],
          "requirement": ["user-processes", "networking"],
          "documentation": "Run the Ganeti node daemon.",
          "start": {"kind": "process",
                    "argv": ["/usr/sbin/ganeti-noded", "--port=1811", "--bind=0.0.0.0",
                             "--max-clients=20", "--ssl-key=/var/lib/ganeti/server.pem",
                             "--ssl-cert=/var/lib/ganeti/server.pem"],
                    "environment": {"PATH": "/run/privileged/bin:/run/current-system/profile/sbin:"
                                            "/run/current-system/profile/bin"},
                    "pid-file": "/var/run/ganeti/ganeti-noded.pid", "package": "ganeti"}}
VM = {"version": 0, "provision": ["build-vm"], "requirement": ["user-processes"],
      "auto-start": False,
      "start": {"kind": "vm",
                "argv": ["/usr/bin/qemu-system-x86_64", "-cpu", "Skylake-Client", "-m", "2048"],
                "user": "build-vm-build-vm", "group": "kvm", "environment": {"TMPDIR": "/tmp"},
                "image": "/var/lib/vsys/images/build-vm.qcow2",
                "secrets": {"port": 11044, "root": "/etc/guix/virtual-build-machines/build-vm",
                            "handshake-timeout": 180, "tries": 60}},
      "stop": {"method": "powerdown", "signal": "SIGTERM", "grace": 30},
      "actions": [{"name": "configuration", "documentation": "Display the configuration.",
                   "kind": "print",
                   "lines": ["CPU: Skylake-Client", "number of CPU cores: 4",
                             "memory size: 2048 MiB", "initial date: Wed Jan 01 00:00:00Z 2020"]}]}
BINFMT = {"version": 0, "provision": ["qemu-binfmt"],
          "requirement": ["file-system-/proc/sys/fs/binfmt_misc"],
          "start": {"kind": "binfmt", "entries": [
              ":qemu-aarch64:M::\\x7f\\x45\\x4c\\x46\\x02\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00"
              "\\x00\\x02\\x00\\xb7\\x00:\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xff\\xff\\xff\\xff\\xff\\xff"
              "\\xff\\xff\\xfe\\xff\\xff\\xff:/usr/bin/qemu-aarch64-static:FP"]}}
WCONFD = {"version": 0, "provision": ["ganeti-wconfd"], "requirement": ["user-processes"],
          "start": {"kind": "process", "argv": ["/gnu/wconfd-wrapper"],
                    "pid-file": "/var/run/ganeti/ganeti-wconfd.pid"},
          "actions": [{"name": "force-start", "kind": "force-start",
                       "hint-file": "/var/lib/ganeti/guix_wconfd_force_node_hint",
                       "documentation": "Start wconfd even without a quorum."}]}


MCRON = {"version": 0, "provision": ["mcron"], "requirement": ["user-processes"], "respawn": True,
         "start": {"kind": "mcron", "jobs": ["/gnu/store/x-mcron-jobs.scm"],
                   "log-options": ["--log", "--log-format", "~1@*~a ~a: ~a~%"],
                   "log-emulation": "/gnu/store/y-mcron-log.scm", "log-file": "/var/log/mcron.log"}}
CONFINED = {"version": 0, "provision": ["confined"],
            "start": {"kind": "process", "argv": ["/usr/sbin/confined"], "user": "nobody",
                      "supplementary-groups": ["adm", 4], "file-creation-mask": 0o027,
                      "create-session": False,
                      "resource-limits": [["nofile", 1024, 4096], ["core", 0, "unlimited"]]},
            "stop": {"method": "signal", "signal": "SIGTERM", "grace": 12.5}}


@pytest.mark.parametrize("data", [DAEMON, VM, BINFMT, WCONFD, CONFINED, MCRON],
                         ids=["daemon", "vm", "binfmt", "wconfd", "confined", "mcron"])
def test_examples_round_trip(tmp_path, data):
    spec = RunnerSpec.from_json(data)
    path = str(tmp_path / "s.json")
    spec.dump(path)
    again = RunnerSpec.load(path)
    assert again == spec
    with open(path) as f:
        assert RunnerSpec.from_json(json.load(f)).to_json() == spec.to_json()


def test_defaults_follow_the_start_kind():
    assert RunnerSpec.from_json(VM).stop.method == "powerdown"
    assert RunnerSpec.from_json(BINFMT).stop.method == "unregister"
    daemon = RunnerSpec.from_json(DAEMON)
    assert (daemon.stop.method, daemon.stop.signal, daemon.stop.grace) == ("signal", "SIGTERM", 5.0)
    assert (daemon.respawn, daemon.auto_start, daemon.one_shot) == (False, True, False)
    st = daemon.start
    assert (st.supplementary_groups, st.file_creation_mask, st.create_session,
            st.resource_limits) == ([], None, True, [])
    # The defaults are left out of the file: specs without the options are unchanged.
    assert RunnerSpec.from_json(DAEMON).to_json() == DAEMON
    confined = RunnerSpec.from_json(CONFINED)
    assert confined.to_json() == CONFINED and confined.stop.grace == 12.5


@pytest.mark.parametrize("change, message", [
    ({"respwan": True}, "x.json: unknown key `respwan` (did you mean `respawn`?)"),
    ({"respawn": "yes"}, 'x.json.respawn: expected true or false, got "yes"'),
    ({"start": {"kind": "vm"}}, "x.json.start: a `vm` start needs `argv`"),
    ({"start": {"kind": "daemon", "argv": ["/bin/x"]}},
     "x.json.start.kind: `daemon` is not one of process, vm, binfmt, mcron, none"),
    ({"start": {"argv": ["/bin/x"], "pid-flie": "/run/x.pid"}},
     "x.json.start: unknown key `pid-flie` (did you mean `pid-file`?)"),
    ({"start": {"argv": ["/bin/x"], "pid-file": "run/x.pid"}},
     "x.json.start.pid-file: \"run/x.pid\" must be an absolute path without `..` "
     "(a path in the root)"),
    ({"stop": {"signal": "SIGFOO"}}, "x.json.stop.signal: unknown signal `SIGFOO`"),
    ({"provision": []}, "x.json: missing `provision` (the service's names)"),
    ({"provision": ["root"]}, "x.json.provision: `root` cannot name a service"),
    ({"version": 1}, "x.json: spec version 1 is newer than this vsys understands (0)"),
    ({"actions": [{"name": "go", "kind": "run"}]},
     "x.json.actions[0]: a `run` action needs `argv`"),
    ({"start": {"argv": ["/bin/x"], "secrets": {"port": 1, "root": "/s"}}},
     "x.json.start.secrets: only a `vm` start sends secrets"),
    ({"start": {"argv": ["/bin/x"], "resource-limits": [["nofiles", 1, 1]]}},
     ("x.json.start.resource-limits[0]: unknown resource `nofiles`; the resources are as, "
      "core, cpu, data, fsize, memlock, msgqueue, nice, nofile, nproc, rss, rtprio, rttime, "
      "sigpending, stack")),
    ({"start": {"argv": ["/bin/x"], "resource-limits": [["core", 0, 0], ["nofile", 9, 8]]}},
     "x.json.start.resource-limits[1]: the soft limit of nofile (9) is above its hard limit (8)"),
    ({"start": {"argv": ["/bin/x"], "resource-limits": [["nofile", "unlimited", 8]]}},
     ("x.json.start.resource-limits[0]: the soft limit of nofile (unlimited) is above its "
      "hard limit (8)")),
    ({"start": {"argv": ["/bin/x"], "resource-limits": [["nofile", -1, 8]]}},
     ('x.json.start.resource-limits: expected a list of [RESOURCE, SOFT, HARD], each limit a '
      'non-negative integer or "unlimited", got [["nofile", -1, 8]]')),
    ({"start": {"argv": ["/bin/x"], "file-creation-mask": 1000}},
     "x.json.start.file-creation-mask: 1000 is not a mode from 0 to 0o777 (511)"),
    ({"start": {"argv": ["/bin/x"], "create-session": "no"}},
     'x.json.start.create-session: expected true or false, got "no"'),
    ({"start": {"argv": ["/bin/x"], "supplementary-groups": "adm"}},
     'x.json.start.supplementary-groups: expected a list of names or numbers, got "adm"'),
    ({"stop": {"grace": -1}}, "x.json.stop.grace: expected a non-negative number, got -1"),
    ({"start": {"kind": "mcron", "jobs": ["/j.scm"], "log-emulation": "log.scm"}},
     "x.json.start.log-emulation: must be an absolute path"),
])
def test_mistakes_are_named(tmp_path, change, message):
    data = {"provision": ["x"], "start": {"argv": ["/bin/x"]}, **change}
    path = tmp_path / "x.json"
    path.write_text(json.dumps(data))
    with pytest.raises(RunnerSpecError) as e:
        RunnerSpec.load(str(path))
    assert str(e.value) == message


def test_mcron_command_takes_the_log_options_where_mcron_has_them(tmp_path, monkeypatch):
    start = RunnerSpec.from_json(MCRON).start
    monkeypatch.setattr(rs, "mcron_has_log_option", lambda mcron: True)
    assert start.command() == ["/usr/bin/mcron", "--log", "--log-format", "~1@*~a ~a: ~a~%",
                               "/gnu/store/x-mcron-jobs.scm"]
    monkeypatch.setattr(rs, "mcron_has_log_option", lambda mcron: False)
    assert start.command() == ["/usr/bin/mcron", "/gnu/store/y-mcron-log.scm",
                               "/gnu/store/x-mcron-jobs.scm"]


def test_mcron_log_option_is_read_from_its_help(tmp_path):
    for name, text in (("new", "  -l, --log   Log jobs to stdout\n"), ("old", "  -d, --daemon\n")):
        program = tmp_path / name
        program.write_text(f"#!/bin/sh\nprintf '{text}'\n")
        program.chmod(0o755)
        assert rs.mcron_has_log_option(str(program)) is (name == "new")
    assert rs.mcron_has_log_option(str(tmp_path / "absent")) is False


def test_directory_adds_milestones_and_refuses_double_provision(tmp_path):
    (tmp_path / "a.json").write_text(json.dumps(DAEMON))
    (tmp_path / "notes.txt").write_text("ignored")
    specs = load_directory(str(tmp_path))
    assert sorted(specs) == sorted(["ganeti-noded", *HOST_MILESTONES])
    assert all(specs[m].host_milestone for m in HOST_MILESTONES)
    (tmp_path / "b.json").write_text(json.dumps({"provision": ["other", "ganeti-noded"],
                                                 "start": {"argv": ["/bin/x"]}}))
    with pytest.raises(RunnerSpecError, match="b.json: `ganeti-noded` is also provided by a.json"):
        load_directory(str(tmp_path))


def test_invalid_json_names_line_and_column(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"provision": ["x"],\n "start": }')
    with pytest.raises(RunnerSpecError, match=r"bad.json:2:11: invalid JSON"):
        RunnerSpec.load(str(path))


def test_built_in_python_like_the_builder_does(tmp_path):
    spec = RunnerSpec(provision=["hurd-vm", "childhurd"],
                      requirement=["loopback", "networking", "user-processes"],
                      start=Start(kind="vm", argv=["/usr/bin/qemu-system-x86_64", "-m", "512"],
                                  user="childhurd", group="kvm", environment={"TMPDIR": "/tmp"},
                                  secrets=SecretDelivery(port=11004, root="/etc/childhurd")),
                      actions=[Action(name="configuration", lines=["memory size: 512 MiB"])])
    assert spec.stop.method == "powerdown"
    path = str(tmp_path / "childhurd.json")
    spec.dump(path)
    assert RunnerSpec.load(path) == spec
