"""corpus/io.py: lines streamed in chunks are the file's lines; blank runs cost nothing but keep their place."""
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import corpus.io as cio
from corpus.io import InputError, Lines


def _collapsed(data: bytes) -> list[tuple[int, str]]:
    """The oracle: str.split on the whole text; a run of blank lines becomes one ("", first line number)."""
    out = []
    for i, line in enumerate(data.decode().split("\n"), 1):
        line = line.rstrip("\r")
        if line.strip(" \t\r\f\v"):
            out.append((i, line))
        elif i <= data.count(b"\n") and (not out or out[-1][1]):
            out.append((i, ""))
    return out


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([b"\n", b"  \n", b"a\n", b"x y\r\n", b"\t\n", b"{}\n", b"b", "é\n".encode()]),
                max_size=30), st.sampled_from([1, 2, 3, 7, 2**20]))
def test_lines_equal_splitting_the_whole_text(parts, chunk):
    data = b"".join(parts)
    original = cio.CHUNK
    cio.CHUNK = chunk
    try:
        got = list(Lines(io.BytesIO(data), "x"))
    finally:
        cio.CHUNK = original
    merged = []  # a blank run cut by a chunk boundary may come as two items: equal once merged
    for n, t in got:
        if not (t == "" and merged and merged[-1][1] == ""):
            merged.append((n, t))
    assert merged == _collapsed(data)


def test_hash_is_of_every_byte_read():
    import hashlib

    data = b"\n\n{}\n" * 1000 + b"tail"
    lines = Lines(io.BytesIO(data), "x")
    list(lines)
    assert lines.digest == "sha256:" + hashlib.sha256(data).hexdigest() and lines.size == len(data)


def test_a_line_longer_than_the_limit_is_an_error():
    with pytest.raises(InputError, match=r"x:2: line longer than 1 MiB"):
        list(Lines(io.BytesIO(b"ok\n" + b"y" * (2**20 + 1) + b"\n"), "x", max_line=2**20))
