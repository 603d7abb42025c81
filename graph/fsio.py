"""Files mechgraph writes and reads: whole or not at all, never through a planted link, bounded in size.

Writing. Every output is written to a fresh hidden temporary beside its destination
(`.NAME.mechgraph-PID-RANDOM.tmp`, created with O_EXCL | O_NOFOLLOW, so neither a planted file nor
a planted link can redirect the write), flushed to disk (fsync), and renamed over the destination,
which is atomic: a reader sees the old file or the new one, never half of one. A destination that
is a symbolic link, a device or another non-regular file is refused (mechgraph does not write
through links). A `Publication` stages several outputs and renames them together with SIGINT,
SIGTERM and SIGHUP held back, so a `build` publishes all its files or none (the renames take
microseconds; only a SIGKILL inside them could split them). Temporaries are removed on every exit:
by the `with` block on an exception, by `install_signal_handlers` (the CLI turns SIGTERM and SIGHUP
into an exception that unwinds like Ctrl-C), and at interpreter exit; temporaries a SIGKILLed
process left are removed by the next write into that folder (the dead process's pid is in their
name). A folder output (neo4j-admin) is staged as a hidden folder and swapped in with one
renameat2(RENAME_EXCHANGE), so the old folder stays whole until the new one replaces it.

Reading. `read_limited` checks a file's size before reading a byte of it and never reads past
its limit (a FIFO or /dev/zero included); `gunzip_limited` stops decompressing at a limit, so a
small .gz cannot unpack to gigabytes. Each refusal names the limit and the option that raises it.

Text on the terminal. `escape_controls` turns control characters (ESC, carriage return, C1
codes, bidirectional overrides) into visible `\\uXXXX` escapes; `SanitizedStream` applies it to
everything the CLI prints, so names in the data cannot move the cursor or recolour the
terminal, and JSON output stays valid (the escapes are JSON escapes of the same characters).

This module imports only `errors`; every layer may use it.
"""

from __future__ import annotations

import atexit
import errno
import os
import re
import shutil
import signal
import stat
import threading
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

from .errors import InputTooLarge, MechGraphError, OutputError

TAG = "mechgraph"
_TEMP_RE = re.compile(r"^\..*\." + TAG + r"-(\d+)-[0-9a-f]{12}\.tmp$")
_MAX_NAME_IN_TEMP = 120  # a 255-byte name still leaves room for the temporary's prefix and suffix
HELD_SIGNALS = tuple(s for s in (getattr(signal, n, None) for n in ("SIGINT", "SIGTERM", "SIGHUP")) if s is not None)


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP, raised in the main thread so `finally` blocks run as for Ctrl-C."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


# --- what went wrong, in words --------------------------------------------------------------------

_REASONS = {
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
    errno.ENOSPC: "no space left on the device",
    errno.EDQUOT: "disk quota exceeded",
    errno.EFBIG: "file too large (a file size limit such as `ulimit -f`?)",
    errno.ENAMETOOLONG: "the file name is too long",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.EISDIR: "it is a folder",
    errno.ENOENT: "no such file or folder",
    errno.ELOOP: "too many symbolic links",
    errno.EEXIST: "it already exists",
    errno.EIO: "input/output error",
    errno.EXDEV: "the temporary and the destination are on different file systems",
    errno.EBUSY: "the file or folder is busy",
    errno.EPIPE: "the reader went away (broken pipe)",
}


def reason(e: BaseException) -> str:
    """A short human reason for an OSError (errno first, so every locale reads the same)."""
    if isinstance(e, OSError) and e.errno in _REASONS:
        return _REASONS[e.errno]
    if isinstance(e, OSError) and e.strerror:
        return e.strerror.lower()
    return str(e) or type(e).__name__


def cannot_write(dest: Path | str, e: BaseException) -> OutputError:
    return OutputError(f"cannot write {dest}: {reason(e)}")


# --- the temporaries of this process --------------------------------------------------------------

_live: dict[str, bool] = {}  # path -> is a folder; removed on any exit
_live_lock = threading.Lock()


def _register(path: Path, is_dir: bool) -> None:
    with _live_lock:
        _live[str(path)] = is_dir


def _forget(path: Path) -> None:
    with _live_lock:
        _live.pop(str(path), None)


def _remove(path: str, is_dir: bool) -> None:
    try:
        if is_dir:
            st = os.lstat(path)
            if stat.S_ISDIR(st.st_mode):
                shutil.rmtree(path, ignore_errors=True)
            else:
                os.unlink(path)
        else:
            os.unlink(path)
    except OSError:
        pass


def remove_temporaries() -> None:
    """Remove every temporary this process still holds (run at exit and on a second signal)."""
    with _live_lock:
        items = list(_live.items())
        _live.clear()
    for path, is_dir in items:
        _remove(path, is_dir)


atexit.register(remove_temporaries)


def live_temporaries() -> list[str]:
    """The temporaries this process holds now (for tests)."""
    with _live_lock:
        return sorted(_live)


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep_stale(folder: Path, name: str) -> None:
    """Remove temporaries for `name` in `folder` whose writer is dead (a SIGKILLed process)."""
    prefix = "." + name[:_MAX_NAME_IN_TEMP] + "."
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if not entry.name.startswith(prefix):
            continue
        m = _TEMP_RE.match(entry.name)
        if not m or _pid_alive(int(m.group(1))):
            continue
        try:
            st = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if st.st_uid != os.getuid():
            continue
        _remove(entry.path, stat.S_ISDIR(st.st_mode))


def temp_name(dest: Path) -> Path:
    """A fresh hidden name beside `dest` that says which process made it."""
    return dest.with_name(f".{dest.name[:_MAX_NAME_IN_TEMP]}.{TAG}-{os.getpid()}-{os.urandom(6).hex()}.tmp")


# --- destinations ---------------------------------------------------------------------------------


def check_destination(dest: Path, *, folder: bool = False) -> None:
    """Refuse a destination mechgraph must not replace: a link, a device, a FIFO; a folder where a
    file goes (or a file where a folder goes)."""
    try:
        st = os.lstat(dest)
    except FileNotFoundError:
        return
    except OSError as e:
        raise cannot_write(dest, e) from None
    if stat.S_ISLNK(st.st_mode):
        raise OutputError(f"cannot write {dest}: it is a symbolic link (to {os.readlink(dest)}); mechgraph never "
                          "writes "
                          "through a link: remove it or choose another name")
    if folder:
        if not stat.S_ISDIR(st.st_mode):
            raise OutputError(f"cannot write the folder {dest}: a file of that name exists")
        return
    if stat.S_ISDIR(st.st_mode):
        raise OutputError(f"cannot write {dest}: it is a folder; give a file name")
    if not stat.S_ISREG(st.st_mode):
        raise OutputError(f"cannot write {dest}: it is not a regular file (a device, FIFO or socket)")


def ensure_folder(folder: Path, *, create: bool = True) -> None:
    """Make sure `folder` exists (creating it and its parents when `create`), with a clear error otherwise."""
    folder = folder if str(folder) else Path(".")
    try:
        st = os.stat(folder)
    except FileNotFoundError:
        if not create:
            raise OutputError(f"cannot write into {folder}: no such folder") from None
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except FileExistsError:
            raise OutputError(f"cannot write into {folder}: a part of that path is a file, not a folder") from None
        except OSError as e:
            raise OutputError(f"cannot create the folder {folder}: {reason(e)}") from None
        return
    except NotADirectoryError:
        raise OutputError(f"cannot write into {folder}: a part of that path is a file, not a folder") from None
    except OSError as e:
        raise OutputError(f"cannot write into {folder}: {reason(e)}") from None
    if not stat.S_ISDIR(st.st_mode):
        raise OutputError(f"cannot write into {folder}: it is a file, not a folder")


# --- signals --------------------------------------------------------------------------------------

_signals_seen: list[int] = []


def interrupted() -> int | None:
    """The first signal (SIGINT, SIGTERM, SIGHUP) the CLI's handler caught, or None."""
    return _signals_seen[0] if _signals_seen else None


def reset_signals() -> None:
    """Forget the signals seen (each CLI run in one process starts afresh)."""
    _signals_seen.clear()


def _on_signal(signum: int, _frame: Any) -> None:
    if _signals_seen:  # a second signal: no more unwinding, remove what we hold and go
        remove_temporaries()
        os._exit(128 + signum)
    _signals_seen.append(signum)
    if signum == signal.SIGINT:
        raise KeyboardInterrupt
    raise Terminated(signum)


def install_signal_handlers() -> None:
    """SIGINT, SIGTERM and SIGHUP raise in the main thread, so every `finally` (and `Publication`)
    cleans up; a second signal removes the temporaries and exits at once."""
    if threading.current_thread() is not threading.main_thread():
        return
    for s in HELD_SIGNALS:
        if signal.getsignal(s) is signal.SIG_IGN:  # nohup and friends: leave ignored signals ignored
            continue
        signal.signal(s, _on_signal)


class _HeldSignals:
    """SIGINT, SIGTERM and SIGHUP held back in the main thread and delivered when the block ends.

    Two layers: the signals are blocked (so the OS keeps them pending), and their Python handlers
    are swapped for a recorder (a signal that arrived just before the block has already tripped
    Python's flag and would otherwise run its handler between two renames)."""

    def __enter__(self) -> None:
        self.active = threading.current_thread() is threading.main_thread() and hasattr(signal, "pthread_sigmask")
        if not self.active:
            return
        self.pending: list[int] = []
        self.handlers = {s: signal.getsignal(s) for s in HELD_SIGNALS}
        self.old_mask = signal.pthread_sigmask(signal.SIG_BLOCK, HELD_SIGNALS)
        for s, h in self.handlers.items():
            if h is not None and h is not signal.SIG_IGN:
                signal.signal(s, lambda n, _f: self.pending.append(n))

    def __exit__(self, *exc: Any) -> None:
        if not self.active:
            return
        for s, h in self.handlers.items():
            if h is not None and h is not signal.SIG_IGN:
                signal.signal(s, h)
        signal.pthread_sigmask(signal.SIG_SETMASK, self.old_mask)
        for s in self.pending:
            signal.raise_signal(s)


# --- atomic publication ---------------------------------------------------------------------------

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    import ctypes  # only a folder swap needs it

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _fsync_path(path: Path, is_dir: bool = False) -> None:
    try:
        fd = os.open(path, os.O_RDONLY | (os.O_DIRECTORY if is_dir else 0) | os.O_NOFOLLOW)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _fsync_tree(folder: Path) -> None:
    for root, _dirs, files in os.walk(folder):
        for f in files:
            _fsync_path(Path(root) / f)
        _fsync_path(Path(root), True)


class Publication:
    """Outputs staged beside their destinations and published together, or not at all.

        with Publication() as pub:
            write_json(g, pub.file(out / "gcpm.json"))
            write_graphml(g, pub.file(out / "gcpm.graphml"))
        # both renamed into place here, or (on any exception or signal) neither, temporaries removed

    `file(dest)` returns a fresh empty temporary to write; `folder(dest)` a fresh empty temporary
    folder that replaces the folder `dest`; `staging(near)` a temporary folder for a writer that
    writes several files, each then named with `adopt(staged, dest)`. An OSError inside the block
    becomes one OutputError naming the destination being written.
    """

    def __init__(self, *, create_folders: bool = True):
        self.create_folders = create_folders
        self._moves: list[tuple[Path, Path, bool]] = []  # (staged, destination, is a folder)
        self._temps: list[tuple[Path, bool]] = []
        self._current: Path | None = None
        self.published: list[Path] = []

    # staging
    def _prepare(self, dest: Path, folder: bool) -> Path:
        dest = Path(dest)
        if not dest.name or dest.name in (".", ".."):
            raise OutputError(f"cannot write {dest}: give a file name")
        if any(d == dest for _, d, _ in self._moves):
            raise OutputError(f"cannot write {dest} twice in one command; give each output its own name")
        ensure_folder(dest.parent, create=self.create_folders)
        check_destination(dest, folder=folder)
        sweep_stale(dest.parent if str(dest.parent) else Path("."), dest.name)
        self._current = dest
        return dest

    def file(self, dest: Path | str) -> Path:
        """A new empty temporary beside `dest`, to write; it replaces `dest` when published."""
        dest = self._prepare(Path(dest), False)
        for _ in range(20):
            tmp = temp_name(dest)
            try:
                fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o666)
            except FileExistsError:
                continue
            except OSError as e:
                raise cannot_write(dest, e) from None
            os.close(fd)
            _register(tmp, False)
            self._temps.append((tmp, False))
            self._moves.append((tmp, dest, False))
            return tmp
        raise OutputError(f"cannot write {dest}: no free temporary name beside it")

    def _new_folder(self, dest: Path) -> Path:
        for _ in range(20):
            tmp = temp_name(dest)
            try:
                os.mkdir(tmp, 0o777)
            except FileExistsError:
                continue
            except OSError as e:
                raise cannot_write(dest, e) from None
            _register(tmp, True)
            self._temps.append((tmp, True))
            return tmp
        raise OutputError(f"cannot write {dest}: no free temporary name beside it")

    def folder(self, dest: Path | str) -> Path:
        """A new empty temporary folder beside `dest`; it replaces the folder `dest` when published."""
        dest = self._prepare(Path(dest), True)
        tmp = self._new_folder(dest)
        self._moves.append((tmp, dest, True))
        return tmp

    def staging(self, near: Path | str) -> Path:
        """A temporary folder beside `near`, for a writer that writes several files there; name
        each with `adopt`."""
        near = self._prepare(Path(near), False)
        return self._new_folder(near)

    def adopt(self, staged: Path | str, dest: Path | str) -> None:
        """Publish `staged` (a file inside a `staging` folder) as `dest`."""
        dest = self._prepare(Path(dest), False)
        self._moves.append((Path(staged), dest, False))

    # publishing
    def publish(self) -> list[Path]:
        """Flush everything staged to disk, then rename it all into place with signals held."""
        try:
            for staged, dest, is_dir in self._moves:
                self._current = dest
                if is_dir:
                    _fsync_tree(staged)
                else:
                    if not os.path.lexists(staged):
                        raise OutputError(f"cannot write {dest}: the writer produced no file")
                    _fsync_path(staged)
            for _staged, dest, is_dir in self._moves:  # checked again just before the renames
                check_destination(dest, folder=is_dir)
            with _HeldSignals():
                for staged, dest, is_dir in self._moves:
                    self._current = dest
                    if is_dir and os.path.lexists(dest):
                        if not _exchange(staged, dest):
                            old = self._new_folder(dest)
                            os.rmdir(old)
                            os.rename(dest, old)
                            os.rename(staged, dest)
                            staged = old
                        # the old folder now sits at the temporary's name; removed below
                    else:
                        os.rename(staged, dest)
                        _forget(staged)
                    self.published.append(dest)
                for parent in {d.parent for _, d, _ in self._moves}:
                    _fsync_path(parent if str(parent) else Path("."), True)
        except OSError as e:
            raise cannot_write(self._current or "the output", e) from None
        finally:
            self.discard()
        self._moves = []
        return self.published

    def discard(self) -> None:
        """Remove every temporary still held (published ones are already gone)."""
        for tmp, is_dir in self._temps:
            _remove(str(tmp), is_dir)
            _forget(tmp)
        self._temps = []

    def __enter__(self) -> Publication:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if kind is None:
            self.publish()
            return
        self.discard()
        if isinstance(exc, OSError) and not isinstance(exc, MechGraphError):
            raise cannot_write(self._current or "the output", exc) from None


def write_text(dest: Path | str, text: str, *, encoding: str = "utf-8", create_folders: bool = True) -> Path:
    """Write `text` to `dest` atomically (see Publication); return `dest`."""
    dest = Path(dest)
    with Publication(create_folders=create_folders) as pub:
        tmp = pub.file(dest)
        with open(tmp, "w", encoding=encoding, newline="") as f:
            f.write(text)
    return dest


def write_with(dest: Path | str, writer: Callable[[Path], Any], *, create_folders: bool = True) -> Path:
    """Let `writer(path)` write a temporary, then publish it as `dest`; return `dest`."""
    dest = Path(dest)
    with Publication(create_folders=create_folders) as pub:
        writer(pub.file(dest))
    return dest


# --- bounded reading ------------------------------------------------------------------------------

MB = 1_000_000


def size_text(n: float) -> str:
    for unit, f in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= f:
            return f"{n / f:.3g} {unit}"
    return f"{int(n)} bytes"


def read_limited(path: Path | str, limit: int, *, what: str = "file", raise_with: str = "") -> bytes | bytearray:
    """The bytes of `path`, refusing (before reading) a file over `limit` bytes; a FIFO or device is
    read only up to the limit. `raise_with` says how to raise the limit, for the message."""
    path = Path(path)
    hint = f"; {raise_with}" if raise_with else ""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC | getattr(os, "O_NONBLOCK", 0))
    except IsADirectoryError:
        raise InputTooLarge(f"{path}: is a folder, not a {what}") from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(errno.EISDIR, "is a folder", str(path))
        if stat.S_ISREG(st.st_mode) and st.st_size > limit:
            raise InputTooLarge(f"{path}: {what} is {size_text(st.st_size)}, over the limit of "
                                f"{size_text(limit)}{hint}")
        if not stat.S_ISREG(st.st_mode):
            os.set_blocking(fd, True)
        data = bytearray()
        while True:
            chunk = os.read(fd, min(1 << 20, limit + 1 - len(data)))
            if not chunk:
                break
            data += chunk
            if len(data) > limit:
                raise InputTooLarge(f"{path}: {what} is over the limit of {size_text(limit)}{hint}")
        return bytes(data) if len(data) < (1 << 20) else data
    finally:
        os.close(fd)


def gunzip_limited(data: bytes | bytearray, limit: int, *, where: str = "", raise_with: str = "") -> bytearray:
    """Decompress gzip `data` (several members allowed), refusing output over `limit` bytes without
    ever producing more than that."""
    hint = f"; {raise_with}" if raise_with else ""
    out = bytearray()
    rest = bytes(data)
    while rest:
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        while True:
            out += d.decompress(rest, max(1, limit + 1 - len(out)))
            if len(out) > limit:
                raise InputTooLarge(f"{where}: unpacks to over {size_text(limit)}, the limit for a gzipped input{hint}")
            rest = d.unconsumed_tail
            if d.eof:
                rest = d.unused_data
                break
            if not rest:
                raise zlib.error("the gzip stream is truncated")
        rest = rest.lstrip(b"\x00")  # padding after the last member
    return out


# --- text on the terminal -------------------------------------------------------------------------

# C0 controls except tab and newline, DEL, C1 controls, and Unicode's invisible direction overrides
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def escape_controls(text: str) -> str:
    """`text` with control characters as visible `\\uXXXX` escapes (newline and tab kept)."""
    return _CONTROLS.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class SanitizedStream:
    """A text stream that writes `escape_controls(text)` to the stream it wraps."""

    def __init__(self, stream: Any):
        self._stream = stream

    @property
    def wrapped(self) -> Any:
        return self._stream

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError("SanitizedStream writes text")
        return self._stream.write(escape_controls(text))

    def writelines(self, lines: Iterator[str]) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def unfiltered(stream: Any) -> Any:
    """The stream under a SanitizedStream (for progress bars, which draw with carriage returns)."""
    return stream.wrapped if isinstance(stream, SanitizedStream) else stream
