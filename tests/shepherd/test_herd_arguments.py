"""What `vsys herd` and the supervisor say about wrong words: counts that are not
numbers, words after commands that take none, disabled services and misspelt names.
Exact messages and exit codes, through the real client and a real supervisor."""

from __future__ import annotations

from vsys.shepherd import protocol

USAGE = "usage: vsys herd [--root DIR] COMMAND [SERVICE] [ARGS...]\n"


def usage_error(message: str) -> tuple[int, str, str]:
    return 2, "", f"herd: error: {message}\n{USAGE}"


def outcome(r) -> tuple[int, str, str]:
    return r.returncode, r.stdout, r.stderr


def test_schedule_counts_are_numbers(sandbox):
    sandbox.sleeper("mcron", **{"auto-start": False})
    sandbox.start_supervisor()
    assert outcome(sandbox.herd("schedule", "mcron", "abc")) == usage_error("not a number: abc")
    assert outcome(sandbox.herd("schedule", "mcron", "0")) == \
        usage_error("the number of runs must be 1 or more, not 0")
    assert outcome(sandbox.herd("schedule", "mcron", "3", "4")) == \
        usage_error("after `schedule mcron 3` comes nothing, not `4`")
    # A good count reaches the supervisor, which judges the service.
    assert outcome(sandbox.herd("schedule", "mcron", "3")) == \
        (1, "", "herd: error: mcron is not an mcron service\n")
    assert outcome(sandbox.herd("status", "-n", "abc", "mcron")) == usage_error("not a number: abc")
    assert outcome(sandbox.herd("log", "mcron", "-n", "-2")) == \
        usage_error("-n must be 0 or more, not -2")
    assert outcome(sandbox.herd("log", "mcron", "-n")) == usage_error("-n needs a number of lines")


def test_the_supervisor_names_the_wrong_part_of_a_request(sandbox):
    """Other clients than herd get plain words too, never a Python exception's text."""
    sandbox.sleeper("mcron", **{"auto-start": False})
    sandbox.start_supervisor()

    def refusal(command, service=None, **extra):
        sock = protocol.connect(sandbox.socket, 60)
        with sock:                  # sent as given: protocol.request would mend `args`
            protocol.send(sock, {"version": protocol.VERSION, "command": command,
                                 "service": service, **extra})
            reply = protocol.receive(sock)
        assert reply["ok"] is False, reply
        return reply["error"]["kind"], reply["error"]["message"]

    assert refusal("schedule", "mcron", args=["abc"]) == (
        "usage", "bad request: the number of runs to show must be a whole number, not `abc`")
    assert refusal("schedule", "mcron", args=["-1"]) == (
        "usage", "bad request: the number of runs to show must be 1 or more, not -1")
    assert refusal("schedule", "mcron", args=["1", "2"]) == (
        "usage", "`schedule` takes at most a number of runs, not `1 2`")
    assert refusal("status", "mcron", lines="ten") == (
        "usage", "bad request: the number of log lines must be a whole number, not `ten`")
    assert refusal("log", "mcron", lines=-1) == (
        "usage", "bad request: the number of log lines must be 0 or more, not -1")
    assert refusal("status", "mcron", args="extra") == (
        "usage", "bad request: the arguments must be a list of words")
    assert refusal("status", ["mcron"]) == ("usage", "bad request: the service must be a name")
    assert refusal("status", "mcron", args=["extra"]) == (
        "usage", "`status` takes nothing after the service name, not `extra`")
    assert refusal("action", "mcron") == ("usage", "bad request: the action needs a name")
    assert refusal("reload") == (
        "usage", "bad request: `reload` needs the services directory (`services-dir`)")
    sock = protocol.connect(sandbox.socket, 60)
    with sock:
        sock.sendall(b"{not json\n")
        assert protocol.receive(sock)["error"] == {
            "kind": "usage", "message": "malformed message: not one line of JSON", "candidates": []}
    # It still answers after all that.
    assert sandbox.herd("status", "mcron").returncode == 0


def test_a_disabled_service_says_how_to_enable_it(sandbox):
    sandbox.spec("build-vm", start={"argv": ["/nonexistent/bin/qemu-system-x86_64"]},
                 **{"auto-start": False})
    sandbox.sleeper("db", **{"auto-start": False})
    sandbox.sleeper("web", requirement=["db"], **{"auto-start": False})
    sandbox.start_supervisor()
    r = sandbox.herd("start", "build-vm")
    assert outcome(r) == (1, "", "herd: error: cannot start build-vm: "
                                 "/nonexistent/bin/qemu-system-x86_64: no such program\n")
    assert sandbox.herd("disable", "build-vm").returncode == 0
    # The failure before it was disabled is no reason for being disabled.
    assert outcome(sandbox.herd("start", "build-vm")) == (
        1, "", "herd: error: build-vm is disabled; enable it with `vsys herd enable build-vm`\n")

    assert sandbox.herd("disable", "db").returncode == 0
    assert outcome(sandbox.herd("start", "web")) == (
        1, "", "herd: error: db is disabled, so web cannot start; "
               "enable it with `vsys herd enable db`\n")
    assert sandbox.herd("enable", "db").returncode == 0
    assert outcome(sandbox.herd("start", "web")) == (
        0, "Service db has been started.\nService web has been started.\n", "")


def test_only_close_names_are_suggested(sandbox):
    sandbox.sleeper("hurd-vm", **{"auto-start": False})
    sandbox.sleeper("ssh-daemon", **{"auto-start": False})
    sandbox.start_supervisor()
    # Neither udev nor hurd-vm is what someone asking for build-vm meant.
    assert outcome(sandbox.herd("start", "build-vm")) == (
        3, "", "herd: error: service `build-vm` does not exist; "
               "`vsys herd status` lists the services\n")
    assert outcome(sandbox.herd("start", "hurd-wm")) == (
        3, "", "herd: error: service `hurd-wm` does not exist; did you mean hurd-vm?\n")
    assert outcome(sandbox.herd("status", "ssh")) == (
        3, "", "herd: error: service `ssh` does not exist; did you mean ssh-daemon?\n")


def test_words_after_a_command_that_takes_none_are_refused(sandbox):
    hint = "/var/lib/vm/force-hint"
    sandbox.sleeper("build-vm", **{"auto-start": False}, actions=[
        {"name": "configuration", "lines": ["CPU: Skylake-Client"]},
        {"name": "force-start", "kind": "force-start", "hint-file": hint},
        {"name": "say", "kind": "run", "argv": ["/bin/echo", "said:"]}])
    sandbox.start_supervisor()
    for words in (["status", "build-vm", "extra"], ["start", "build-vm", "extra"],
                  ["stop", "build-vm", "extra"], ["restart", "build-vm", "extra"],
                  ["enable", "build-vm", "extra"], ["disable", "build-vm", "extra"],
                  ["log", "build-vm", "extra"]):
        assert outcome(sandbox.herd(*words)) == \
            usage_error(f"after `{words[0]} build-vm` comes nothing, not `extra`")
    assert outcome(sandbox.herd("status", "-n", "3", "build-vm", "a", "b")) == \
        usage_error("after `status build-vm` comes nothing, not `a b`")
    assert outcome(sandbox.herd("stop", "root", "now")) == \
        usage_error("after `stop root` comes nothing, not `now`")
    # None of them did anything.
    out = sandbox.herd("status").stdout.splitlines()
    assert " - build-vm" in out and sandbox.sleeping() == []

    # Actions: a fixed text and a forced start take nothing; a command passes them on.
    assert outcome(sandbox.herd("configuration", "build-vm", "extra-arg")) == usage_error(
        "the action `configuration` of build-vm takes no arguments, not `extra-arg`")
    assert outcome(sandbox.herd("force-start", "build-vm", "--now")) == usage_error(
        "the action `force-start` of build-vm takes no arguments, not `--now`")
    assert sandbox.sleeping() == []
    assert outcome(sandbox.herd("configuration", "build-vm")) == (0, "CPU: Skylake-Client\n", "")
    assert outcome(sandbox.herd("say", "build-vm", "a", "b c")) == (0, "said: a b c\n", "")
    assert outcome(sandbox.herd("doc", "build-vm", "list-actions")) == \
        (0, "configuration\nforce-start\nsay\n", "")
    assert outcome(sandbox.herd("log", "-n", "5", "build-vm")) == (0, "", "")
