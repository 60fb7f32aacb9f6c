"""Runner specs from Shepherd services written in a config: every form Guix services use
becomes the spec the supervisor runs, the run script does the same, and a form vsys
cannot run stops the build with a located error."""

from __future__ import annotations

import glob
import json
import os
import subprocess

import pytest
from build_helpers import build_file, build_text, generation, run_script, spec
from support.paths import EXAMPLES

from vsys.dsl.errors import SchemeError, format_error
from vsys.runner_spec import RunnerSpec

SERVICE = """\
(use-modules (gnu))
(use-service-modules shepherd)
(operating-system
  (host-name "t")
  (services
   (list (simple-service 'extra shepherd-root-service-type
          (list (shepherd-service
                 {fields}))))))
"""


def build_service(tmp_path, fields: str):
    return build_text(tmp_path, SERVICE.format(fields=fields))


def test_forkexec_with_every_keyword(tmp_path):
    b = build_service(tmp_path, """
        (provision '(web www)) (requirement '(networking))
        (documentation "A web server.") (respawn? #f) (auto-start? #f)
        (start #~(make-forkexec-constructor
                  (list "/usr/bin/python3" "-m" "http.server" (number->string 8080))
                  #:user "nobody" #:group "nogroup" #:directory "/srv"
                  #:pid-file "/run/web.pid" #:pid-file-timeout 10
                  #:log-file "/var/log/web.log"
                  #:environment-variables (list "A=1" (string-append "B=" "2"))))
        (stop #~(make-kill-destructor SIGINT))
        (actions (list (shepherd-action (name 'hello) (documentation "Say hello.")
                         (procedure #~(lambda _ (system* "/bin/echo" "hello"))))))""")
    s = spec(b, "web")
    assert s == {
        "version": 0, "provision": ["web", "www"], "requirement": ["networking"],
        "documentation": "A web server.", "auto-start": False,
        "start": {"kind": "process",
                  "argv": ["/usr/bin/python3", "-m", "http.server", "8080"],
                  "user": "nobody", "group": "nogroup", "directory": "/srv",
                  "pid-file": "/run/web.pid", "log-file": "/var/log/web.log",
                  "environment": {"A": "1", "B": "2"}, "pid-file-timeout": 10},
        "stop": {"method": "signal", "signal": "SIGINT"},
        "actions": [{"name": "hello", "documentation": "Say hello.", "kind": "run",
                     "argv": ["/bin/echo", "hello"]}]}
    parsed = RunnerSpec.from_json(s)
    assert parsed.start.environment == {"A": "1", "B": "2"} and parsed.stop.signal == "SIGINT"


def test_a_one_shot_command(tmp_path):
    b = build_service(tmp_path, """
        (provision '(setup)) (one-shot? #t)
        (start #~(lambda _ (invoke "/bin/true" "--x")))""")
    s = spec(b, "setup")
    assert s["one-shot"] is True and s["start"] == {"kind": "process",
                                                     "argv": ["/bin/true", "--x"]}
    assert "respawn" not in s
    RunnerSpec.from_json(s)


def test_const_t_starts_nothing_and_const_f_stops_nothing(tmp_path):
    b = build_service(tmp_path, """
        (provision '(group-of-things)) (respawn? #f)
        (start #~(const #t)) (stop #~(const #f))""")
    s = spec(b, "group-of-things")
    assert s["start"] == {"kind": "none"} and "stop" not in s
    assert RunnerSpec.from_json(s).start.kind == "none"


def test_code_vsys_cannot_run_is_a_located_error(tmp_path):
    with pytest.raises(SchemeError) as e:
        build_service(tmp_path, """
            (provision '(chatty))
            (start #~(lambda _ (display "hello") #t))""")
    text = format_error(e.value)
    assert text.startswith(f"{tmp_path / 'config.scm'}:7:")     # the (shepherd-service ...) form
    assert "Shepherd service chatty" in text and "make-forkexec-constructor" in text
    assert '(display "hello")' in text


def test_an_action_vsys_cannot_run_is_named_as_an_action(tmp_path):
    with pytest.raises(SchemeError) as e:
        build_service(tmp_path, """
            (provision '(chatty))
            (start #~(make-forkexec-constructor (list "/bin/sleep" "60")))
            (actions (list (shepherd-action (name 'greet) (documentation "Say hi.")
                             (procedure #~(lambda (pid) (display "hi") #t)))))""")
    text = format_error(e.value)
    assert "vsys cannot run the action greet" in text and "make-print-action" in text
    assert "before the service starts" not in text


def test_an_unknown_keyword_is_named(tmp_path):
    with pytest.raises(SchemeError, match=r"does not support #:frobnicate"):
        build_service(tmp_path, """
            (provision '(x))
            (start #~(make-forkexec-constructor (list "/bin/true") #:frobnicate 1))""")


def test_an_environment_entry_must_be_name_equals_value(tmp_path):
    with pytest.raises(SchemeError, match=r"'JUSTANAME' is not NAME=VALUE"):
        build_service(tmp_path, """
            (provision '(x))
            (start #~(make-forkexec-constructor (list "/bin/true")
                      #:environment-variables (list "JUSTANAME")))""")


HOSTILE = ["a'b", '"quoted"', "$(touch {canary})", "`touch {canary}`", "x; touch {canary}",
           "back\\slash", "new\nline", "*", "-n", ""]


def _scheme_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def test_hostile_arguments_reach_the_program_unchanged(tmp_path):
    """Quotes, backslashes, line breaks and shell syntax in an argument: the spec holds
    them exactly, and the run script passes them exactly (no shell runs them)."""
    canary = tmp_path / "canary"
    args = [h.format(canary=canary) for h in HOSTILE]
    b = build_service(tmp_path, f"""
        (provision '(echo)) (documentation "x\\nrm -rf {canary} # \\"doc\\"")
        (start #~(make-forkexec-constructor
                  (list "/usr/bin/printf" "[%s]\\n" {' '.join(map(_scheme_string, args))})
                  #:environment-variables (list "V=$(touch {canary})")))""")
    s = spec(b, "echo")
    assert s["start"]["argv"][2:] == args
    script = tmp_path / "echo.run"
    script.write_text(run_script(b, "echo"))
    assert subprocess.run(["sh", "-n", str(script)]).returncode == 0
    out = subprocess.run(["sh", str(script)], capture_output=True, text=True, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout == "".join(f"[{a}]\n" for a in args)
    assert not canary.exists()
    # The documentation's line break cannot leave the comment.
    assert all(ln.startswith("#") or not ln.startswith("rm") for ln in
               run_script(b, "echo").splitlines())


def test_the_run_script_of_a_daemon_runs_it(tmp_path):
    """A spec with environment, pre-start and directory: its script does what the
    supervisor would (here in the foreground, briefly)."""
    marker = tmp_path / "pre"
    b = build_service(tmp_path, f"""
        (provision '(daemon))
        (start #~(lambda args
                   (system* "/usr/bin/touch" "{marker}")
                   (apply (make-forkexec-constructor
                           (list "/bin/sh" "-c" "echo $GREETING from $(pwd)")
                           #:directory "{tmp_path}"
                           #:environment-variables (list "GREETING=hello"))
                          args)))""")
    s = spec(b, "daemon")
    assert s["start"]["pre-start"] == [["/usr/bin/touch", str(marker)]]
    script = tmp_path / "daemon.run"
    script.write_text(run_script(b, "daemon"))
    out = subprocess.run(["sh", str(script)], capture_output=True, text=True)
    assert out.stdout == f"hello from {tmp_path}\n" and marker.exists()


def test_every_spec_of_every_example_is_accepted_by_the_supervisor():
    for example in sorted(glob.glob(os.path.join(EXAMPLES, "*.scm"))):
        services = generation(build_file(example)).entries["services"].entries
        for name, content in services.items():
            if name.endswith(".json"):
                RunnerSpec.from_json(json.loads(content.data), f"{example}:{name}")
            else:
                assert content.executable and content.data.startswith(b"#!/bin/sh\n")


def test_process_options_and_grace_period(tmp_path):
    """Every make-forkexec-constructor keyword Shepherd has for the process's setup, and
    make-kill-destructor's grace period, reach the spec."""
    b = build_service(tmp_path, """
        (provision '(confined))
        (start #~(make-forkexec-constructor
                  (list "/bin/sleep" "100")
                  #:user "nobody" #:supplementary-groups (list "adm" "daemon")
                  #:file-creation-mask #o027 #:create-session? #f
                  #:resource-limits '((nofile 1024 4096) (core #f #f) (msgqueue 100 100))))
        (stop #~(make-kill-destructor SIGINT #:grace-period 12))""")
    s = spec(b, "confined")
    assert s["start"] == {"kind": "process", "argv": ["/bin/sleep", "100"], "user": "nobody",
                          "supplementary-groups": ["adm", "daemon"],
                          "file-creation-mask": 0o027, "create-session": False,
                          "resource-limits": [["nofile", 1024, 4096],
                                              ["core", "unlimited", "unlimited"],
                                              ["msgqueue", 100, 100]]}
    assert s["stop"] == {"method": "signal", "signal": "SIGINT", "grace": 12}
    parsed = RunnerSpec.from_json(s)
    assert (parsed.start.file_creation_mask, parsed.start.create_session) == (0o027, False)
    assert (parsed.stop.signal, parsed.stop.grace) == ("SIGINT", 12)
    script = run_script(b, "confined").splitlines()
    assert script[-7:] == [
        ('as_user() { if [ "$(id -u)" = 0 ]; then setpriv --reuid=nobody --groups=adm,daemon '
         '"--regid=$(id -g nobody)" "$@"; else "$@"; fi; }'),
        "umask 027", "ulimit -n 4096", "ulimit -S -n 1024", "ulimit -c unlimited",
        ("# The supervisor also limits msgqueue to 100 (soft) and 100 (hard), which sh's "
         "ulimit cannot express."),
        "as_user /bin/sleep 100"]


def test_defaults_leave_the_spec_as_it_was(tmp_path):
    """Shepherd's defaults (#t, #f, '()) add nothing; a grace period alone keeps SIGTERM."""
    b = build_service(tmp_path, """
        (provision '(plain))
        (start #~(make-forkexec-constructor (list "/bin/sleep" "100")
                  #:supplementary-groups '() #:file-creation-mask #f
                  #:create-session? #t #:resource-limits '()))
        (stop #~(make-kill-destructor #:grace-period 2.5))""")
    s = spec(b, "plain")
    assert s["start"] == {"kind": "process", "argv": ["/bin/sleep", "100"]}
    assert s["stop"] == {"method": "signal", "grace": 2.5}
    assert RunnerSpec.from_json(s).stop.signal == "SIGTERM"
    assert "umask" not in run_script(b, "plain") and "ulimit" not in run_script(b, "plain")


def test_the_run_script_sets_the_mask_and_the_limits(tmp_path):
    b = build_service(tmp_path, """
        (provision '(show))
        (start #~(make-forkexec-constructor
                  (list "/bin/sh" "-c" "umask; ulimit -n; ulimit -H -n")
                  #:file-creation-mask #o077
                  #:resource-limits (list (list 'nofile 100 200))))""")
    script = tmp_path / "show.run"
    script.write_text(run_script(b, "show"))
    out = subprocess.run(["sh", str(script)], capture_output=True, text=True, check=False)
    assert out.stdout.split() == ["0077", "100", "200"], out.stderr


def test_an_unknown_resource_is_a_located_error(tmp_path):
    with pytest.raises(SchemeError) as e:
        build_service(tmp_path, """
            (provision '(x))
            (start #~(make-forkexec-constructor (list "/bin/true")
                      #:resource-limits '((nofiles 10 10))))""")
    text = format_error(e.value)
    assert text.splitlines()[0] == (
        f"{tmp_path / 'config.scm'}:7:17: error: Shepherd service x (from extra): "
        f"#:resource-limits: unknown resource nofiles (did you mean nofile?); the resources "
        f"are as, core, cpu, data, fsize, memlock, msgqueue, nice, nofile, nproc, rss, "
        f"rtprio, rttime, sigpending, stack")


TRUE = '(start #~(make-forkexec-constructor (list "/bin/true")'


@pytest.mark.parametrize("fields, message", [
    (f"{TRUE} #:resource-limits '((nofile 100 10))))",
     "#:resource-limits: the soft limit of nofile (100) is above its hard limit (10)"),
    (f"{TRUE} #:resource-limits '((nofile 10))))",
     "#:resource-limits: each limit is (RESOURCE SOFT HARD), not (nofile 10)"),
    (f"{TRUE} #:resource-limits '((nofile -1 10))))",
     "#:resource-limits: a limit of nofile is a non-negative integer or #f (no limit), not -1"),
    (f'{TRUE} #:file-creation-mask "027"))',
     '#:file-creation-mask must be a mode from #o000 to #o777 (or #f), not "027"'),
    (f"{TRUE} #:create-session? 'yes))", "#:create-session? must be #t or #f, not (quote yes)"),
    (f'{TRUE} #:supplementary-groups "adm"))',
     '#:supplementary-groups must be a list of group names, not "adm"'),
    (f'{TRUE})) (stop #~(make-kill-destructor #:grace-period "2"))',
     'make-kill-destructor: #:grace-period must be a number of seconds, not "2"'),
    (f"{TRUE})) (stop #~(make-kill-destructor SIGTERM #:grace 2))",
     "make-kill-destructor: vsys does not support #:grace (it supports #:grace-period)"),
    (f"{TRUE})) (stop #~(make-kill-destructor SIGTERM SIGKILL))",
     "make-kill-destructor takes one signal, not (make-kill-destructor SIGTERM SIGKILL)"),
])
def test_process_option_and_kill_destructor_mistakes(tmp_path, fields, message):
    with pytest.raises(SchemeError) as e:
        build_service(tmp_path, f"(provision '(x)) {fields}")
    assert format_error(e.value).splitlines()[0].endswith(message)
