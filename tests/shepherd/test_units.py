"""Small pieces: the S-expression codec, logs, ordering, state paths."""

from __future__ import annotations

import os

import pytest

from vsys import state
from vsys.shepherd import kvm, logs, protocol
from vsys.shepherd.graph import GraphError, start_order, stop_order
from vsys.shepherd.sexp import Incomplete, SexpError, Symbol, read, read_one, write


@pytest.mark.parametrize("value", [
    [Symbol("secrets"), [Symbol("version"), 0], [Symbol("files"), [["/etc/a b", 12, 33188]]]],
    "tab\there \"quoted\" back\\slash\nnewline \x01 é", [], [True, False, -5, 10 ** 30],
])
def test_sexp_round_trip(value):
    assert read_one(write(value)) == value


def test_sexp_reader_knows_where_a_datum_ends():
    data = b"(secret-service-server (version 0))\x00raw"
    value, end = read(data)
    assert value == ["secret-service-server", ["version", 0]] and data[end:] == b"\x00raw"
    for cut in range(1, len(b"(a (b \"c\") 12)")):
        with pytest.raises(Incomplete):
            read(b"(a (b \"c\") 12)"[:cut])
    with pytest.raises(SexpError):
        read_one(")")
    assert read_one('"\\x41;\\x3b;b"') == "A;b"


def test_log_lines_are_stamped_and_rotated(tmp_path):
    path = str(tmp_path / "svc.log")
    w = logs.LogWriter(path, max_bytes=200, backups=2)
    w.feed(b"first\nsecond pa")
    w.feed(b"rt\r\n")
    with open(path) as f:
        text = f.read().splitlines()
    assert [ln.split(" ", 2)[2] for ln in text] == ["first", "second part"]
    for i in range(30):
        w.line(f"line {i}")
    assert (os.path.exists(path + ".1") and os.path.exists(path + ".2")
            and not os.path.exists(path + ".3"))
    assert os.path.getsize(path) <= 200
    assert [ln.split(" ", 2)[2] for ln in logs.tail(path, 3)] == ["line 27", "line 28", "line 29"]


def test_ordering_and_cycles():
    req = {"a": [], "b": ["a"], "c": ["b", "a"], "d": ["c"]}
    assert start_order("d", req.__getitem__) == ["a", "b", "c", "d"]
    deps = {"a": ["b", "c"], "b": ["c"], "c": ["d"], "d": []}
    assert stop_order("a", deps.__getitem__) == ["d", "c", "b", "a"]
    chain = {f"s{i}": [f"s{i - 1}"] if i else [] for i in range(5000)}
    assert len(start_order("s4999", chain.__getitem__)) == 5000
    with pytest.raises(GraphError, match="circular requirement: x -> y -> x"):
        start_order("x", {"x": ["y"], "y": ["x"]}.__getitem__)


def test_state_directory_resolution(monkeypatch, tmp_path):
    monkeypatch.setenv("VSYS_STATE_DIR", str(tmp_path / "explicit"))
    assert state.state_dir() == str(tmp_path / "explicit")
    monkeypatch.delenv("VSYS_STATE_DIR")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg"))
    assert state.state_dir() == str(tmp_path / "xdg" / "vsys")
    monkeypatch.delenv("XDG_STATE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert state.state_dir() == str(tmp_path / "home" / ".local" / "state" / "vsys")
    assert state.socket_path("/a") != state.socket_path("/b")
    assert state.socket_path("/a") == state.socket_path("/a/")


def test_long_state_paths_still_reach_the_socket(tmp_path, monkeypatch):
    """A socket path longer than the 108 bytes Unix allows goes through the directory."""
    deep = tmp_path / ("d" * 60) / ("e" * 60)
    deep.mkdir(parents=True)
    path = str(deep / "shepherd.sock")
    assert len(path) > 108
    server = protocol.listen(path)
    try:
        client = protocol.connect(path, 5)
        conn, _ = server.accept()
        protocol.send(client, {"x": 1})
        assert protocol.receive(conn) == {"x": 1}
        client.close()
        conn.close()
        assert os.stat(path).st_mode & 0o777 == 0o600
    finally:
        server.close()


def test_kvm_detection(tmp_path):
    assert kvm.usable(str(tmp_path / "missing")) is False
    assert "does not exist" in kvm.why_not(str(tmp_path / "missing"))
    dev = tmp_path / "kvm"
    dev.write_text("")
    assert kvm.usable(str(dev)) is True and kvm.why_not(str(dev)) is None
