"""Run one query in a forked child process that can be stopped.

A query inside pyoxigraph or rdflib cannot be interrupted from Python: a runaway property
path ignores Ctrl-C and grows until the machine runs out of memory. So each query runs in
a child process forked from the one that holds the store (the store's memory is shared,
not copied). The parent reads the results as they come, and kills the child when the
time limit passes, when Ctrl-C arrives, or when the reader stops early. In the child:

- the parent watches the child's resident memory and kills it when it grows by more
  than ``memory_mb`` (an address-space rlimit does not work: RocksDB reserves address
  space it never uses);
- without ``network``, the child cannot open an internet socket (a seccomp filter makes
  ``socket(AF_INET/AF_INET6)`` fail with ENETUNREACH; where seccomp is missing, no new
  file descriptor at all may be opened), so the store itself cannot reach a server: a
  SERVICE clause that some parser trick hid from a syntax check still sends nothing.

Messages are pickled tuples sent over a pipe with a length prefix: ``("items", [...])``
for each batch of results, ``("end",)`` at the end, ``("error", kind, text)`` on failure.
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
WATCH_EVERY = 0.1  # seconds between checks of the child's memory and the time limit
PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


class WorkerError(Exception):
    """The query failed in the child; ``kind`` says how (timeout, memory, network, error)."""

    def __init__(self, kind: str, message: str):
        self.kind = kind
        super().__init__(message)


def can_fork() -> bool:
    return hasattr(os, "fork") and resource is not None


def run(
    prepare: Callable[[], object],
    produce: Callable[[object], Iterator[object]],
    *,
    timeout: float | None,
    memory_mb: int | None,
    network: bool,
    describe_error: Callable[[BaseException], tuple[str, str]],
) -> Iterator[object]:
    """Yield what ``produce(prepare())`` yields, computed in a child process.

    ``prepare`` runs in the child before the limits apply (open files there);
    ``describe_error`` turns an exception raised in the child into (kind, message).
    """
    if not can_fork():  # no fork (Windows): run here, without limits
        yield from produce(prepare())
        return
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(read_end)
        _child(write_end, prepare, produce, network, describe_error)
    os.close(write_end)
    deadline = time.monotonic() + timeout if timeout else None
    watch = _memory_watch(pid, memory_mb)
    finished = False
    try:
        while True:
            message = _receive(read_end, deadline, timeout, watch)
            if message is None:
                finished = True  # the child is gone: reap it, kill nothing
                raise WorkerError("died", _death(pid, memory_mb))
            if message[0] == "items":
                yield from message[1]
            elif message[0] == "end":
                finished = True
                return
            else:
                raise WorkerError(message[1], message[2])
    finally:
        os.close(read_end)
        _stop(pid, finished)


def _child(write_end, prepare, produce, network, describe_error) -> None:
    status = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
        prepared = prepare()
        if not network:
            forbid_network()
        batch = []
        for item in produce(prepared):
            batch.append(item)
            if len(batch) >= BATCH:
                _send(write_end, ("items", batch))
                batch = []
        _send(write_end, ("items", batch))
        _send(write_end, ("end",))
    except BaseException as exc:  # noqa: BLE001 - everything goes back to the parent
        try:
            kind, message = describe_error(exc)
            _send(write_end, ("error", kind, message))
        except BaseException:  # noqa: BLE001
            status = 1
    finally:
        os._exit(status)


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


def _stop(pid: int, finished: bool) -> None:
    """Reap the child; kill it first unless it finished on its own."""
    if not finished:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass


def _death(pid: int, memory_mb: int | None) -> str:
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
    """A check to call now and then: raises when the child grew by more than memory_mb."""
    if not memory_mb:
        return lambda: None
    base = _resident(os.getpid()) or 0  # the child starts sharing all of it

    def check() -> None:
        used = _resident(pid)
        if used is not None and used - base > memory_mb * 1024 * 1024:
            raise WorkerError(
                "memory",
                f"the query needed more than {memory_mb} MiB of memory and was stopped",
            )

    return check


def forbid_network() -> None:
    """Make every later internet socket fail in this process (Linux seccomp, else fds)."""
    if not _seccomp_no_inet():
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
