"""The edges every command shares: reading an input once, writing an output without destroying anything.

Inputs (``open_input``, ``read_lines``, ``read_bytes``): ``-`` is standard
input; a pipe or FIFO (``<(...)``) is read once, and the bytes hashed are the
bytes parsed; a missing file, a directory or an unreadable file is one clear
error. Lines are streamed in chunks, so memory stays bounded by the longest
line (``MAX_LINE``), not by the file: a run of blank lines costs nothing.

Outputs (``check_output``, ``write_output``): checked before any work (so a
score is never computed, printed and then lost); ``-`` is standard output; a
regular file, or one not there yet, is replaced atomically (temp file beside
it, then rename); a symbolic link is followed, so the link stays a link; a
device, FIFO or other non-regular file is written through, never replaced.

JSON (``parse_json``, and ``jsonl_records`` for each non-blank line, errors naming ``file:line``) refuses
what no troopclaims input holds and what would break later stages: NaN and Infinity, integers of more
than MAX_DIGITS digits, nesting deeper than MAX_DEPTH, and lone surrogates (not Unicode characters).
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import FormatError, TroopclaimsError

MiB = 2**20
MAX_LINE = 16 * MiB  # longest line accepted in a line-based input (JSONL, CoNLL)
CHUNK = MiB

_CONTENT = re.compile(rb"[^ \t\r\f\v\n]")  # the first character that makes a line not blank


MAX_DEPTH = 64  # JSON nesting: predictions need 4 levels; deeper is an attack on recursive code
MAX_DIGITS = 30  # digits of a JSON integer: offsets and counts need far fewer
_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")


class JSONError(ValueError):
    """JSON text that is not valid, or holds what ``parse_json`` refuses; the message says which and where."""


def _no_constant(name: str):
    raise JSONError(f"{name} is not a number JSON allows (use a number or null)")


def _int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_DIGITS:
        raise JSONError(f"an integer of {len(digits.lstrip('-'))} digits; at most {MAX_DIGITS} are allowed")
    return int(digits)


def _float(digits: str) -> float:
    value = float(digits)
    if value in (float("inf"), float("-inf")):
        raise JSONError(f"{digits[:20]}{'...' if len(digits) > 20 else ''} is beyond the range of a number")
    return value


_DECODER = json.JSONDecoder(parse_constant=_no_constant, parse_int=_int, parse_float=_float)


def _may_hold_surrogate(text: str) -> bool:
    """A surrogate escaped (then the strings are walked to see if it pairs) or raw (never valid)."""
    if _ESCAPED_SURROGATE.search(text):
        return True
    if text.isascii():
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _check_value(value, text: str) -> None:
    """Depth (a walk over the containers alone), then lone surrogates (the strings walked only when the
    text could hold one)."""
    stack = [(value, 1)] if isinstance(value, (dict, list)) else []
    while stack:
        v, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise JSONError(f"nested deeper than {MAX_DEPTH} levels")
        stack += [(x, depth + 1) for x in (v.values() if isinstance(v, dict) else v) if isinstance(x, (dict, list))]
    if not _may_hold_surrogate(text):
        return
    strings = [value]
    while strings:
        v = strings.pop()
        if isinstance(v, str):
            if m := re.search("[\ud800-\udfff]", v):
                raise JSONError(f"a lone surrogate \\u{ord(m[0]):04x} in a string (not a Unicode character)")
        elif isinstance(v, dict):
            strings += [*v, *v.values()]
        elif isinstance(v, list):
            strings += v


def parse_json(text: str, *, start: int | None = None):
    """``json.loads`` refusing NaN, Infinity, huge integers, deep nesting and lone surrogates (JSONError).

    ``start``: decode the one value beginning there and ignore what follows (``raw_decode``).
    """
    try:
        value = _DECODER.raw_decode(text, start)[0] if start is not None else _DECODER.decode(text)
    except json.JSONDecodeError as exc:
        raise JSONError(f"not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") from None
    except RecursionError:
        raise JSONError(f"nested deeper than {MAX_DEPTH} levels") from None
    except ValueError as exc:  # int() past Python's own digit limit
        if isinstance(exc, JSONError):
            raise
        raise JSONError(f"an integer of thousands of digits; at most {MAX_DIGITS} are allowed") from None
    _check_value(value, text)
    return value


class InputError(TroopclaimsError):
    """An input cannot be read: missing, a directory, unreadable, not UTF-8, too large."""


class OutputError(TroopclaimsError):
    """An output cannot be written: a directory, read-only, a parent that cannot be made, a full disk."""


def _reason(exc: OSError) -> str:
    return (exc.strerror or type(exc).__name__).lower()


def _input_error(name: str, exc: OSError, what: str) -> InputError:
    if isinstance(exc, FileNotFoundError):
        return InputError(f"{name}: no such file; expected {what}")
    if isinstance(exc, IsADirectoryError):
        return InputError(f"{name}: is a folder, not a file; expected {what}")
    if isinstance(exc, PermissionError):
        return InputError(f"{name}: cannot read it (permission denied); expected {what}")
    return InputError(f"{name}: cannot read it ({_reason(exc)}); expected {what}")


def check_input(path: str | os.PathLike, what: str = "a file") -> None:
    """Fail early, without reading (a FIFO can be read only once), when ``path`` cannot be an input file."""
    if str(path) == "-":
        return
    try:
        st = os.stat(path)
    except OSError as exc:
        raise _input_error(str(path), exc, what) from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(f"{path}: is a folder, not a file; expected {what}")
    if not os.access(path, os.R_OK):
        raise InputError(f"{path}: cannot read it (permission denied); expected {what}")


@contextmanager
def open_input(path: str | os.PathLike, what: str = "a file"):
    """A binary stream of ``path`` (``-``: standard input), opened once; errors name the path."""
    if str(path) == "-":
        yield sys.stdin.buffer
        return
    try:
        f = open(path, "rb")  # noqa: SIM115 - closed below
        if stat.S_ISDIR(os.fstat(f.fileno()).st_mode):
            f.close()
            raise IsADirectoryError(21, "Is a directory")
    except OSError as exc:
        raise _input_error(str(path), exc, what) from None
    with f:
        yield f


def display_name(path: str | os.PathLike) -> str:
    return "<stdin>" if str(path) == "-" else str(path)


class Lines:
    """The lines of one binary stream, read once in chunks, with the sha256 of every byte read.

    Iterating yields ``(line number, text)``: each line with content (UTF-8,
    without its line ending) and, for a run of blank or whitespace-only lines,
    one empty string with the number of the run's first line. ``digest`` is
    the sha256 of all bytes read, once iteration is done.
    """

    def __init__(self, stream, name: str, max_line: int = MAX_LINE):
        self.stream, self.name, self.max_line = stream, name, max_line
        self._sha = hashlib.sha256()
        self.size = 0

    @property
    def digest(self) -> str:
        return "sha256:" + self._sha.hexdigest()

    def _read(self) -> bytes:
        try:
            chunk = self.stream.read(CHUNK)
        except OSError as exc:
            raise InputError(f"{self.name}: reading failed after {self.size} bytes ({_reason(exc)})") from None
        self._sha.update(chunk)
        self.size += len(chunk)
        return chunk

    def _decode(self, raw: bytes, lineno: int) -> str:
        if len(raw) > self.max_line:
            raise InputError(f"{self.name}:{lineno}: line longer than {self.max_line // MiB} MiB; "
                             "one record per line, each at most that long")
        try:
            return raw.decode("utf-8").rstrip("\r")
        except UnicodeDecodeError as exc:
            raise InputError(f"{self.name}:{lineno}: not UTF-8 text ({exc.reason} at byte {exc.start} of the "
                             "line); save the file as UTF-8") from None

    def __iter__(self) -> Iterator[tuple[int, str]]:
        carry, lineno = b"", 0
        while chunk := self._read():
            buf = carry + chunk if carry else chunk
            cut = buf.rfind(b"\n") + 1
            body, carry = buf[:cut], buf[cut:]
            if len(carry) > self.max_line:
                self._decode(carry, lineno + 1)  # raises: too long
            pos = 0
            while pos < len(body):  # blank runs are counted in C (search, count), not line by line
                m = _CONTENT.search(body, pos)
                k = body.rfind(b"\n", pos, m.start()) if m else len(body) - 1
                start = pos if k < 0 else k + 1
                if start > pos:
                    yield lineno + 1, ""
                    lineno += body.count(b"\n", pos, start)
                if m is None:
                    break
                end = body.index(b"\n", m.start())
                lineno += 1
                yield lineno, self._decode(body[start:end], lineno)
                pos = end + 1
        if carry:
            lineno += 1
            yield lineno, "" if not carry.strip() else self._decode(carry, lineno)


def read_bytes(stream, name: str, limit: int,
               what: str = "a whole-file input; use a line-based format (JSONL) for bigger predictions"
               ) -> tuple[bytes, str]:
    """All of ``stream`` (at most ``limit`` bytes, else an error saying the limit is for ``what``) and its sha256."""
    try:
        data = stream.read(limit + 1)
    except OSError as exc:
        raise InputError(f"{name}: reading failed ({_reason(exc)})") from None
    if len(data) > limit:
        raise InputError(f"{name}: larger than {limit // MiB} MiB, the limit for {what}")
    return data, "sha256:" + hashlib.sha256(data).hexdigest()


def read_text(path: str | os.PathLike, what: str = "a UTF-8 text file") -> str:
    """A small text file, once, as UTF-8; every failure is an InputError naming the path."""
    with open_input(path, what) as f:
        data, _ = read_bytes(f, display_name(path), 64 * MiB, what)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(f"{display_name(path)}:{line}: not UTF-8 text ({exc.reason}); save it as UTF-8") from None


# ---------------------------------------------------------------- outputs


def _probe_dir(directory: Path, path: str, make: bool) -> None:
    """Can ``directory`` take a new file (``make``: a new subfolder)? Tried for real: permission bits
    do not bind root, and a read-only or full file system shows only when written."""
    try:
        if make:
            os.rmdir(tempfile.mkdtemp(dir=directory, prefix=".troopclaims-probe-"))
        else:
            fd, tmp = tempfile.mkstemp(dir=directory, prefix=".troopclaims-probe-")
            os.close(fd)
            os.unlink(tmp)
    except OSError as exc:
        what = "create a folder" if make else "write"
        raise OutputError(f"{path}: cannot {what} in {directory} ({_reason(exc)})") from None


def check_output(path: str | os.PathLike, what: str = "file") -> None:
    """Fail before any work when ``path`` cannot be written (``what``: ``file`` or ``folder``)."""
    shown = str(path)
    if shown == "-":
        if what == "folder":
            raise OutputError("'-' (standard output) cannot be a folder; give a folder name")
        return
    if not shown:
        raise OutputError("the output path is empty; give a folder name" if what == "folder" else
                          "the output path is empty; give a file name or '-' for standard output")
    try:
        st = os.stat(path)
    except FileNotFoundError:
        st = None
    except OSError as exc:  # e.g. a parent that is a file
        raise OutputError(f"{shown}: cannot write there ({_reason(exc)})") from None
    if what == "folder":
        if st is not None and not stat.S_ISDIR(st.st_mode):
            raise OutputError(f"{shown}: exists and is not a folder; give a folder name")
        if st is not None:
            if not st.st_mode & 0o222:
                raise OutputError(f"{shown}: the folder is read-only")
            _probe_dir(Path(path), shown, make=False)
            return
        target = Path(os.path.realpath(path))
    else:
        if st is not None and stat.S_ISDIR(st.st_mode):
            raise OutputError(f"{shown}: is a folder; give a file name (or '-' for standard output)")
        if st is not None and not stat.S_ISREG(st.st_mode):  # device, FIFO, socket: written through
            if not os.access(path, os.W_OK):
                raise OutputError(f"{shown}: cannot write to it (permission denied)")
            return
        if st is not None and not st.st_mode & 0o222:
            raise OutputError(f"{shown}: the file is read-only; remove it or choose another name")
        target = Path(os.path.realpath(path))
    parent = target.parent if what == "file" or st is None else target
    ancestor = parent
    while not ancestor.exists():
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise OutputError(f"{shown}: cannot create the folder {parent}: {ancestor} is not a folder")
    if not os.stat(ancestor).st_mode & 0o222:
        raise OutputError(f"{shown}: the folder {ancestor} is read-only")
    _probe_dir(ancestor, shown, make=ancestor != parent)


def write_output(path: str | os.PathLike, data: str | bytes) -> None:
    """Write ``data`` to ``path`` without ever replacing anything but a regular file (see module docstring)."""
    data = data.encode("utf-8") if isinstance(data, str) else data
    shown = str(path)
    if shown == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    try:
        st = os.stat(path)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise OutputError(f"{shown}: cannot write there ({_reason(exc)})") from None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise OutputError(f"{shown}: is a folder; give a file name (or '-' for standard output)")
    if st is not None and not stat.S_ISREG(st.st_mode):
        try:
            with open(path, "wb") as f:  # a device or FIFO: write through, keep the node
                f.write(data)
        except OSError as exc:
            raise OutputError(f"cannot write {shown} ({_reason(exc)})") from None
        return
    target = Path(os.path.realpath(path))  # a symlink stays a link: its target is replaced
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{shown}: cannot create the folder {target.parent} ({_reason(exc)})") from None
    mode = stat.S_IMODE(st.st_mode) if st is not None else 0o644
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise OutputError(f"cannot write {shown} ({_reason(exc)})") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException as exc:
        os.unlink(tmp)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write {shown} ({_reason(exc)}); nothing was written") from None
        raise


def jsonl_records(lines: Iterable[str] | Lines, name: str, error: type[Exception] = FormatError):
    """``(where, record)`` for each non-blank JSON line; ``where`` is ``name:line`` for error messages.

    ``lines``: plain strings, or a ``Lines`` stream (which numbers its lines itself).
    """
    for lineno, line in (lines if isinstance(lines, Lines) else enumerate(lines, 1)):
        if not line.strip():
            continue
        where = f"{name}:{lineno}"
        try:
            record = parse_json(line)
        except JSONError as exc:
            raise error(f"{where}: {str(exc).replace(' at line 1 column ', ' at column ')}") from None
        yield where, record
