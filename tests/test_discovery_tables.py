"""Discovery on a SQLite or PostgreSQL table: ``sqlite:PATH::TABLE``, ``postgresql://...::TABLE``."""

from __future__ import annotations

import os
import secrets
import sqlite3

import numpy as np
import pandas as pd
import pytest

from rightsmarker.discovery import DiscoveryError, discover
from rightsmarker.discovery.tables import quote_table, read_table, safe_label, table_parts
from rightsmarker.errors import DataError

PG_URL = os.environ.get("RIGHTSMARKER_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")


def people(n: int = 1500) -> pd.DataFrame:
    rng = np.random.default_rng(11)
    frame = pd.DataFrame({"sex": rng.choice(["Female", "Male"], n),
                          "region": rng.choice(["north", "south"], n),
                          "weight": rng.uniform(0.5, 2.0, n).round(3)})
    risk = 0.15 + 0.4 * ((frame["sex"] == "Female") & (frame["region"] == "north"))
    frame["poor"] = np.where(rng.random(n) < risk, "yes", "no")
    return frame


@pytest.fixture
def sqlite_db(tmp_path):
    path = tmp_path / "survey.db"
    with sqlite3.connect(path) as con:
        people().to_sql("survey 2024", con, index=False)
        con.execute('CREATE VIEW "north only" AS '
                    'SELECT * FROM "survey 2024" WHERE region = \'north\'')
    return path


def test_a_sqlite_table_gives_the_same_groups_as_the_same_rows_in_a_frame(sqlite_db):
    args = dict(outcome="poor", attributes=["sex", "region"], positive="yes", weight="weight")
    from_table = discover(f"sqlite:{sqlite_db}::survey 2024", **args).subgroups
    from_frame = discover(people(), **args).subgroups
    pd.testing.assert_frame_equal(from_table, from_frame)
    assert "sex=Female;region=north" in set(from_table.loc[from_table["flagged"], "definition"])


def test_a_view_is_a_table_too(sqlite_db):
    result = discover(f"sqlite:{sqlite_db}::north only", "poor", ["sex"], positive="yes")
    assert result.summary["learned"]["rows_used_"] == int((people()["region"] == "north").sum())


def test_a_missing_column_names_the_columns_of_the_table(sqlite_db):
    with pytest.raises(DiscoveryError) as err:
        discover(f"sqlite:{sqlite_db}::survey 2024", "poverty", ["sex"], positive="yes")
    text = str(err.value.problems[0])
    assert "poverty" in text and "region" in text


def test_a_table_name_is_only_ever_a_quoted_identifier(sqlite_db):
    bad = 'survey 2024"; DROP TABLE "survey 2024'
    with pytest.raises(DataError, match="cannot read table"):
        discover(f"sqlite:{sqlite_db}::{bad}", "poor", ["sex"], positive="yes")
    with sqlite3.connect(sqlite_db) as con:
        assert con.execute('SELECT count(*) FROM "survey 2024"').fetchone()[0] == 1500
    assert quote_table('a"b.c') == '"a""b"."c"'
    for wrong in ("", "a.b.c", "a..b"):
        with pytest.raises(DataError, match="not a table name"):
            table_parts(wrong)


def test_a_sqlite_database_is_opened_read_only(sqlite_db):
    from rightsmarker.discovery.tables import connect

    con = connect(f"sqlite:{sqlite_db}")
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        con.execute('DELETE FROM "survey 2024"')
    con.close()


def test_an_unknown_database_or_table_is_a_clear_error(tmp_path, sqlite_db):
    with pytest.raises(DataError, match="SQLite database not found"):
        discover(f"sqlite:{tmp_path}/nope.db::t", "poor", ["sex"], positive="yes")
    with pytest.raises(DataError, match="cannot read table 'nope'"):
        discover(f"sqlite:{sqlite_db}::nope", "poor", ["sex"], positive="yes")


def test_a_password_never_appears_in_a_source_label():
    assert safe_label("postgresql://me:s3cret@db:5432/x") == "postgresql://me:***@db:5432/x"


def _postgres():
    psycopg = pytest.importorskip("psycopg")
    try:
        return psycopg.connect(PG_URL, connect_timeout=3, autocommit=True)
    except psycopg.Error:
        pytest.skip(f"no PostgreSQL at {PG_URL}")


def test_a_postgresql_table_gives_the_same_groups_as_the_frame():
    admin = _postgres()
    name = f"rm_people_{secrets.token_hex(4)}"
    frame = people()
    try:
        admin.execute(f'CREATE TABLE {name} (sex text, region text, weight numeric(6,3), '
                      'poor text)')
        with admin.cursor().copy(f"COPY {name} FROM STDIN") as copy:
            for row in frame.itertuples(index=False):
                copy.write_row(row)
        args = dict(outcome="poor", attributes=["sex", "region"], positive="yes",
                    weight="weight")
        got = discover(f"{PG_URL}::public.{name}", **args).subgroups
        pd.testing.assert_frame_equal(got, discover(frame, **args).subgroups)
        from rightsmarker.discovery.tables import connect

        con = connect(PG_URL)
        assert read_table(con, f"public.{name}", ["weight"], limit=3)["weight"].dtype == float
        with pytest.raises(Exception, match="read-only"):
            con.execute(f"DELETE FROM {name}")
        con.close()
    finally:
        admin.execute(f"DROP TABLE IF EXISTS {name}")
        admin.close()


def test_the_discover_command_reads_a_sqlite_table_and_its_waves(sqlite_db, tmp_path, capsys):
    from typer.testing import CliRunner

    from rightsmarker.cli.common import run_app
    from test_discovery_cli import make_app

    out = tmp_path / "out"
    result = CliRunner().invoke(make_app(), [
        "discover", "--data", f"sqlite:{sqlite_db}::survey 2024", "--outcome", "poor",
        "--positive", "yes", "--attributes", "sex,region", "--weight", "weight",
        "--out", str(out)])
    assert result.exit_code == 0, result.output
    written = pd.read_csv(out / "subgroups.csv")
    assert "sex=Female;region=north" in set(written.loc[written["flagged"], "definition"])
    code = run_app(make_app(), ["discover", "--data", f"sqlite:{sqlite_db}::missing",
                                "--outcome", "poor", "--attributes", "sex", "--out", str(out)])
    assert code == 2 and "cannot read table 'missing'" in capsys.readouterr().err
