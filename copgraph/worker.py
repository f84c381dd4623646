"""Run queries in a forked child process that can be stopped.

A query inside pyoxigraph or rdflib cannot be interrupted from Python: a runaway property
path ignores Ctrl-C and grows until the machine runs out of memory. So queries run in a
worker: a child process forked from the one that holds the store (the store's memory is
shared, not copied), kept for the next query, killed and replaced when a query must be
stopped. The parent reads the results as they come, and kills the worker when the time
limit passes, when Ctrl-C arrives, when the reader stops early, or when the worker's
resident memory grows by more than ``memory_mb`` during a query (an address-space
rlimit does not work: RocksDB reserves address space it never uses).

Without ``network``, the worker cannot open an internet socket (a seccomp filter makes
``socket(AF_INET/AF_INET6)`` fail with ENETUNREACH; where seccomp is missing and the
store needs no files, no new file descriptor at all may be opened), so the store itself
cannot reach a server: a SERVICE clause that some parser trick hid from a syntax check
still sends nothing.

Messages are pickled tuples sent over pipes with a length prefix: a request, then
``("items", [...])`` for each batch of results, ``("end",)`` at the end, or
``("error", kind, text)``.
"""

from __future__ import annotations

import ctypes
import errno
import os
import pickle
import platform
import select
import signal
import struct
import time
from collections.abc import Callable, Iterator

try:
    import resource
except ImportError:  # not on Windows, where there is no fork either
    resource = None

BATCH = 1000
HEADER = struct.Struct("!Q")
WATCH_EVERY = 0.1  # seconds between checks of the worker's memory and the time limit
PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


class WorkerError(Exception):
    """The query failed in the worker; ``kind`` says how (timeout, memory, network, error)."""

    def __init__(self, kind: str, message: str):
        self.kind = kind
        super().__init__(message)


def can_fork() -> bool:
    return hasattr(os, "fork") and resource is not None


class Worker:
    """A child process that runs one request at a time: ``produce(prepare(), request)``.

    ``prepare`` runs in the worker for each request (open a persisted store there) and
    ``release`` undoes it; ``describe_error`` turns an exception raised in the worker into
    (kind, message). ``needs_files``: the store opens files while it reads (RocksDB), so
    where seccomp is missing the worker may not be cut off from every new file.
    """

    def __init__(
        self,
        prepare: Callable[[], object],
        produce: Callable[[object, object], Iterator[object]],
        describe_error: Callable[[BaseException, object], tuple[str, str]],
        *,
        release: Callable[[object], None] = lambda prepared: None,
        network: bool = False,
        needs_files: bool = False,
    ):
        self.prepare, self.produce, self.release = prepare, produce, release
        self.describe_error = describe_error
        self.network, self.needs_files = network, needs_files
        self.pid: int | None = None
        self._requests = self._results = -1
        self.busy = False  # a request's results are still being read

    def run(self, request, *, timeout: float | None, memory_mb: int | None) -> Iterator:
        """Yield the request's results; stop the worker if they are not all read."""
        if not can_fork():  # no fork (Windows): run here, without limits
            yield from self._inline(request)
            return
        if self.busy:
            raise RuntimeError("the worker is still answering another request")
        self._start()
        self.busy = True
        _send(self._requests, request)
        deadline = time.monotonic() + timeout if timeout else None
        watch = _memory_watch(self.pid, memory_mb)
        settled = False  # the worker answered in full and can take the next request
        try:
            while True:
                message = _receive(self._results, deadline, timeout, watch)
                if message is None:
                    reason = _death(self.pid)
                    self.pid = None
                    raise WorkerError("died", reason)
                if message[0] == "items":
                    yield from message[1]
                elif message[0] == "end":
                    settled = True
                    return
                else:
                    settled = True
                    raise WorkerError(message[1], message[2])
        finally:
            self.busy = False
            if not settled:
                self.stop()

    def _inline(self, request) -> Iterator:
        prepared = self.prepare()
        try:
            yield from self.produce(prepared, request)
        finally:
            self.release(prepared)

    def _start(self) -> None:
        if self.pid is not None:
            return
        request_read, request_write = os.pipe()
        result_read, result_write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the worker: never returns
            os.close(request_write)
            os.close(result_read)
            self._serve(request_read, result_write)
        os.close(request_read)
        os.close(result_write)
        self.pid, self._requests, self._results = pid, request_write, result_read

    def _serve(self, requests: int, results: int) -> None:
        status = 0
        try:
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
            _die_with_parent()
            _close_other_files(keep=(requests, results))
            if not self.network:
                forbid_network(allow_files=self.needs_files)
            while True:
                request = _receive(requests, None, None, lambda: None)
                if request is None:  # the parent closed the pipe: done
                    break
                self._answer(request, results)
        except BaseException:  # noqa: BLE001 - a broken pipe: the parent has gone
            status = 1
        finally:
            os._exit(status)

    def _answer(self, request, results: int) -> None:
        prepared = None
        try:
            prepared = self.prepare()
            batch = []
            for item in self.produce(prepared, request):
                batch.append(item)
                if len(batch) >= BATCH:
                    _send(results, ("items", batch))
                    batch = []
            _send(results, ("items", batch))
            _send(results, ("end",))
        except (BrokenPipeError, ConnectionError):
            raise
        except BaseException as exc:  # noqa: BLE001 - everything goes back to the parent
            kind, message = self.describe_error(exc, request)
            _send(results, ("error", kind, message))
        finally:
            if prepared is not None:
                self.release(prepared)

    def stop(self) -> None:
        """Kill the worker (if any) and reap it; the next request starts a new one."""
        if self.pid is None:
            return
        for fd in (self._requests, self._results):
            try:
                os.close(fd)
            except OSError:
                pass
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass
        self.pid = None

    def __del__(self):
        try:
            self.stop()
        except Exception:  # noqa: BLE001 - at interpreter exit, os may be half gone
            pass


def _close_other_files(keep: tuple[int, ...]) -> None:
    """Close every inherited descriptor but stdio and ``keep``.

    A worker lives long: holding a copy of another process's pipe (a browser driver's,
    a sibling worker's) would keep that pipe from ever reporting its end.
    """
    highest = os.sysconf("SC_OPEN_MAX") if hasattr(os, "sysconf") else 4096
    low = 3
    for fd in sorted(keep):
        os.closerange(low, fd)
        low = fd + 1
    os.closerange(low, highest)


def _die_with_parent() -> None:
    """Linux: the worker gets SIGKILL when the process that forked it ends."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _send(fd: int, message: tuple) -> None:
    body = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(HEADER.pack(len(body)) + body)
    while view:
        view = view[os.write(fd, view) :]


def _receive(fd: int, deadline, timeout, watch) -> tuple | None:
    header = _read_exactly(fd, HEADER.size, deadline, timeout, watch)
    if header is None:
        return None
    body = _read_exactly(fd, HEADER.unpack(header)[0], deadline, timeout, watch)
    if body is None:
        return None
    return pickle.loads(body)


def _read_exactly(fd: int, size: int, deadline, timeout, watch):
    chunks, left = [], size
    while left:
        wait = WATCH_EVERY if deadline is None else min(WATCH_EVERY, deadline - time.monotonic())
        if wait <= 0:
            raise WorkerError("timeout", f"the query ran longer than {timeout:g} s and was stopped")
        ready, _, _ = select.select([fd], [], [], wait)
        watch()
        if not ready:
            continue
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _death(pid: int) -> str:
    try:
        _, status = os.waitpid(pid, 0)
    except ChildProcessError:
        return "the query process ended without an answer"
    if os.WIFSIGNALED(status):
        name = signal.Signals(os.WTERMSIG(status)).name
        return f"the query process stopped with {name} (out of memory?) without an answer"
    return "the query process ended without an answer"


def _resident(pid: int) -> int | None:
    """Resident memory of a process in bytes (Linux /proc), or None where unknown."""
    try:
        with open(f"/proc/{pid}/statm") as statm:
            return int(statm.read().split()[1]) * PAGE
    except (OSError, ValueError, IndexError):
        return None


def _memory_watch(pid: int, memory_mb: int | None):
    """A check to call now and then: raises when the worker grew by more than memory_mb."""
    if not memory_mb:
        return lambda: None
    base = _resident(pid) or 0

    def check() -> None:
        used = _resident(pid)
        if used is not None and used - base > memory_mb * 1024 * 1024:
            raise WorkerError(
                "memory",
                f"the query needed more than {memory_mb} MiB of memory and was stopped",
            )

    return check


def forbid_network(allow_files: bool = False) -> None:
    """Make every later internet socket fail in this process (Linux seccomp, else fds)."""
    if not _seccomp_no_inet() and not allow_files:
        _forbid_new_files()


def _forbid_new_files() -> None:
    """Cap the descriptor count at the lowest free one: no socket, no file can be opened."""
    probe = os.open(os.devnull, os.O_RDONLY)
    os.close(probe)
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (probe, hard))


# seccomp: (audit arch, socket syscall number) per machine
_SECCOMP_ARCH = {"x86_64": (0xC000003E, 41), "aarch64": (0xC00000B7, 198)}


def _seccomp_no_inet() -> bool:
    """Install a filter: socket(AF_INET|AF_INET6, ...) fails with ENETUNREACH. True if done."""
    arch = _SECCOMP_ARCH.get(platform.machine())
    if arch is None or not os.path.exists("/proc/self/status"):
        return False
    audit_arch, socket_nr = arch

    class Filter(ctypes.Structure):
        _fields_ = [
            ("code", ctypes.c_ushort),
            ("jt", ctypes.c_ubyte),
            ("jf", ctypes.c_ubyte),
            ("k", ctypes.c_uint),
        ]

    class Program(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(Filter))]

    load, jump_eq, ret = 0x20, 0x15, 0x06  # BPF_LD|W|ABS, BPF_JMP|JEQ|K, BPF_RET|K
    allow, deny = 0x7FFF0000, 0x00050000 | errno.ENETUNREACH
    program = [
        Filter(load, 0, 0, 4),  # arch
        Filter(jump_eq, 0, 5, audit_arch),
        Filter(load, 0, 0, 0),  # syscall number
        Filter(jump_eq, 0, 3, socket_nr),
        Filter(load, 0, 0, 16),  # first argument: the address family
        Filter(jump_eq, 2, 0, 2),  # AF_INET
        Filter(jump_eq, 1, 0, 10),  # AF_INET6
        Filter(ret, 0, 0, allow),
        Filter(ret, 0, 0, deny),
    ]
    filters = (Filter * len(program))(*program)
    prog = Program(len(program), filters)
    libc = ctypes.CDLL(None, use_errno=True)
    pr_set_no_new_privs, pr_set_seccomp, seccomp_mode_filter = 38, 22, 2
    if libc.prctl(pr_set_no_new_privs, 1, 0, 0, 0) != 0:
        return False
    return libc.prctl(pr_set_seccomp, seccomp_mode_filter, ctypes.byref(prog), 0, 0) == 0
