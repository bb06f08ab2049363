"""The Alembic migrations: upgrade from empty, models in step with migrations, downgrade, re-upgrade."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, select

from app import models
from app.db import Base, make_engine, make_sessionmaker
from app.migrate import alembic_config, downgrade, upgrade
from app.services.pairs import ArticleInput, count_pairs, create_pair

TABLES = {"articles", "pairs", "alignments", "users", "login_sessions", "api_tokens", "login_throttles",
          "notes", "note_replies", "note_status_changes", "activity", "article_sources"}


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'fresh' / 'copydesk.db'}"


@pytest.fixture
def engine(url: str) -> Iterator[Engine]:
    engine = make_engine(url)
    yield engine
    engine.dispose()


def head_revision(url: str) -> str:
    head = ScriptDirectory.from_config(alembic_config(url)).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def table_names(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names()) - {"alembic_version"}


def test_upgrade_from_empty_creates_the_tables_and_reaches_head(url: str, engine: Engine) -> None:
    upgrade(url)

    assert table_names(engine) == TABLES
    assert current_revision(engine) == head_revision(url)


def test_the_migrations_create_exactly_what_the_models_declare(url: str, engine: Engine) -> None:
    upgrade(url)

    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)

    assert differences == [], "models and migrations differ: write a migration for " + repr(differences)


def test_the_models_name_every_table_the_migrations_create(url: str, engine: Engine) -> None:
    upgrade(url)

    declared = {mapper.local_table.name for mapper in Base.registry.mappers}
    assert declared == table_names(engine) == TABLES
    assert models.Pair.__tablename__ in declared


def test_downgrade_to_base_drops_everything_and_upgrade_rebuilds_it(url: str, engine: Engine) -> None:
    upgrade(url)
    downgrade(url, "base")

    assert table_names(engine) == set()
    assert current_revision(engine) is None

    upgrade(url)
    assert table_names(engine) == TABLES
    assert current_revision(engine) == head_revision(url)


def test_data_survives_a_second_upgrade_to_head(url: str, engine: Engine) -> None:
    upgrade(url)
    with make_sessionmaker(engine)() as session:
        create_pair(session, ArticleInput("Original", "A paragraph that stays.\n\nAnother one."),
                    ArticleInput("Copy", "A paragraph that stays."), max_bytes=10_000, title="Kept")
        session.commit()

    upgrade(url)

    with make_sessionmaker(engine)() as session:
        assert count_pairs(session) == 1
        assert session.scalars(select(models.Pair.title)).all() == ["Kept"]
        pair = session.scalars(select(models.Pair)).unique().one()
        assert pair.copy.text == "A paragraph that stays."
        assert pair.alignment is not None
