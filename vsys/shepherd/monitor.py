"""One thread that watches every supervised process and every log pipe.

A pidfd becomes readable when its process exits, whether or not the process is our
child, so processes adopted from an earlier supervisor are watched the same way as
those we started.  Callbacks run on this thread: they must be short."""

from __future__ import annotations

import os
import queue
import selectors
import sys
import threading
from typing import Callable


class Monitor:
    def __init__(self) -> None:
        self.selector = selectors.DefaultSelector()
        self.pending: queue.SimpleQueue = queue.SimpleQueue()
        self.wake_r, self.wake_w = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)
        self.selector.register(self.wake_r, selectors.EVENT_READ, None)
        self.running = True
        self.thread = threading.Thread(target=self._loop, name="monitor", daemon=True)
        self.thread.start()

    def watch_process(self, pid: int, on_exit: Callable[[int, int | None], None]) -> bool:
        """Call ON_EXIT(pid, wait_status_or_None) once PID has exited; False if already gone."""
        try:
            fd = os.pidfd_open(pid)
        except ProcessLookupError:
            return False
        self._submit(("add", fd, ("pid", pid, on_exit)))
        return True

    def watch_output(self, fd: int, on_data: Callable[[bytes], None],
                     on_close: Callable[[], None]) -> None:
        os.set_blocking(fd, False)
        self._submit(("add", fd, ("out", on_data, on_close)))

    def forget_output(self, fd: int) -> None:
        self._submit(("drop", fd, None))

    def stop(self) -> None:
        self.running = False
        self._submit(None)
        self.thread.join(timeout=5)

    def _submit(self, item) -> None:
        self.pending.put(item)
        try:
            os.write(self.wake_w, b"x")
        except BlockingIOError:
            pass

    def _apply_pending(self) -> None:
        while True:
            try:
                item = self.pending.get_nowait()
            except queue.Empty:
                return
            if item is None:
                continue
            op, fd, data = item
            if op == "add":
                self.selector.register(fd, selectors.EVENT_READ, data)
            elif op == "drop":
                key = self.selector.get_map().get(fd)
                if key is not None:
                    self._drain(fd, key.data)
                    self.selector.unregister(fd)
                    os.close(fd)

    def _loop(self) -> None:
        while self.running:
            for key, _ in self.selector.select(timeout=1.0):
                if key.data is None:
                    try:
                        while os.read(self.wake_r, 4096):
                            pass
                    except BlockingIOError:
                        pass
                    self._apply_pending()
                    continue
                self._ready(key.fd, key.data)

    def _ready(self, fd: int, data) -> None:
        if data[0] == "pid":
            _, pid, on_exit = data
            self.selector.unregister(fd)
            os.close(fd)
            try:
                _, status = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:   # adopted: our predecessor's child, not ours
                status = None
            self._call(on_exit, pid, status)
            return
        if not self._drain(fd, data):
            self.selector.unregister(fd)
            os.close(fd)
            self._call(data[2])

    def _drain(self, fd: int, data) -> bool:
        """Read what is there; False at end of file."""
        while True:
            try:
                chunk = os.read(fd, 65536)
            except BlockingIOError:
                return True
            except OSError:
                return False
            if not chunk:
                return False
            self._call(data[1], chunk)

    @staticmethod
    def _call(fn, *args) -> None:
        try:
            fn(*args)
        except Exception as e:       # a callback bug must not stop all supervision
            sys.stderr.write(f"shepherd: monitor callback failed: {e!r}\n")
