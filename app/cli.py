"""The ``copydesk`` command: serve the app, align two files, load the demo pairs, migrate, add users,
import pairs from a CSV (app.cli_import).

Settings come from the environment (``DATABASE_URL``, ``HOST``, ``PORT``, ``COPYDESK_*``), as
``make run`` passes them. Exit status: 0 done, 1 the database failed, 2 bad input or settings.
The web stack and the database are imported inside the commands that use them, so that
``copydesk align`` starts fast and needs neither.
"""

from __future__ import annotations

import argparse
import os
import json
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from app import __version__

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.align import Alignment, Block
    from app.config import Settings
    from app.models import User

EXCERPT_CHARS = 64
# "injected" counts inserted blocks nested inside a derived one (text glued into a paragraph).
KIND_ORDER = ("verbatim", "edited", "paraphrased", "inserted", "injected", "omitted")


class CliError(Exception):
    """A failure reported as one line on stderr, with an exit status."""

    def __init__(self, message: str, status: int = 2) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def main(argv: Sequence[str] | None = None) -> int:
    """Run one ``copydesk`` command; return its exit status."""
    args = build_parser().parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except BrokenPipeError:
        # The reader went away (`copydesk align ... | head`): not an error worth a traceback.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except CliError as exc:
        print(f"copydesk {args.command}: {exc.message}", file=sys.stderr)
        return exc.status
    except KeyboardInterrupt:
        return 130


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="copydesk",
        description="Compare an original article with a suspected copy, paragraph by paragraph.",
        epilog="Settings come from the environment: DATABASE_URL, HOST, PORT and COPYDESK_* "
               "(see the README).",
    )
    parser.add_argument("--version", action="version", version=f"copydesk {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    serve = commands.add_parser(
        "serve", help="migrate the database, load the demo pairs into an empty one, serve the app",
        description="Bring the database schema up to date, load the demo pairs when the database "
                    "holds no pairs (unless COPYDESK_LOAD_DEMO=false), then serve the web app and "
                    "the JSON API with uvicorn on HOST:PORT (default 127.0.0.1:8000).")
    serve.set_defaults(handler=cmd_serve)

    align = commands.add_parser(
        "align", help="align two UTF-8 text files and print the result (no database needed)",
        description="Align COPY against ORIGINAL. Offsets index the files exactly as read "
                    "(UTF-8, no newline translation).")
    align.add_argument("original", metavar="ORIGINAL", type=Path, help="the original article (UTF-8 text file)")
    align.add_argument("copy", metavar="COPY", type=Path, help="the suspected copy (UTF-8 text file)")
    align.add_argument("--json", action="store_true",
                       help="print the copydesk.alignment/1 JSON document instead of a report")
    align.set_defaults(handler=cmd_align)

    demo = commands.add_parser(
        "demo", help="load the demo pairs (never twice)",
        description="Add the demo pairs that are not in the database yet (matched on their titles), "
                    "bringing the schema up to date first.")
    demo.add_argument("--if-empty", action="store_true",
                      help="only load them into a database that holds no pairs at all, and not "
                           "when COPYDESK_LOAD_DEMO is false (what `make run` does)")
    demo.set_defaults(handler=cmd_demo)

    migrate = commands.add_parser(
        "migrate", help="upgrade the database schema to the latest revision",
        description="Apply the Alembic migrations to DATABASE_URL (creating the SQLite file if needed).")
    migrate.set_defaults(handler=cmd_migrate)

    createuser = commands.add_parser(
        "createuser", help="add a user account, asking for its password",
        description="Add an account that logs in as NAME with the role ROLE, bringing the schema up "
                    "to date first. The password is asked for twice (or read from the first line of "
                    "standard input with --password-stdin).",
        epilog="Roles: admin (manages users; may do everything), editor (creates and deletes pairs, "
               "sets verdicts), checker (writes notes, sets their status), viewer (reads).")
    createuser.add_argument("name", metavar="NAME",
                            help="the username: letters a-z, digits and . _ - (stored in lower case)")
    createuser.add_argument("--role", required=True, choices=["admin", "editor", "checker", "viewer"],
                            help="what the account may do")
    createuser.add_argument("--password-stdin", action="store_true",
                            help="read the password from the first line of standard input (for scripts)")
    createuser.set_defaults(handler=cmd_createuser)

    realign = commands.add_parser(
        "realign", help="align again the pairs an older engine version aligned (after an upgrade)",
        description="Align again, each with its own settings, every pair whose stored alignment an "
                    "older engine version made (or that has none), so that no page or API read has "
                    "to: run it after upgrading copydesk. Each pair is committed as it is done; an "
                    "interrupted run can simply be started again. Progress goes to stderr.")
    realign.set_defaults(handler=cmd_realign)

    importer = commands.add_parser(
        "import", help="store pairs listed in a CSV file (paths or URLs), with a progress bar",
        description="Store one pair per row of FILE.csv (UTF-8, a header line). Columns: original and "
                    "copy (a file path, relative to the CSV's folder, or an http(s) URL to fetch), and "
                    "optionally original_title, copy_title and title. Files may be .txt, .md, .html, "
                    ".docx or .pdf; the raw file or page is kept with each text. Progress goes to "
                    "stderr, the summary to stdout.",
        epilog="Exit status: 0 every row stored, 1 some rows failed (listed with their row numbers, "
               "the header being row 1), 2 the CSV cannot be read.")
    importer.add_argument("csv_file", metavar="FILE.csv", type=Path, help="the CSV file")
    importer.add_argument("--user", metavar="NAME",
                          help="the account the pairs' activity log names as their creator "
                               "(default: copydesk itself)")
    importer.set_defaults(handler=cmd_import)
    return parser


# --- commands ------------------------------------------------------------------------------


def cmd_serve(_args: argparse.Namespace) -> int:
    settings = load_settings()
    prepare_database(settings)

    import uvicorn

    from app.main import create_app

    print(f"copydesk: serving on http://{_url_host(settings.host)}:{settings.port}/ "
          f"(database {safe_url(settings.database_url)})", flush=True)
    # proxy_headers: behind a TLS proxy trusted by FORWARDED_ALLOW_IPS (uvicorn's variable,
    # default 127.0.0.1) requests count as HTTPS, so login cookies get the Secure flag.
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port,
                log_level=settings.log_level, proxy_headers=True)
    return 0


def cmd_align(args: argparse.Namespace) -> int:
    original = read_text(args.original)
    copy = read_text(args.copy)

    from app.align import align

    result = align(original, copy)
    if args.json:
        _write_utf8(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
    else:
        if hasattr(sys.stdout, "reconfigure"):
            sys.stdout.reconfigure(errors="replace")
        print(report(result, original, copy, original_name=str(args.original), copy_name=str(args.copy)))
    return 0


def _write_utf8(text: str) -> None:
    """Write ``text`` to stdout as UTF-8 (JSON's encoding), whatever the terminal's locale."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(text)
        return
    sys.stdout.flush()
    buffer.write(text.encode("utf-8"))
    buffer.flush()


def cmd_demo(args: argparse.Namespace) -> int:
    settings = load_settings()
    if args.if_empty and not settings.load_demo:
        print("COPYDESK_LOAD_DEMO is false; demo pairs not loaded (--if-empty).")
        return 0
    migrate_database(settings.database_url)
    from app.demo import DEMO_PAIRS
    from app.services.pairs import count_pairs

    with open_session(settings.database_url) as session:
        existing = count_pairs(session)
        if args.if_empty and existing:
            print(f"The database already holds {_plural(existing, 'pair')}; "
                  "demo pairs not loaded (--if-empty).")
            return 0
        added = load_demo_pairs(session, settings)
        session.commit()
    if added:
        print(f"Added {_plural(added, 'demo pair')} to {safe_url(settings.database_url)}.")
    else:
        print(f"All {len(DEMO_PAIRS)} demo pairs are already in the database; nothing added.")
    return 0


def cmd_migrate(_args: argparse.Namespace) -> int:
    settings = load_settings()
    revision = migrate_database(settings.database_url)
    print(f"Database {safe_url(settings.database_url)} is at the latest schema (revision {revision}).")
    return 0


def cmd_createuser(args: argparse.Namespace) -> int:
    from app.auth.accounts import find_user, normalize_username, username_problem

    name = normalize_username(args.name)
    if (problem := username_problem(name)) is not None:
        raise CliError(f"{args.name!r}: {problem}")
    settings = load_settings()
    migrate_database(settings.database_url)
    with open_session(settings.database_url) as session:
        if find_user(session, name) is not None:
            raise CliError(f"there is already an account named {name}")
    password = _read_new_password(args.password_stdin)

    from app.auth.accounts import create_user
    from app.errors import InvalidInput

    with open_session(settings.database_url) as session:
        try:
            user = create_user(session, name, password, args.role)
        except InvalidInput as exc:
            raise CliError("; ".join(exc.errors.values())) from None
        session.commit()
        print(f"Created the {user.role} account {user.username} in {safe_url(settings.database_url)}.")
    return 0


def cmd_realign(_args: argparse.Namespace) -> int:
    from app.align import ENGINE_VERSION
    from app.services.pairs import realign_outdated

    settings = load_settings()
    migrate_database(settings.database_url)

    def progress(done: int, total: int) -> None:
        print(f"\rre-aligned {done}/{total}", end="" if done < total else "\n", file=sys.stderr, flush=True)

    with open_session(settings.database_url) as session:
        count = realign_outdated(session, progress=progress)
    if count:
        print(f"Re-aligned {_plural(count, 'pair')} with engine {ENGINE_VERSION}.")
    else:
        print(f"Every pair is aligned by engine {ENGINE_VERSION}; nothing to do.")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from app.cli_import import BadCsv, Progress, import_rows, read_rows, summary

    try:
        rows = read_rows(args.csv_file)
    except BadCsv as exc:
        raise CliError(str(exc)) from None
    settings = load_settings()
    migrate_database(settings.database_url)
    with open_session(settings.database_url) as session:
        user = _import_user(session, args.user)
        stored, failures = import_rows(session, rows, folder=args.csv_file.parent, settings=settings,
                                       user=user, progress=Progress(len(rows)))
    for line in summary(stored, failures):
        print(line)
    return 1 if failures else 0


def _import_user(session: Session, name: str | None) -> User | None:
    if name is None:
        return None
    from app.auth.accounts import find_user

    user = find_user(session, name)
    if user is None:
        raise CliError(f"--user: there is no account named {name}")
    return user


def _read_new_password(from_stdin: bool) -> str:
    """The new password: the first line of stdin, or typed twice at a prompt that does not echo."""
    if from_stdin:
        line = sys.stdin.readline()
        if not line:
            raise CliError("--password-stdin: standard input is empty")
        return line.rstrip("\r\n")
    import getpass

    try:
        password = getpass.getpass("Password: ")
        again = getpass.getpass("Password (again): ")
    except EOFError:
        raise CliError("no password was typed; nothing was created (use --password-stdin in scripts)") from None
    if again != password:
        raise CliError("the two passwords are not the same; nothing was created")
    return password


# --- settings and database -------------------------------------------------------------------


def load_settings() -> Settings:
    """Settings from the environment; a bad value becomes one line naming the variable."""
    from pydantic import ValidationError

    from app.config import Settings

    try:
        return Settings()
    except ValidationError as exc:
        problems = [_setting_problem(error) for error in exc.errors()]
        raise CliError("bad setting: " + "; ".join(problems)) from None


def _setting_problem(error: dict) -> str:
    from app.config import Settings

    where = str(error["loc"][0]) if error["loc"] else "settings"
    name = f"COPYDESK_{where.upper()}" if where in Settings.model_fields else where
    message = str(error["msg"]).removeprefix("Value error, ")
    value = error.get("input")
    shown = safe_url(value) if isinstance(value, str) and "://" in value else value
    return f"{name}={shown!r}: {message}"


def safe_url(url: str) -> str:
    """``url`` with any password masked, for messages.

    >>> safe_url("postgresql+psycopg://copydesk:secret@db:5432/copydesk")
    'postgresql+psycopg://copydesk:***@db:5432/copydesk'
    >>> safe_url("sqlite:///./data/copydesk.db")
    'sqlite:///./data/copydesk.db'
    """
    return re.sub(r"(://[^:/@]*:)[^@/]*@", r"\1***@", url)


def migrate_database(database_url: str) -> str:
    """Upgrade ``database_url`` to the head revision; return that revision."""
    from alembic.runtime.migration import MigrationContext
    from alembic.util import CommandError
    from sqlalchemy.exc import SQLAlchemyError

    from app.db import make_engine
    from app.migrate import upgrade

    try:
        upgrade(database_url)
        engine = make_engine(database_url)
        try:
            with engine.connect() as connection:
                return MigrationContext.configure(connection).get_current_revision() or "base"
        finally:
            engine.dispose()
    except (SQLAlchemyError, CommandError) as exc:
        raise CliError(_database_problem(database_url, exc), status=1) from None


def prepare_database(settings: Settings) -> None:
    """What ``serve`` does before serving: migrate, then load the demo pairs into an empty
    database unless ``load_demo`` is off."""
    migrate_database(settings.database_url)
    if not settings.load_demo:
        return
    from app.services.pairs import count_pairs

    with open_session(settings.database_url) as session:
        if count_pairs(session) == 0:
            added = load_demo_pairs(session, settings)
            session.commit()
            print(f"copydesk: the database was empty; loaded {_plural(added, 'demo pair')}.", flush=True)


def load_demo_pairs(session: Session, settings: Settings) -> int:
    """``app.demo.load_demo`` with the size limit of ``settings``; a refused text is a CliError."""
    from app.demo import load_demo
    from app.errors import CopydeskError

    try:
        return load_demo(session, max_bytes=settings.max_text_bytes)
    except CopydeskError as exc:
        raise CliError(f"cannot load the demo pairs: {exc.message}") from None


@contextmanager
def open_session(database_url: str) -> Iterator[Session]:
    """A session on ``database_url``; a database failure inside becomes a CliError (status 1)."""
    from sqlalchemy.exc import SQLAlchemyError

    from app.db import make_engine, make_sessionmaker

    engine = make_engine(database_url)
    try:
        with make_sessionmaker(engine)() as session:
            yield session
    except SQLAlchemyError as exc:
        raise CliError(_database_problem(database_url, exc), status=1) from None
    finally:
        engine.dispose()


def _database_problem(database_url: str, exc: Exception) -> str:
    cause = getattr(exc, "orig", None) or exc
    first_line = (str(cause).strip().splitlines() or [type(cause).__name__])[0]
    return f"cannot use the database {safe_url(database_url)}: {first_line}"


# --- reading files ---------------------------------------------------------------------------


def read_text(path: Path) -> str:
    """The file's text exactly as stored (UTF-8, no newline translation), or a CliError."""
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            text = handle.read()
    except FileNotFoundError:
        raise CliError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise CliError(f"{path}: is a directory, not a text file") from None
    except UnicodeDecodeError as exc:
        bad = exc.object[exc.start]
        raise CliError(
            f"{path} is not UTF-8 text (byte 0x{bad:02x} at position {exc.start} cannot be decoded; "
            "it may be Latin-1 or Windows-1252). Save it as UTF-8 and try again.") from None
    except OSError as exc:
        raise CliError(f"{path}: {exc.strerror or exc}") from None
    if "\x00" in text:
        raise CliError(f"{path} is not a text file (it contains NUL bytes; UTF-16 text must be "
                       "saved as UTF-8)")
    return text


# --- the human report ------------------------------------------------------------------------


def report(result: Alignment, original: str, copy: str, *, original_name: str = "original",
           copy_name: str = "copy") -> str:
    """A readable summary of ``result``: figures, then one line per block.

    >>> from app.align import align
    >>> print(report(align("Same words.", "Same words."), "Same words.", "Same words."))
    ... # doctest: +NORMALIZE_WHITESPACE
    original  original  11 characters, 1 paragraph
    copy      copy      11 characters, 1 paragraph
    original reused 100.0%   copy derived 100.0%
    1 verbatim
    <BLANKLINE>
    kind          score  original  copy    excerpt
    verbatim       1.00  ¶1        ¶1      “Same words.”
    <BLANKLINE>
    ¶ = paragraph, numbered from 1; ↳ = text injected into the block above.
    """
    counts = Counter("injected" if block.parent is not None else block.kind.value for block in result.blocks)
    width = max(len(original_name), len(copy_name))
    lines = [
        f"original  {original_name:<{width}}  {_plural(len(original), 'character')}, "
        f"{_plural(len(result.original_paragraphs), 'paragraph')}",
        f"copy      {copy_name:<{width}}  {_plural(len(copy), 'character')}, "
        f"{_plural(len(result.copy_paragraphs), 'paragraph')}",
        f"original reused {result.summary.original_reused:.1%}   "
        f"copy derived {result.summary.copy_derived:.1%}",
        " · ".join(f"{counts[kind]} {kind}" for kind in KIND_ORDER if counts[kind]) or "no blocks",
        "",
        f"{'kind':<13} {'score':>5}  {'original':<8}  {'copy':<6}  excerpt",
    ]
    nested: dict[int, list[Block]] = {}
    for block in result.blocks:
        if block.parent is not None:
            nested.setdefault(block.parent, []).append(block)
    for index, block in result.top_level_blocks():
        lines.append(_block_line(block, original, copy))
        lines += [_block_line(child, original, copy, nested=True) for child in nested.get(index, [])]
    lines += ["", "¶ = paragraph, numbered from 1; ↳ = text injected into the block above."]
    return "\n".join(lines)


def _block_line(block: Block, original: str, copy: str, *, nested: bool = False) -> str:
    kind = ("↳ " if nested else "") + block.kind.value
    score = "–" if block.score is None else f"{block.score:.2f}"
    source, span = (copy, block.copy) if block.copy is not None else (original, block.original)
    excerpt = _excerpt(source[span[0]:span[1]]) if span else ""
    notes = [block.note] if block.note else []
    if block.moved and not any("moved" in note for note in notes):
        notes.append("moved")
    note = f"  ({'; '.join(notes)})" if notes else ""
    return (f"{kind:<13} {score:>5}  {_paragraphs(block.original_paragraphs):<8}  "
            f"{_paragraphs(block.copy_paragraphs):<6}  {excerpt}{note}")


def _paragraphs(indices: Sequence[int]) -> str:
    """Zero-based paragraph indices as the 1-based numbers a reader sees.

    >>> _paragraphs([3, 4, 5, 8]), _paragraphs([]), _paragraphs([0])
    ('¶4-6,9', '–', '¶1')
    """
    if not indices:
        return "–"
    numbers = sorted(i + 1 for i in indices)
    runs: list[list[int]] = []
    for number in numbers:
        if runs and number == runs[-1][1] + 1:
            runs[-1][1] = number
        else:
            runs.append([number, number])
    return "¶" + ",".join(f"{a}" if a == b else f"{a}-{b}" for a, b in runs)


def _excerpt(text: str) -> str:
    """The start of ``text`` on one line, quoted, cut at a word.

    >>> _excerpt("Short\\n  text.")
    '“Short text.”'
    >>> _excerpt("word " * 30)
    '“word word word word word word word word word word word word…”'
    """
    flat = " ".join(text.split())
    if len(flat) > EXCERPT_CHARS:
        cut = flat[:EXCERPT_CHARS]
        flat = (cut.rsplit(" ", 1)[0] if " " in cut else cut) + "…"
    return f"“{flat}”"


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


if __name__ == "__main__":
    sys.exit(main())
