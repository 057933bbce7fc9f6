"""The edge where unadocs touches files: bounded reads, atomic writes, appends and locks that never follow a link.

Every output goes through here, so that the rules hold everywhere:

* a file is replaced whole (temporary file + rename): a reader, or a crash,
  never sees half a file;
* nothing is written *through* a symbolic link: a link planted where an
  output goes is replaced, never followed, and a file appended to must not
  be a link;
* new files get the user's umask (``0666 & ~umask``), like any other
  program's, unless they are secret (keys: always 0600);
* an input is read with a bound on its size, so that ``/dev/zero`` or a
  huge file is refused instead of filling the memory.
"""

from __future__ import annotations

import errno
import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import IO

from unadocs.errors import UnadocsError

__all__ = [
    "DEFERRED_FLUSH",
    "DirectoryLock",
    "atomic_write",
    "create_new_file",
    "create_secret_file",
    "flush_to_disk",
    "new_temporary",
    "open_for_append",
    "read_bounded",
    "temporary_path",
]

#: Whether :func:`flush_to_disk` can flush files written with ``durable=False`` (POSIX ``sync``).
DEFERRED_FLUSH = hasattr(os, "sync")
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


def temporary_path(path: Path) -> Path:
    """A fresh hidden name beside ``path`` (``.<name>.<random>.tmp``) for a file that will replace it."""
    return path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")


def _create_exclusive(path: Path, mode: int) -> int:
    """Create a new file (never an existing one, never through a link); ``mode`` is filtered by the umask."""
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC, mode)


def new_temporary(path: Path) -> tuple[Path, IO[bytes]]:
    """A new hidden file beside ``path``, open for writing, to be renamed over ``path`` when complete.

    It gets the user's umask, and is never created through a link. The
    caller renames it (``os.replace``) or deletes it.
    """
    temporary = temporary_path(path)
    return temporary, os.fdopen(_create_exclusive(temporary, 0o666), "wb")


def atomic_write(path: Path, data: bytes, *, durable: bool = True, secret: bool = False) -> None:
    """Write bytes through a temporary file in the same directory, then rename it over ``path``.

    The file gets the user's umask (``0666 & ~umask``), or 0600 when
    ``secret``. A symbolic link at ``path`` is replaced, never followed. The
    directory must exist: a mistyped output path is an error, not a new
    directory tree.

    ``durable`` waits until the bytes are on the disk. Without it the file
    is still whole for every reader and if the process is killed, but a
    power cut may lose it: a batch of thousands of files writes them so and
    flushes once at the end (:func:`flush_to_disk`), instead of waiting for
    the disk twice per certificate.
    """
    temporary = temporary_path(path)
    fd = _create_exclusive(temporary, 0o600 if secret else 0o666)
    try:
        with os.fdopen(fd, "wb") as out:
            if secret:
                os.fchmod(out.fileno(), 0o600)
            out.write(data)
            out.flush()
            if durable:
                os.fsync(out.fileno())
        os.replace(temporary, path)  # rename replaces a link at ``path`` itself, not what it points to
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def create_new_file(path: Path, data: bytes, *, secret: bool = False) -> None:
    """Create ``path`` whole and on the disk, or ``FileExistsError`` if it exists (never replaced, never through a
    link); with the umask, or mode 0600 whatever the umask when ``secret`` (private keys).

    Written to a temporary file first, then linked into place, which (unlike
    a rename) never replaces an existing file.
    """
    temporary = temporary_path(path)
    fd = _create_exclusive(temporary, 0o600 if secret else 0o666)
    try:
        if secret:
            os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.link(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def create_secret_file(path: Path, data: bytes) -> None:
    """A new file readable by its owner only (mode 0600): :func:`create_new_file` with ``secret``."""
    create_new_file(path, data, secret=True)


def open_for_append(path: Path) -> IO[str]:
    """Open a text file to append to, creating it with the umask; refuse a symbolic link (``OSError``, ELOOP)."""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | _NOFOLLOW | _CLOEXEC, 0o666)
    return os.fdopen(fd, "a", encoding="utf-8")


def read_bounded(
    path: Path, limit: int, what: str, error: Callable[[str], Exception] = UnadocsError
) -> bytes:
    """The bytes of a file of at most ``limit`` bytes; ``error("<path>: ...")`` when it is missing,
    unreadable or larger (a larger file, or an endless one like ``/dev/zero``, is never read whole)."""
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except FileNotFoundError:
        raise error(f"{path}: {what} not found") from None
    except IsADirectoryError:
        raise error(f"{path}: is a directory, not a {what}") from None
    except OSError as exc:
        raise error(f"{path}: cannot read the {what} ({exc.strerror or exc})") from None
    if len(data) > limit:
        raise error(f"{path}: larger than {_size(limit)}; not a {what}")
    return data


def _size(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"


def flush_to_disk() -> None:
    """Put every file written so far on the disk (``sync``): the end of a batch written with ``durable=False``."""
    if DEFERRED_FLUSH:
        os.sync()


class DirectoryLock:
    """An exclusive lock on an output directory, so that two runs never write into it at once.

    The lock is ``DIR/.unadocs.lock``, held with ``flock`` for the life of
    the run and removed at its end. The operating system releases the lock
    when the process dies, even by ``kill -9``, so a crashed run never leaves
    the directory locked (only the file, which the next run reuses). The file
    names the holder, so that a second run can say which one is running.
    """

    NAME = ".unadocs.lock"

    def __init__(self, directory: Path, holder: str) -> None:
        self.path = directory / self.NAME
        self._holder = holder
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock, or raise :class:`UnadocsError` naming the run that holds it."""
        import fcntl

        while True:
            fd = self._open()
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.read(fd, 1000).decode("utf-8", "replace").strip() or "another unadocs run"
                os.close(fd)
                raise UnadocsError(f"{self.path.parent} is in use by {holder}; wait until it ends, "
                                   "or write to another directory") from None
            # The holder before us may have removed the file after we opened it: then our lock guards nothing.
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(self.path, follow_symlinks=False))
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(fd)
        os.ftruncate(fd, 0)
        os.write(fd, self._holder.encode("utf-8"))
        self._fd = fd

    def _open(self) -> int:
        try:
            return os.open(self.path, os.O_RDWR | os.O_CREAT | _NOFOLLOW | _CLOEXEC, 0o666)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise UnadocsError(f"{self.path} is a symbolic link; unadocs never writes through one: "
                                   "remove it") from None
            raise UnadocsError(f"{self.path}: cannot create the lock file ({exc.strerror})") from None

    def release(self) -> None:
        if self._fd is not None:
            self.path.unlink(missing_ok=True)  # while still holding the lock (see acquire)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> DirectoryLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
