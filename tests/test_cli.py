"""The ``copydesk`` command, run for real in a subprocess: align, migrate, demo, serve, createuser,
bad settings."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.cli import main
from app.db import make_engine, make_sessionmaker
from app.demo import DEMO_PAIRS
from app.migrate import upgrade
from app.auth.passwords import verify_password
from app.models import Pair, User
from app.services.pairs import ArticleInput, create_pair
from tests.conftest import SEED, needs_shared, read_text

SCRIPT = Path(sys.executable).with_name("copydesk")
COMMAND = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "app.cli"]
KINDS = {"verbatim", "edited", "paraphrased", "inserted", "omitted"}

ORIGINAL = ("Harbour council backs new ferry\n\nThe council voted on Monday to fund a second ferry "
            "between Portwell and Idris Island, at a cost of 3.1 million.\n\nThe first sailing is "
            "planned for June, the harbour master said.\n")
COPY = ("Home / Local /\r\n\r\nThe council voted on Monday to fund a second ferry between Portwell "
        "and Idris Island, at a cost of 3.1 million.\r\n\r\nThe first sailing is planned for July, "
        "the harbour master said.\r\n\r\nSource link")


def run(*args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 120,
        stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``copydesk ARGS`` in ``cwd`` with only the settings in ``env`` (none inherited)."""
    return subprocess.run([*COMMAND, *args], cwd=cwd, env=clean_env(env), capture_output=True,
                          text=True, encoding="utf-8", timeout=timeout, check=False, input=stdin)


def clean_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if key not in {"DATABASE_URL", "HOST", "PORT"} and not key.startswith("COPYDESK_")}
    return {**env, **(extra or {})}


def write(path: Path, text: str) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)
    return path


def assert_contract(doc: dict[str, Any], original: str, copy: str) -> None:
    """``doc`` is a copydesk.alignment/1 document whose offsets index the two texts."""
    assert doc["format"] == "copydesk.alignment/1"
    assert {"format", "original", "copy", "blocks", "changes", "summary"} <= doc.keys()
    for side, text in (("original", original), ("copy", copy)):
        assert doc[side]["length"] == len(text)
        for start, end in doc[side]["paragraphs"]:
            assert 0 <= start < end <= len(text)
            assert text[start:end] == text[start:end].strip()
    for block in doc["blocks"]:
        assert {"kind", "original", "copy", "score"} <= block.keys()
        assert block["kind"] in KINDS
        for side, text in (("original", original), ("copy", copy)):
            if block[side] is not None:
                start, end = block[side]
                assert 0 <= start < end <= len(text)
        assert (block["original"] is None) == (block["kind"] == "inserted")
        assert (block["copy"] is None) == (block["kind"] == "omitted")
        assert block["score"] is None or 0.0 <= block["score"] <= 1.0
    for change in doc["changes"]:
        assert {"kind", "original", "copy", "original_text", "copy_text"} <= change.keys()
    assert 0.0 <= doc["summary"]["original_reused"] <= 1.0
    assert 0.0 <= doc["summary"]["copy_derived"] <= 1.0


@pytest.fixture
def texts(tmp_path: Path) -> tuple[Path, Path]:
    return write(tmp_path / "original.txt", ORIGINAL), write(tmp_path / "copy.txt", COPY)


def database(tmp_path: Path) -> tuple[str, dict[str, str]]:
    url = f"sqlite:///{tmp_path / 'cli' / 'copydesk.db'}"
    return url, {"DATABASE_URL": url}


def users(url: str) -> list[tuple[str, str]]:
    engine = make_engine(url)
    try:
        with make_sessionmaker(engine)() as session:
            return [(user.username, user.role) for user in session.scalars(select(User).order_by(User.id))]
    finally:
        engine.dispose()


def pair_titles(url: str) -> list[str]:
    engine = make_engine(url)
    try:
        with make_sessionmaker(engine)() as session:
            return list(session.scalars(select(Pair.title).order_by(Pair.id)))
    finally:
        engine.dispose()


# --- align -------------------------------------------------------------------------------------


def test_align_json_prints_the_contract_with_offsets_into_the_files_as_read(
        tmp_path: Path, texts: tuple[Path, Path]) -> None:
    result = run("align", "--json", *map(str, texts), cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    doc = json.loads(result.stdout)
    original, copy = read_text(texts[0]), read_text(texts[1])
    assert "\r\n" in copy and len(copy) == len(COPY)
    assert_contract(doc, original, copy)
    assert doc["copy"]["length"] == len(COPY)
    assert len(doc["copy"]["paragraphs"]) == 4
    kinds = {block["kind"] for block in doc["blocks"]}
    assert {"inserted", "omitted"} <= kinds
    assert kinds & {"verbatim", "edited"}


def test_align_without_json_prints_a_readable_report(tmp_path: Path, texts: tuple[Path, Path]) -> None:
    result = run("align", *map(str, texts), cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("original") and "4 paragraphs" in lines[1]
    assert "original reused" in result.stdout and "copy derived" in result.stdout
    block_lines = [line for line in lines if line.split(" ", 1)[0] in KINDS]
    assert any(line.startswith("omitted") and "¶1" in line and "Harbour council" in line
               for line in block_lines)
    assert any(line.startswith("inserted") and "“Source link”" in line for line in block_lines)
    assert any("“The first sailing is planned for July" in line for line in block_lines)


def test_align_report_cut_short_by_its_reader_ends_quietly(tmp_path: Path, texts: tuple[Path, Path]) -> None:
    with subprocess.Popen([*COMMAND, "align", *map(str, texts)], cwd=tmp_path, env=clean_env(),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.close()  # like `| head -0`: the reader is gone before the report is written
        stderr = proc.stderr.read().decode()
        status = proc.wait(timeout=60)

    assert "Traceback" not in stderr
    assert status == 0


def test_align_reports_a_missing_file_and_exits_2(tmp_path: Path, texts: tuple[Path, Path]) -> None:
    result = run("align", str(texts[0]), str(tmp_path / "absent.txt"), cwd=tmp_path)

    assert result.returncode == 2
    assert result.stdout == ""
    assert "absent.txt: no such file" in result.stderr
    assert "Traceback" not in result.stderr


def test_align_refuses_a_file_that_is_not_utf8(tmp_path: Path, texts: tuple[Path, Path]) -> None:
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("Le café de la gare a fermé.".encode("latin-1"))

    result = run("align", str(latin1), str(texts[1]), cwd=tmp_path)

    assert result.returncode == 2
    assert "latin1.txt is not UTF-8 text" in result.stderr
    assert "0xe9" in result.stderr and "Traceback" not in result.stderr


def test_align_refuses_utf16_text(tmp_path: Path, texts: tuple[Path, Path]) -> None:
    utf16 = tmp_path / "utf16.txt"
    utf16.write_bytes("A story in UTF-16 without a byte order mark.".encode("utf-16-le"))

    result = run("align", str(texts[0]), str(utf16), cwd=tmp_path)

    assert result.returncode == 2
    assert "utf16.txt is not a text file" in result.stderr


@needs_shared()
def test_align_json_on_the_seed_pair_indexes_the_files_exactly(tmp_path: Path) -> None:
    original, copy = SEED / "original.txt", SEED / "copy.txt"

    result = run("align", "--json", str(original), str(copy), cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert_contract(doc, read_text(original), read_text(copy))
    truth = json.loads((SEED / "truth.json").read_text(encoding="utf-8"))
    assert doc["original"]["length"] == truth["original"]["length"]
    assert doc["copy"]["length"] == truth["copy"]["length"]


# --- migrate and demo --------------------------------------------------------------------------


def test_migrate_then_demo_adds_the_demo_pairs_once(tmp_path: Path) -> None:
    url, env = database(tmp_path)

    migrated = run("migrate", cwd=tmp_path, env=env)
    assert migrated.returncode == 0, migrated.stderr
    assert "latest schema" in migrated.stdout

    first = run("demo", cwd=tmp_path, env=env)
    assert first.returncode == 0, first.stderr
    assert f"Added {len(DEMO_PAIRS)} demo pairs" in first.stdout
    assert sorted(pair_titles(url)) == sorted(pair.title for pair in DEMO_PAIRS)

    second = run("demo", cwd=tmp_path, env=env)
    assert second.returncode == 0, second.stderr
    assert "nothing added" in second.stdout
    assert len(pair_titles(url)) == len(DEMO_PAIRS)


def test_realign_aligns_again_what_an_older_engine_aligned_keeping_each_pairs_settings(tmp_path: Path) -> None:
    from app.align import ENGINE_VERSION
    from app.models import Activity, StoredAlignment

    url, env = database(tmp_path)
    assert run("demo", cwd=tmp_path, env=env).returncode == 0
    engine = make_engine(url)
    with make_sessionmaker(engine)() as session:
        first, second, third = session.scalars(select(Pair).order_by(Pair.id)).unique().all()
        assert first.alignment and second.alignment and third.alignment  # (the demo aligns them)
        # the first was aligned by an older engine, with a reviewer's settings; the second never
        first.alignment.engine_version = "0.9.0"
        first.alignment.options = {**first.alignment.options, "min_similarity": 0.5}
        session.delete(second.alignment)
        third_version = third.alignment.engine_version
        session.commit()
        ids = (first.id, second.id, third.id)
    engine.dispose()

    result = run("realign", cwd=tmp_path, env=env)

    assert result.returncode == 0, result.stderr
    assert f"Re-aligned 2 pairs with engine {ENGINE_VERSION}." in result.stdout
    assert "re-aligned 2/2" in result.stderr
    engine = make_engine(url)
    with make_sessionmaker(engine)() as session:
        stored = {a.pair_id: a for a in session.scalars(select(StoredAlignment))}
        assert {pair_id: stored[pair_id].engine_version for pair_id in ids} == dict.fromkeys(ids, ENGINE_VERSION)
        assert stored[ids[0]].options["min_similarity"] == 0.5
        assert stored[ids[0]].result["format"] == "copydesk.alignment/1"
        assert third_version == ENGINE_VERSION  # (untouched: already current)
        logged = [(a.pair_id, a.action, a.detail.get("reason"))
                  for a in session.scalars(select(Activity).where(Activity.action == "realigned"))]
        assert logged == [(ids[0], "realigned", "engine upgrade")]
    engine.dispose()

    again = run("realign", cwd=tmp_path, env=env)
    assert again.returncode == 0, again.stderr
    assert f"Every pair is aligned by engine {ENGINE_VERSION}; nothing to do." in again.stdout


def test_demo_adds_only_the_demo_pairs_that_are_missing(tmp_path: Path) -> None:
    url, env = database(tmp_path)
    assert run("demo", cwd=tmp_path, env=env).returncode == 0
    engine = make_engine(url)
    with make_sessionmaker(engine)() as session:
        session.delete(session.scalars(select(Pair).where(Pair.title == DEMO_PAIRS[1].title)).unique().one())
        session.commit()
    engine.dispose()

    result = run("demo", cwd=tmp_path, env=env)

    assert result.returncode == 0, result.stderr
    assert "Added 1 demo pair " in result.stdout
    assert sorted(pair_titles(url)) == sorted(pair.title for pair in DEMO_PAIRS)


def test_demo_if_empty_loads_an_empty_database_only(tmp_path: Path) -> None:
    url, env = database(tmp_path)
    upgrade(url)
    engine = make_engine(url)
    with make_sessionmaker(engine)() as session:
        create_pair(session, ArticleInput("Mine", "My own original."), ArticleInput("Theirs", "My own original."),
                    max_bytes=10_000, title="An editor's pair")
        session.commit()
    engine.dispose()

    result = run("demo", "--if-empty", cwd=tmp_path, env=env)

    assert result.returncode == 0, result.stderr
    assert "already holds 1 pair;" in result.stdout
    assert pair_titles(url) == ["An editor's pair"]


def test_demo_if_empty_fills_a_new_database(tmp_path: Path) -> None:
    url, env = database(tmp_path)

    result = run("demo", "--if-empty", cwd=tmp_path, env=env)

    assert result.returncode == 0, result.stderr
    assert len(pair_titles(url)) == len(DEMO_PAIRS)


def test_demo_if_empty_respects_load_demo_false(tmp_path: Path) -> None:
    _, env = database(tmp_path)

    result = run("demo", "--if-empty", cwd=tmp_path, env={**env, "COPYDESK_LOAD_DEMO": "false"})

    assert result.returncode == 0, result.stderr
    assert "not loaded" in result.stdout
    assert not (tmp_path / "cli").exists()


def test_migrate_uses_the_default_sqlite_file_under_the_working_directory(tmp_path: Path) -> None:
    result = run("migrate", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data" / "copydesk.db").is_file()


# --- bad settings and databases ----------------------------------------------------------------


def test_a_database_url_of_an_unsupported_kind_is_one_clear_line(tmp_path: Path) -> None:
    result = run("migrate", cwd=tmp_path, env={"DATABASE_URL": "mysql://user:secret@localhost/news"})

    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "DATABASE_URL" in result.stderr and "sqlite:// or postgresql://" in result.stderr
    assert "secret" not in result.stderr and "Traceback" not in result.stderr


def test_a_bad_prefixed_setting_names_its_variable(tmp_path: Path) -> None:
    result = run("demo", cwd=tmp_path, env={"COPYDESK_MAX_TEXT_BYTES": "lots"})

    assert result.returncode == 2
    assert result.stderr.startswith("copydesk demo: bad setting: COPYDESK_MAX_TEXT_BYTES='lots'")
    assert result.stderr.count("\n") == 1


def test_demo_texts_over_the_size_limit_are_reported_not_stored(tmp_path: Path) -> None:
    url, env = database(tmp_path)

    result = run("demo", cwd=tmp_path, env={**env, "COPYDESK_MAX_TEXT_BYTES": "1000"})

    assert result.returncode == 2
    assert "cannot load the demo pairs" in result.stderr and "the limit is 1000 bytes" in result.stderr
    assert "Traceback" not in result.stderr
    assert pair_titles(url) == []


def test_a_port_out_of_range_is_refused_before_serving(tmp_path: Path) -> None:
    result = run("serve", cwd=tmp_path, env={"PORT": "99999"})

    assert result.returncode == 2
    assert "PORT='99999'" in result.stderr and "65535" in result.stderr
    assert not (tmp_path / "data").exists()


def test_an_unreachable_database_is_reported_without_its_password(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a local port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"postgresql+psycopg://copydesk:secret@127.0.0.1:{port}/copydesk"

    result = run("migrate", cwd=tmp_path, env={"DATABASE_URL": url}, timeout=60)

    assert result.returncode == 1
    assert "cannot use the database postgresql+psycopg://copydesk:***@127.0.0.1" in result.stderr
    assert "secret" not in result.stderr and "Traceback" not in result.stderr


def test_no_command_prints_usage_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([])

    assert exit_info.value.code == 2
    assert "usage: copydesk" in capsys.readouterr().err


# --- serve -------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_serve_migrates_loads_the_demo_pairs_and_answers_http(tmp_path: Path) -> None:
    url, env = database(tmp_path)
    port = free_port()
    log = open(tmp_path / "serve.log", "w+", encoding="utf-8")  # noqa: SIM115
    server = subprocess.Popen([*COMMAND, "serve"], cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT,
                              env=clean_env({**env, "PORT": str(port)}))
    try:
        docs = wait_for(f"http://127.0.0.1:{port}/docs", server, log)
        assert "swagger" in docs.lower()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/openapi.json", timeout=10) as response:
            assert json.load(response)["info"]["title"] == "copydesk"
        assert len(pair_titles(url)) == len(DEMO_PAIRS)
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    output = (tmp_path / "serve.log").read_text(encoding="utf-8")
    assert f"loaded {len(DEMO_PAIRS)} demo pairs" in output
    assert f"serving on http://127.0.0.1:{port}/" in output
    assert "an admin account was created" in output and "username: admin" in output
    assert users(url) == [("admin", "admin")]


def wait_for(url: str, server: subprocess.Popen[bytes], log: Any, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            break
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode("utf-8")
        except OSError:
            time.sleep(0.2)
    log.seek(0)
    pytest.fail(f"copydesk serve did not answer {url} (exit {server.poll()}); its output:\n{log.read()}")


# --- createuser --------------------------------------------------------------------------------


def test_createuser_reads_the_password_from_stdin_and_stores_a_hash(tmp_path: Path) -> None:
    url, env = database(tmp_path)

    result = run("createuser", "Carla", "--role", "checker", "--password-stdin", cwd=tmp_path, env=env,
                 stdin="a long enough secret\n")

    assert result.returncode == 0, result.stderr
    assert "Created the checker account carla" in result.stdout
    assert users(url) == [("carla", "checker")]
    engine = make_engine(url)
    with make_sessionmaker(engine)() as session:
        stored = session.scalars(select(User.password_hash)).one()
    engine.dispose()
    assert stored.startswith("$argon2id$") and verify_password(stored, "a long enough secret")


@pytest.mark.parametrize("args, stdin, message", [
    (["bad name!", "--role", "viewer", "--password-stdin"], "a long enough secret\n", "may hold only letters"),
    (["dora", "--role", "viewer", "--password-stdin"], "short\n", "at least 10 characters"),
    (["dora", "--role", "viewer", "--password-stdin"], "", "standard input is empty"),
    (["dora", "--role", "boss", "--password-stdin"], "a long enough secret\n", "invalid choice: 'boss'"),
])
def test_createuser_refuses_bad_input_with_exit_2_and_stores_nothing(
        tmp_path: Path, args: list[str], stdin: str, message: str) -> None:
    url, env = database(tmp_path)
    upgrade(url)

    result = run("createuser", *args, cwd=tmp_path, env=env, stdin=stdin)

    assert result.returncode == 2
    assert message in result.stderr
    assert users(url) == []


def test_createuser_refuses_a_name_that_is_taken(tmp_path: Path) -> None:
    url, env = database(tmp_path)
    run("createuser", "erin", "--role", "viewer", "--password-stdin", cwd=tmp_path, env=env,
        stdin="a long enough secret\n")

    result = run("createuser", "ERIN", "--role", "admin", "--password-stdin", cwd=tmp_path, env=env,
                 stdin="another long secret\n")

    assert result.returncode == 2
    assert "there is already an account named erin" in result.stderr
    assert users(url) == [("erin", "viewer")]


def test_createuser_asks_twice_and_refuses_two_different_passwords(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    url, _env = database(tmp_path)
    monkeypatch.setenv("DATABASE_URL", url)
    typed = iter(["first long password", "second long password"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(typed))

    assert main(["createuser", "fay", "--role", "editor"]) == 2

    assert "the two passwords are not the same" in capsys.readouterr().err
    assert users(url) == []


def test_createuser_with_the_same_password_twice_creates_the_account(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url, _env = database(tmp_path)
    monkeypatch.setenv("DATABASE_URL", url)
    prompts: list[str] = []

    def getpass(prompt: str) -> str:
        prompts.append(prompt)
        return "the same long password"

    monkeypatch.setattr("getpass.getpass", getpass)

    assert main(["createuser", "gus", "--role", "admin"]) == 0
    assert prompts == ["Password: ", "Password (again): "]
    assert users(url) == [("gus", "admin")]
