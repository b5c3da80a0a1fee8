"""Files' hashes remembered by size and times (world.py, World.remember_hashes): a file whose
bytes a run does not need is not read again to be hashed, and no edit, however it keeps the
file's size and mtime, makes a changed file look unchanged."""
from __future__ import annotations

import hashlib
import json
import os
import time

import pytest

from conftest import MINIMAL
from handout_builder.world import RACY_SECONDS, World


def _settled(path, data: bytes) -> None:
    """Write `data` and date the file back, as a font installed long ago (its ctime is still
    now: wait until it is older than RACY_SECONDS, as any file not edited this instant is)."""
    path.write_bytes(data)
    os.utime(path, ns=(time.time_ns() - 3_600 * 10**9,) * 2)


@pytest.fixture
def settled(tmp_path):
    """A file last changed more than RACY_SECONDS ago, and a hashes file to remember it in."""
    font = tmp_path / "font.ttf"
    _settled(font, b"glyphs " * 1000)
    time.sleep(RACY_SECONDS + 0.1)
    return font, tmp_path / "cache" / "file-hashes.json"


def _world(hashes, reads: list) -> World:
    world = World(hashes.parent)
    world.remember_hashes(hashes)
    real = world._read

    def counting(path, where, limit):
        reads.append(os.path.basename(where))
        return real(path, where, limit)

    world._read = counting
    return world


def test_an_unchanged_file_is_not_read_again_to_be_hashed(settled):
    font, hashes = settled
    reads = []
    first = _world(hashes, reads)
    assert first.digest(font) == hashlib.sha256(font.read_bytes()).hexdigest()
    first.save_hashes()
    assert reads == ["font.ttf"] and font.as_posix() in json.loads(hashes.read_text())

    reads.clear()
    second = _world(hashes, reads)
    with second.recording() as read:
        assert second.digest(font) == hashlib.sha256(font.read_bytes()).hexdigest()
    assert reads == []  # remembered
    assert read.files == {second.key(font): hashlib.sha256(font.read_bytes()).hexdigest()}  # still an input
    # Bytes wanted after all are read and hashed, never taken on trust
    assert second.read_bytes(font) == font.read_bytes() and reads == ["font.ttf"]


def test_a_same_size_edit_with_its_mtime_put_back_is_seen(settled):
    """The mtime can be set back by any program (touch -d, a copy keeping times, an unzip);
    the ctime cannot, and every write changes it: the remembered hash is not used."""
    font, hashes = settled
    first = _world(hashes, [])
    old = first.digest(font)
    first.save_hashes()
    before = os.stat(font)
    font.write_bytes(b"GLYPHS " * 1000)  # the same size
    os.utime(font, ns=(before.st_atime_ns, before.st_mtime_ns))  # the same mtime
    after = os.stat(font)
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)

    reads = []
    second = _world(hashes, reads)
    assert second.digest(font) == hashlib.sha256(b"GLYPHS " * 1000).hexdigest() != old
    assert reads == ["font.ttf"]


def test_a_file_replaced_by_another_of_the_same_size_and_times_is_seen(settled, tmp_path):
    """A new file moved over the old one (as editors save) is another inode."""
    font, hashes = settled
    first = _world(hashes, [])
    first.digest(font)
    first.save_hashes()
    times = os.stat(font)
    other = tmp_path / "other.ttf"
    other.write_bytes(b"GLYPHS " * 1000)
    os.utime(other, ns=(times.st_atime_ns, times.st_mtime_ns))
    os.replace(other, font)
    assert World(tmp_path).digest(font) == _world(hashes, []).digest(font) == hashlib.sha256(b"GLYPHS " * 1000).hexdigest()


def test_a_file_changed_just_now_is_not_remembered(tmp_path):
    """An edit within the same tick of the clock as the hashing could keep size, mtime and ctime
    alike: a file changed less than RACY_SECONDS before it was hashed is hashed every time."""
    font = tmp_path / "font.ttf"
    font.write_bytes(b"glyphs " * 1000)
    hashes = tmp_path / "cache" / "file-hashes.json"
    first = _world(hashes, [])
    first.digest(font)
    first.save_hashes()
    assert not hashes.exists() or font.as_posix() not in json.loads(hashes.read_text())
    reads = []
    _world(hashes, reads).digest(font)
    assert reads == ["font.ttf"]


def test_a_missing_or_broken_hashes_file_remembers_nothing(settled):
    font, hashes = settled
    hashes.parent.mkdir()
    for text in ("{ not json", "[]", json.dumps({font.as_posix(): ["wrong"]})):
        hashes.write_text(text)
        reads = []
        assert _world(hashes, reads).digest(font) == hashlib.sha256(font.read_bytes()).hexdigest()
        assert reads == ["font.ttf"]


def test_build_remembers_in_the_user_cache_and_stays_right_after_a_font_edit(project, tmp_path, monkeypatch):
    """The whole command: a build remembers the hashes in XDG_CACHE_HOME; a font then edited in
    place, keeping its size and mtime, still makes its leaflets stale."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    (project.root / "fonts").unlink()
    (project.root / "fonts").mkdir()
    from conftest import REPO

    for font in (REPO / "fonts").glob("*.*"):
        _settled(project.root / "fonts" / font.name, font.read_bytes())
    time.sleep(RACY_SECONDS + 0.1)
    project.write("a", MINIMAL)
    assert project.run("build", "-j", "1").exit_code == 0
    remembered = json.loads((tmp_path / "user-cache" / "handout-builder" / "file-hashes.json").read_text())
    math = project.root / "fonts" / "NotoSansMath-Regular.ttf"  # a fallback this leaflet never draws with
    assert os.path.abspath(math) in remembered
    assert project.run("build", "--check").exit_code == 0

    data = bytearray(math.read_bytes())
    data[-1] ^= 0xFF  # one byte of the font's last table changed: same size
    before = os.stat(math)
    math.write_bytes(bytes(data))
    os.utime(math, ns=(before.st_atime_ns, before.st_mtime_ns))
    stale = project.run("build", "--check")
    assert stale.exit_code == 1 and "fonts/NotoSansMath-Regular.ttf changed" in stale.stdout + stale.stderr


def test_files_gone_are_forgotten_once_many_are_remembered(settled, monkeypatch):
    import handout_builder.world as world_module

    font, hashes = settled
    monkeypatch.setattr(world_module, "HASHES_KEPT", 1)
    hashes.parent.mkdir()
    hashes.write_text(json.dumps({"/no/such/font.ttf": [1, 2, 3, 4, 5, "0" * 64]}))
    world = _world(hashes, [])
    world.digest(font)
    world.save_hashes()
    assert list(json.loads(hashes.read_text())) == [font.as_posix()]
