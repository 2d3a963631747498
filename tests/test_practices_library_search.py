"""Search over practices: English and Korean text, filters, similar practices and the CLI."""

from __future__ import annotations

import json

import pytest
import typer

from rightsmarker.cli.common import run_app
from rightsmarker.cli.practices_cmd import register
from rightsmarker.practices import Practice
from rightsmarker.practices.examples import example_practices
from rightsmarker.practices.io import write_practices
from rightsmarker.practices.search import PracticeIndex, index_text, query_terms, strip_particle


@pytest.fixture
def index():
    with PracticeIndex() as ix:
        ix.add(example_practices())
        ix.add(Practice(id="kr-rights-city", city="GWA",
                        title={"ko": "인권을 존중하는 도시 만들기"},
                        summary={"ko": "시민의 인권에 대한 인식을 높인다."}, themes=["CUL"],
                        period={"start": 2023}))
        yield ix


def ids(hits) -> list[str]:
    return [h.id for h in hits]


def test_korean_words_are_indexed_as_syllable_bigrams():
    assert index_text("인권을 지킨다 and rights") == "인권 권을 지킨 킨다 and rights"
    assert strip_particle("인권을") == "인권" and strip_particle("노인") == "노인"
    assert query_terms("인권을 housing*") == ['"인권"', '"housing"*']


def test_a_korean_query_finds_the_word_with_particles_attached(index):
    found = ids(index.search("인권"))
    assert "kr-rights-city" in found  # 인권을, 인권에
    assert "dae-rights-education" in found  # 인권교육, 인권을
    assert ids(index.search("인권을")) == ids(index.search("인권"))


def test_an_english_query_matches_other_forms_of_the_word(index):
    assert ids(index.search("houses")) == ["vie-housing-first"]
    assert ids(index.search("disabled residents")) == ["seo-barrier-free"]
    assert ids(index.search("nothing-like-this")) == []


def test_all_words_of_a_query_are_required(index):
    assert ids(index.search("living wage")) == ["seo-living-wage"]
    assert ids(index.search("living wage clinic")) == []


def test_filters_by_theme_group_city_region_and_year(index):
    assert set(ids(index.search("", themes=["SPA"]))) == {"seo-barrier-free", "vie-housing-first"}
    assert ids(index.search("", themes=["SPA.2"])) == ["vie-housing-first"]
    assert set(ids(index.search("", groups=["homeless-persons"]))) == {
        "bcn-clinic", "vie-housing-first"}
    assert set(ids(index.search("", cities=["SEO"]))) == {"seo-barrier-free", "seo-living-wage"}
    assert set(ids(index.search("", regions=["Europe"]))) == {"bcn-clinic", "vie-housing-first"}
    in_2018 = set(ids(index.search("", year=2018)))
    assert in_2018 == {"bcn-clinic", "seo-living-wage", "vie-housing-first"}
    assert ids(index.search("clinic", regions=["Asia"])) == []


def test_similar_practices_share_words_and_codes(index):
    index.add(Practice(id="vie-more-housing", city="VIE", title={"en": "More flats for homeless "
                       "people sleeping rough"}, themes=["SPA"], groups=["homeless-persons"]))
    similar = index.similar("vie-housing-first", limit=3)
    assert similar[0].id == "vie-more-housing"
    assert "vie-housing-first" not in ids(similar)


def test_adding_a_practice_again_replaces_it(index):
    before = len(index)
    p = index.get("bcn-clinic")
    index.add(p.revised(title={"en": "Municipal clinic open to all"}))
    assert len(index) == before
    assert ids(index.search("municipal clinic")) == ["bcn-clinic"]
    assert index.get("bcn-clinic").version == 2
    assert index.remove("bcn-clinic") == 1 and index.get("bcn-clinic") is None


def cli(argv: list[str]) -> int:
    app = typer.Typer()

    @app.callback()
    def _root() -> None:
        """test app"""

    register(app)
    return run_app(app, argv)


def test_the_cli_imports_searches_exports_and_tags(tmp_path, capsys):
    src, db, out = tmp_path / "p.json", tmp_path / "p.sqlite", tmp_path / "out.csv"
    write_practices(example_practices(), src)
    assert cli(["practices", "import", str(src), "--out", str(db)]) == 0
    capsys.readouterr()
    assert cli(["practices", "search", "인권", "--db", str(db), "--json"]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines() if x.strip()]
    assert [x["id"] for x in lines] == ["dae-rights-education"]
    assert cli(["practices", "search", "", "--db", str(db), "--theme", "SPA", "--group",
                "homeless-persons", "--json"]) == 0
    assert '"vie-housing-first"' in capsys.readouterr().out
    assert cli(["practices", "export", "--db", str(db), "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8").count("\n") == 7
    capsys.readouterr()
    assert cli(["practices", "tag", "노인과 장애인의 주거권을 보장한다", "--no-embeddings",
                "--json"]) == 0
    tags = json.loads(capsys.readouterr().out)
    assert {"older-persons", "persons-with-disabilities"} <= {t["code"] for t in tags}


def test_the_cli_says_when_the_store_is_missing_or_a_file_is_bad(tmp_path, capsys):
    assert cli(["practices", "search", "x", "--db", str(tmp_path / "none.sqlite")]) == 2
    assert "no practice store" in capsys.readouterr().err
    bad = tmp_path / "bad.csv"
    bad.write_text("id,city,title_en\nx y,SEO,T\n", encoding="utf-8")
    assert cli(["practices", "import", str(bad), "--out", str(tmp_path / "db")]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "row 2" in err and "'id'" in err and "nothing was imported" in err


def test_query_syntax_characters_are_taken_as_text_not_as_fts5_syntax(index):
    for query in ['housing" OR (x', "NEAR(a b)", "-clinic", "col:title", "^인권", "*", "'", "ü"]:
        index.search(query)  # no sqlite3.OperationalError
    assert ids(index.search('"housing"')) == ["vie-housing-first"]


def test_a_practice_is_found_by_the_english_and_korean_labels_of_its_tags():
    with PracticeIndex() as ix:
        ix.add([Practice(id="p-migrants", city="x", title={"en": "Welcome desk"},
                         groups=["migrants"], themes=["SOC"]),
                Practice(id="p-other", city="x", title={"en": "Library hours"})])
        for query in ("migrants", "Migrants", "이주민", "social inclusion", "사회 통합"):
            assert ids(ix.search(query)) == ["p-migrants"], query


def test_an_index_file_of_an_older_version_is_indexed_again_when_opened(tmp_path):
    import sqlite3

    from rightsmarker.practices.sqlite_backend import INDEX_VERSION

    path = tmp_path / "index.sqlite3"
    with PracticeIndex(str(path)) as ix:
        ix.add(Practice(id="p-migrants", city="x", title={"en": "Welcome desk"},
                        groups=["migrants"]))
    db = sqlite3.connect(path)  # as an older version wrote it: no labels, user_version 0
    with db:
        db.execute("UPDATE practice_fts SET body = 'x'")
        db.execute("PRAGMA user_version = 0")
    db.close()
    with PracticeIndex(str(path)) as ix:
        assert ids(ix.search("migrants")) == ["p-migrants"] and len(ix) == 1
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == INDEX_VERSION
    db.close()
