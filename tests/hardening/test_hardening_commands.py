"""Values that reach a command line mean what the config says: a comma in a QEMU option
value, an environment entry shaped like an option of env, a shared directory another
user made for QEMU's control socket."""

from __future__ import annotations

import os
import subprocess

import pytest
from build_helpers import build_text, run_script, spec

from vsys.dsl.errors import SchemeError
from vsys.runner_spec import RunnerSpec, RunnerSpecError
from vsys.shepherd.process import StartError
from vsys.shepherd.runners import private_dir

BUILD_VM = """\
(use-modules (gnu))
(use-service-modules virtualization)
(operating-system
  (host-name "h")
  (services (list (service virtual-build-machine-service-type
                           (virtual-build-machine (image "/srv/a,snapshot=off.qcow2"))))))
"""


def test_a_comma_in_the_image_path_stays_in_the_path(tmp_path):
    b = build_text(tmp_path, BUILD_VM)
    argv = spec(b, "build-vm")["start"]["argv"]
    drive = argv[argv.index("-drive") + 1]
    assert drive == ("file=/srv/a,,snapshot=off.qcow2,format=qcow2,if=virtio,"
                     "cache=writeback,werror=report,readonly=off")
    assert "-drive " + drive + " -snapshot" in run_script(b, "build-vm")


SERVICE = """\
(use-modules (gnu))
(use-service-modules shepherd)
(operating-system
  (host-name "t")
  (services
   (list (simple-service 'extra shepherd-root-service-type
          (list (shepherd-service (provision '(x))
                 (start #~(make-forkexec-constructor (list "/bin/echo" "ran")
                           #:environment-variables (list {entry})))))))))
"""


@pytest.mark.parametrize("entry", ['"-Secho hi=x"', '"A\\nB=1"', '"1X=1"', '"A-B=1"',
                                   '"=x"'])
def test_an_environment_name_must_be_a_shell_identifier(tmp_path, entry):
    with pytest.raises(SchemeError, match=r"is not NAME=VALUE with NAME a shell identifier"):
        build_text(tmp_path, SERVICE.format(entry=entry))


def test_the_run_script_ends_the_options_of_env(tmp_path):
    b = build_text(tmp_path, SERVICE.format(entry='"_A1=-S x"'))
    script = tmp_path / "x.run"
    script.write_text(run_script(b, "x"))
    assert "env -i -- '_A1=-S x' /bin/echo ran" in script.read_text()
    done = subprocess.run(["sh", str(script)], capture_output=True, text=True)
    assert (done.returncode, done.stdout) == (0, "ran\n")


def test_a_spec_with_an_option_as_environment_name_is_refused():
    raw = {"version": 0, "provision": ["x"],
           "start": {"kind": "process", "argv": ["/bin/true"],
                     "environment": {"-Secho hi": "x"}}}
    with pytest.raises(RunnerSpecError, match="whose names are shell identifiers"):
        RunnerSpec.from_json(raw)


def test_a_socket_directory_someone_else_made_is_refused(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("making a directory of another user needs root")
    theirs = tmp_path / "vsys-0"
    theirs.mkdir(mode=0o777)
    os.chown(theirs, 65534, 65534)
    with pytest.raises(StartError, match=r"is not a directory of this user \(it belongs "
                                         r"to uid 65534\); vsys will not put a control "
                                         r"socket there"):
        private_dir(str(theirs))


def test_a_socket_directory_is_made_private(tmp_path):
    mine = tmp_path / "vsys-me"
    assert private_dir(str(mine)) == str(mine)
    assert os.stat(mine).st_mode & 0o777 == 0o700
    os.chmod(mine, 0o755)
    private_dir(str(mine))
    assert os.stat(mine).st_mode & 0o777 == 0o700


@pytest.mark.parametrize("where, start", [
    ("start.pid-file", {"argv": ["/bin/x"], "pid-file": "/../../victim/file"}),
    ("start.log-file", {"argv": ["/bin/x"], "log-file": "/var/log/../../../x"}),
    ("start.binfmt-directory", {"kind": "binfmt", "entries": [":a:M::\\x7f::/bin/x:F"],
                                "binfmt-directory": "/proc/../../proc"}),
    ("start.secrets.root", {"kind": "vm", "argv": ["/bin/x"],
                            "secrets": {"port": 1, "root": "/etc/../../victim"}}),
])
def test_a_spec_path_with_dot_dot_is_refused(where, start):
    with pytest.raises(RunnerSpecError, match=rf"x.json.{where}: .* must be an absolute path "
                                              rf"without `..` \(a path in the root\)"):
        RunnerSpec.from_json({"version": 0, "provision": ["x"], "start": start}, "x.json")


def test_a_hint_file_with_dot_dot_is_refused():
    with pytest.raises(RunnerSpecError, match=r"x.json.actions\[0\].hint-file: "):
        RunnerSpec.from_json({"version": 0, "provision": ["x"],
                              "start": {"argv": ["/bin/x"]},
                              "actions": [{"name": "f", "kind": "force-start",
                                           "hint-file": "/../x"}]}, "x.json")
