"""The parse cache: hits equal parsed_paths, damaged or foreign entries are never trusted,
concurrent writers never leave a torn entry, and the size stays bounded."""

from __future__ import annotations

import multiprocessing
import os
import pickle
import subprocess
import sys

import pytest

from tf_apigw_lint.load import cache as cache_module
from tf_apigw_lint.load.cache import MAGIC, ParseCache, dump
from tf_apigw_lint.load.user_cache import default_cache_directory
from tf_apigw_lint.load.files import load_file
from tf_apigw_lint.load.parallel import FileLoader
from tf_apigw_lint.load.syntax import SourceFile

TEXT = 'resource "aws_api_gateway_stage" "s" {\n  stage_name = "prod" # here\n}\n'


@pytest.fixture
def source(tmp_path):
    path = tmp_path / "repo" / "main.tf"
    path.parent.mkdir()
    path.write_text(TEXT)
    return str(path)


@pytest.fixture
def parse_cache(tmp_path):
    return ParseCache.open(str(tmp_path / "cache"))


def key_of(parse_cache, path):
    with open(path, "rb") as handle:
        return parse_cache.key(path, handle.read())


def entry_of(parse_cache, path):
    return parse_cache._entry(key_of(parse_cache, path))


def test_a_hit_is_the_parse_itself(source, parse_cache, parsed_paths):
    first = FileLoader(cache=parse_cache).load(source)
    second = FileLoader(cache=parse_cache).load(source)
    assert parsed_paths == [source]
    assert second == first == load_file(source)
    assert second.comments[0].text == "here"


def test_the_key_follows_content_path_and_versions(source, parse_cache):
    key = parse_cache.key(source, TEXT.encode())
    assert parse_cache.key(source, TEXT.encode() + b"\n") != key
    assert parse_cache.key(source + "x", TEXT.encode()) != key
    other_version = ParseCache(parse_cache.directory)
    other_version._salt += b"another python-hcl2"
    assert other_version.key(source, TEXT.encode()) != key


@pytest.mark.parametrize("damage", [
    lambda blob: blob[: len(blob) // 2],  # torn write
    lambda blob: blob[:-1] + bytes([blob[-1] ^ 1]),  # flipped bit: checksum mismatch
    lambda blob: b"something else entirely",  # not ours
    lambda blob: b"",
])
def test_a_damaged_entry_is_ignored_and_rewritten(source, parse_cache, parsed_paths, damage):
    FileLoader(cache=parse_cache).load(source)
    entry = entry_of(parse_cache, source)
    with open(entry, "rb") as handle:
        good = handle.read()
    with open(entry, "wb") as handle:
        handle.write(damage(good))
    assert FileLoader(cache=parse_cache).load(source) == load_file(source)
    assert parsed_paths == [source, source]
    with open(entry, "rb") as handle:
        assert handle.read() == good


@pytest.mark.parametrize("payload", [
    pickle.dumps({"not": "a SourceFile"}),
    dump(SourceFile("/elsewhere/main.tf", None)),  # another file's parse
])
def test_a_well_formed_foreign_entry_is_not_trusted(source, parse_cache, parsed_paths, payload):
    parse_cache.put(key_of(parse_cache, source), payload)
    assert FileLoader(cache=parse_cache).load(source) == load_file(source)
    assert parsed_paths == [source]


def test_a_directory_others_can_write_is_not_used(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o777)
    assert ParseCache.open(str(shared)) is None
    assert ParseCache.open(str(tmp_path / "own")) is not None
    assert (os.stat(tmp_path / "own").st_mode & 0o777) == 0o700


def _write_and_read(directory: str, path: str, rounds: int) -> bool:
    parse_cache = ParseCache(directory)
    with open(path, "rb") as handle:
        data = handle.read()
    key = parse_cache.key(path, data)
    payload = dump(load_file(path))
    intact = True
    for _ in range(rounds):
        parse_cache.put(key, payload)
        found = parse_cache.get(key, path)
        intact &= found is not None and found.path == path
    return intact


def test_concurrent_writers_never_leave_a_torn_entry(source, parse_cache):
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    with context.Pool(4) as pool:
        results = pool.starmap(_write_and_read, [(parse_cache.directory, source, 50)] * 4)
    assert results == [True] * 4
    entry = entry_of(parse_cache, source)
    folder = os.path.dirname(entry)
    assert os.listdir(folder) == [os.path.basename(entry)]  # no temporary file left behind
    assert parse_cache.get(key_of(parse_cache, source), source) == load_file(source)


def test_eviction_removes_the_least_recently_used(tmp_path):
    parse_cache = ParseCache.open(str(tmp_path / "cache"), max_bytes=10_000)
    payload = b"x" * 3_000
    keys = [f"{i:02x}" + "0" * 62 for i in range(5)]
    for age, key in enumerate(keys):
        parse_cache.put(key, payload)
        os.utime(parse_cache._entry(key), (1_000_000 + age, 1_000_000 + age))
    parse_cache.evict()
    left = [k for k in keys if os.path.exists(parse_cache._entry(k))]
    assert left == keys[-2:]  # 15 KB over a 10 KB limit: down to 80% of it
    assert len(MAGIC) + 32 + 3_000 == os.path.getsize(parse_cache._entry(keys[-1]))


def test_loader_evicts_only_after_writing(source, tmp_path, monkeypatch):
    evictions = []
    monkeypatch.setattr(cache_module.ParseCache, "evict", lambda self: evictions.append(self))
    parse_cache = ParseCache.open(str(tmp_path / "cache"))
    loader = FileLoader(cache=parse_cache)
    loader.load(source)
    loader.finish()
    warm = FileLoader(cache=ParseCache.open(str(tmp_path / "cache")))
    warm.load(source)
    warm.finish()
    assert evictions == [parse_cache]


def test_a_parse_too_deep_to_pickle_is_used_but_not_cached(source, parse_cache, parsed_paths, monkeypatch):
    def too_deep(*args, **kwargs):
        raise RecursionError("maximum recursion depth exceeded while pickling an object")

    monkeypatch.setattr(cache_module.pickle, "dumps", too_deep)
    assert FileLoader(cache=parse_cache).load(source) == load_file(source)
    assert not os.path.exists(entry_of(parse_cache, source))


@pytest.mark.parametrize("environ, expected", [
    ({"XDG_CACHE_HOME": "/var/cache/me", "HOME": "/home/me"}, "/var/cache/me/tf-apigw-lint"),
    ({"HOME": "/home/me"}, "/home/me/.cache/tf-apigw-lint"),
    ({"XDG_CACHE_HOME": "relative", "HOME": "/home/me"}, "/home/me/.cache/tf-apigw-lint"),
    ({"XDG_CACHE_HOME": "", "HOME": "/home/me"}, "/home/me/.cache/tf-apigw-lint"),
])
def test_cache_directory_follows_xdg(environ, expected):
    assert default_cache_directory(environ) == expected


def test_a_run_compiles_the_grammar_into_the_cache_directory(tmp_path):
    (tmp_path / "main.tf").write_text('resource "aws_api_gateway_rest_api" "r" {\n  name = "r"\n}\n')
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"))
    subprocess.run([sys.executable, "-m", "tf_apigw_lint", str(tmp_path), "--no-cache", "--quiet"], env=env, check=False)
    [compiled] = (tmp_path / "cache" / "tf-apigw-lint" / "grammar").iterdir()
    assert compiled.name.startswith("grammar-") and compiled.name.endswith(f"-py{sys.version_info[0]}{sys.version_info[1]}.cache")
