"""Writing files without ever clobbering a user's file: create-only and atomic replace.

Every file the package writes goes through here: `handbok new`, `handbok revise`, the
evidence import, the reminders and the `-o` output of `handbok check` / `handbok schema`.
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from pathlib import Path


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # e.g. Windows cannot open directories; the data itself is already synced
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def create_exclusive(path: Path, data: bytes) -> bool:
    """Write data to path only if path does not exist; False when it does. Never replaces a file.

    The content goes to a temporary file in the same directory and is fsynced; then os.link()
    gives it its real name. link() is atomic and fails with EEXIST if the name is taken (also by
    a dangling symlink), so a file that appeared since our check is never clobbered and readers
    never see a half-written entry. On filesystems without hard links we fall back to
    os.open(O_CREAT | O_EXCL), which still never overwrites.
    """
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # 0o666 & umask, like any new file
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            return False
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK,
                                 errno.ENOSYS):
                raise
            try:
                out_fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            except FileExistsError:
                return False
            with os.fdopen(out_fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
    finally:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
    _fsync_dir(path.parent)
    return True


def replace_file(target: Path, data: bytes) -> None:
    """Replace an existing file atomically (temp file in the same folder, fsync, os.replace), keeping
    its permissions, so that a crash never leaves a half-written document behind."""
    mode = stat.S_IMODE(target.stat().st_mode)
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    finally:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
    _fsync_dir(target.parent)


def write_file(path: Path, data: bytes, *, replace: bool) -> bool:
    """Write a user's file: create it, or (only when `replace`) replace it atomically.

    False, with nothing written, when something exists at `path` and `replace` is false (also
    when it appeared while we wrote). A symlink to a file is followed, so the file gets the data
    and the link stays. Anything else that exists, such as /dev/stdout or a named pipe, is
    written to as it is: there is no folder to put a temporary file in next to it.
    """
    if not os.path.lexists(path) and create_exclusive(path, data):
        return True
    if not replace:
        return False
    real = Path(os.path.realpath(path))
    if real.is_file():
        replace_file(real, data)
        return True
    with open(path, "wb") as handle:  # a device or a pipe (a folder raises IsADirectoryError here)
        handle.write(data)
    return True
