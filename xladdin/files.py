"""Writing files the way people expect: atomically, with the usual permissions,
never over a workbook someone has open, and without litter after a crash.

* A new file is first written to a temporary file beside its target, named
  ``.~<name>.<host>.<pid>.<random>.tmp``, then moved over the target in one step.
  A process killed in between leaves that temporary file behind; the next write
  into the same folder removes it once its process is gone (same host: the
  process id no longer runs; another host: after a day).
* Created files follow the umask (like any program's files); a replaced file
  keeps its permissions.
* A workbook that Excel or WPS (owner file ``~$<name>``) or LibreOffice
  (``.~lock.<name>#``) has open is not overwritten.

Messages are Chinese (``FileWriteError.message_zh``); stdlib only.
"""
from __future__ import annotations

import errno
import os
import re
import stat
import time
from typing import Iterable, Optional

#: Temporary files of another host are removed only after this long.
FOREIGN_TEMP_AGE = 24 * 3600
_HOST = re.sub(r"[^A-Za-z0-9-]", "", os.uname().nodename if hasattr(os, "uname") else os.environ.get("COMPUTERNAME", ""))[:20] or "host"
_TEMP = re.compile(r"\.~(?P<name>.+)\.(?P<host>[A-Za-z0-9-]+)\.(?P<pid>[0-9]+)\.[0-9a-f]{8}\.tmp\Z")


class FileWriteError(OSError):
    """A file could not be written; ``message_zh`` says why, for the user."""

    def __init__(self, message_zh: str, path: str | os.PathLike | None = None):
        super().__init__(message_zh)
        self.message_zh = message_zh
        self.path = os.fspath(path) if path is not None else None

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.message_zh


def _name(path) -> str:
    return os.path.basename(os.fspath(path)) or os.fspath(path)


# --------------------------------------------------------------------------
# Temporary files
# --------------------------------------------------------------------------


def temp_path(target: str | os.PathLike) -> str:
    """A fresh temporary name beside ``target`` that `remove_stale_temps` recognises."""
    folder, name = os.path.split(os.fspath(target))
    return os.path.join(folder, f".~{name}.{_HOST}.{os.getpid()}.{os.urandom(4).hex()}.tmp")


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name == "nt":  # os.kill would terminate the process there: judge by age instead
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: it runs under another user
        return True
    return True


def remove_stale_temps(folder: str | os.PathLike) -> list[str]:
    """Delete temporary files of ours in ``folder`` whose writer is gone; returns their names."""
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        m = _TEMP.match(entry.name)
        if m is None:
            continue
        try:
            age = now - entry.stat(follow_symlinks=False).st_mtime
            if not entry.is_file(follow_symlinks=False):
                continue
        except OSError:
            continue
        if m.group("host") == _HOST and os.name != "nt":
            stale = not _running(int(m.group("pid")))
        else:
            stale = age > FOREIGN_TEMP_AGE
        if stale:
            try:
                os.unlink(entry.path)
                removed.append(entry.name)
            except OSError:
                pass
    return removed


# --------------------------------------------------------------------------
# Files other programs hold open
# --------------------------------------------------------------------------


def open_elsewhere(path: str | os.PathLike) -> Optional[str]:
    """The Chinese reason ``path`` must not be overwritten now, or None.

    Excel and WPS keep an owner file ``~$<name>`` beside an open workbook,
    LibreOffice a lock file ``.~lock.<name>#``.
    """
    folder, name = os.path.split(os.path.abspath(os.fspath(path)))
    owner = "~$" + name
    if os.path.isfile(os.path.join(folder, owner)):
        return (
            f"文件正在 Excel 或 WPS 中打开（旁边有占用标记文件 {owner}），为免冲突未写入：{name}。"
            f"请先在 Excel/WPS 中关闭该文件后再试；如果确实没有打开，可删除 {owner} 后再试"
        )
    lock = f".~lock.{name}#"
    if os.path.isfile(os.path.join(folder, lock)):
        return (
            f"文件正在 LibreOffice 中打开（旁边有锁定文件 {lock}），为免冲突未写入：{name}。"
            f"请先在 LibreOffice 中关闭该文件后再试；如果确实没有打开，可删除 {lock} 后再试"
        )
    return None


# --------------------------------------------------------------------------
# Folders
# --------------------------------------------------------------------------


def make_folders(folder: str | os.PathLike) -> list[str]:
    """Create ``folder`` and its missing parents; returns the ones created, deepest first.
    Raises `FileWriteError`."""
    created = []
    folder = os.path.abspath(os.fspath(folder))
    while not os.path.isdir(folder):
        created.append(folder)
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    for path in reversed(created):
        try:
            os.mkdir(path)
        except FileExistsError:
            if not os.path.isdir(path):
                remove_empty_folders(created)
                raise FileWriteError(f"无法创建文件夹：已有同名文件 {path}", path) from None
        except OSError as error:
            remove_empty_folders(created)
            raise FileWriteError(f"无法创建文件夹：{path}（{reason_zh(error)}）", path) from error
    return created


def remove_empty_folders(created: Iterable[str]) -> None:
    """Undo `make_folders` after a failed write: remove those of its folders still empty."""
    for path in created:
        try:
            os.rmdir(path)
        except OSError:
            pass


# --------------------------------------------------------------------------
# Atomic writes
# --------------------------------------------------------------------------


def create_new(path: str | os.PathLike) -> int:
    """A new file opened for writing, with the permissions the umask gives (0666 & ~umask)."""
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)


def existing_mode(path: str | os.PathLike) -> Optional[int]:
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return None


_REASONS = {
    "ENOENT": "找不到该文件或文件夹",
    "ENOTDIR": "路径中有一部分是文件，而不是文件夹",
    "EEXIST": "已有同名的文件或文件夹",
    "EISDIR": "这是一个文件夹",
    "EACCES": "没有权限",
    "EPERM": "没有权限",
    "ENOSPC": "磁盘空间不足",
    "EDQUOT": "磁盘配额已用完",
    "EROFS": "磁盘是只读的",
    "ENAMETOOLONG": "文件名过长",
    "EBUSY": "文件正被其他程序使用",
}


def reason_zh(error: OSError) -> str:
    """A Chinese reason for an OS error (the system's own text is often English)."""
    code = errno.errorcode.get(error.errno or 0, "")
    return _REASONS.get(code) or f"系统错误 {code or error.errno or '未知'}"


def _os_error(error: OSError, target: str) -> FileWriteError:
    if isinstance(error, FileWriteError):
        return error
    name = _name(target)
    if error.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return FileWriteError(f"磁盘空间不足，无法写入：{name}。请清理磁盘空间后重试", target)
    if isinstance(error, PermissionError):
        return FileWriteError(
            f"无法写入文件：{name}。文件可能正被 Excel 等程序打开，或没有写入权限；请关闭该文件后重试", target
        )
    if error.errno == errno.EROFS:
        return FileWriteError(f"无法写入文件：{name}。所在磁盘是只读的", target)
    if error.errno == errno.EISDIR or os.path.isdir(target):
        return FileWriteError(f"目标是一个文件夹，无法写入：{target}", target)
    if error.errno == errno.ENOENT:
        return FileWriteError(f"目标文件夹不存在：{os.path.dirname(target) or '.'}", target)
    code = errno.errorcode.get(error.errno or 0, "未知")
    return FileWriteError(f"写入文件失败：{name}（系统错误 {code}）", target)


def atomic_write(target: str | os.PathLike, chunks: Iterable[bytes], *, fsync: bool = False) -> None:
    """Write ``chunks`` to ``target`` through a temporary file beside it.

    Either the whole new file is in place afterwards, or ``target`` is as it
    was and no temporary file is left.  A replaced file keeps its permissions;
    a new one gets the umask's.  Raises `FileWriteError`.
    """
    target = os.fspath(target)
    folder = os.path.dirname(target) or "."
    remove_stale_temps(folder)
    tmp = temp_path(target)
    mode = existing_mode(target)
    fd = -1
    try:
        try:
            fd = create_new(tmp)
        except PermissionError as error:
            raise FileWriteError(f"没有权限在此文件夹中写入文件：{os.path.abspath(folder)}", target) from error
        with os.fdopen(fd, "wb") as fh:
            fd = -1
            for chunk in chunks:
                fh.write(chunk)
            fh.flush()
            if fsync:
                os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException as exc:
        if fd >= 0:
            os.close(fd)
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise _os_error(exc, target) from exc
        raise


def write_with(target: str | os.PathLike, produce) -> None:
    """Like `atomic_write`, for a library that writes to a path itself: ``produce(tmp)``
    fills the temporary file (created first, so it has the umask's permissions)."""
    target = os.fspath(target)
    folder = os.path.dirname(target) or "."
    remove_stale_temps(folder)
    tmp = temp_path(target)
    mode = existing_mode(target)
    try:
        try:
            os.close(create_new(tmp))
        except PermissionError as error:
            raise FileWriteError(f"没有权限在此文件夹中写入文件：{os.path.abspath(folder)}", target) from error
        produce(tmp)
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise _os_error(exc, target) from exc
        raise


# --------------------------------------------------------------------------
# Reading: regular files only
# --------------------------------------------------------------------------

_KINDS = (
    (stat.S_ISDIR, "文件夹"),
    (stat.S_ISFIFO, "命名管道"),
    (stat.S_ISCHR, "字符设备"),
    (stat.S_ISBLK, "块设备"),
    (stat.S_ISSOCK, "套接字"),
)


def not_regular(mode: int) -> Optional[str]:
    """What a file of this ``st_mode`` is when it is not a regular file (Chinese), else None."""
    if stat.S_ISREG(mode):
        return None
    return next((kind for test, kind in _KINDS if test(mode)), "特殊文件")


class NotRegularFile(OSError):
    """A path to read is a folder, a pipe, a device …: reading it could block or mean nothing."""

    def __init__(self, path: str | os.PathLike, kind: str):
        self.kind = kind
        self.message_zh = f"这是{kind}，不是普通文件，不能作为 Excel 工作簿读取：{_name(path)}"
        super().__init__(self.message_zh)


def open_regular(path: str | os.PathLike):
    """``path`` opened for reading in binary, if it is a regular file; raises `NotRegularFile`.

    Opened without blocking (a named pipe with no writer would hold ``open`` forever),
    then judged by the opened file's own status, so a file swapped in between cannot slip by.
    """
    try:
        kind = not_regular(os.stat(path).st_mode)
    except OSError:
        kind = None  # let open() report the real problem (missing, no permission …)
    if kind is not None:
        raise NotRegularFile(path, kind)
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        kind = not_regular(os.fstat(fd).st_mode)
        if kind is not None:
            raise NotRegularFile(path, kind)
        if getattr(os, "O_NONBLOCK", 0):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
