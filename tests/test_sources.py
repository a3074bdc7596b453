import pytest

from quotes.records import Article
from quotes.sources import Rejected, clean_text, decode, find_files, html_to_text, read_article, read_articles

from .hostile import write_hostile_folder


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    return folder, write_hostile_folder(folder)


def test_every_hostile_file_is_read_or_rejected_with_a_reason(hostile):
    folder, expected = hostile
    results = {(r.source if isinstance(r, Article) else r.path.rsplit("/", 1)[1]): r for r in read_articles([folder])}
    assert set(results) == set(expected)
    for name, want in expected.items():
        got = results[name]
        if want.ingested:
            assert isinstance(got, Article), f"{name}: {got}"
            assert got.encoding in want.encodings, name
            assert want.quote in got.text, name
            assert not any(ch in got.text for ch in "\x00\r\ufeff"), name
        else:
            assert isinstance(got, Rejected), name
            assert want.reason in got.reason and "\n" not in str(got), name
            assert str(got).startswith(str(folder)), "the reason names the file"


def test_cp1252_is_detected_not_guessed(hostile):
    folder, _ = hostile
    article = read_article(folder / "cp1252.txt")
    assert "José Núñez" in article.text and "“unfair and rushed”" in article.text


def test_html_drops_scripts_and_styles_and_decodes_entities(hostile):
    folder, _ = hostile
    text = read_article(folder / "page.html").text
    assert text.split("\n\n") == ["Storm & flood", "The governor said: “We are doing everything we can.”",
                                  "Café owners “stay open”."]


def test_html_keeps_text_outside_paragraphs_and_folds_source_line_breaks():
    html = "<body><div>Lead line\n  continues<p>First\nparagraph<br>after break</p>tail</div><ul><li>one</li></ul></body>"
    assert html_to_text(html).split("\n\n") == ["Lead line continues", "First paragraph", "after break", "tail", "one"]


def test_a_page_with_no_markup_is_its_text():
    assert html_to_text("just words &amp; more") == "just words & more"


def test_decode_names_the_encoding():
    assert decode("naïve “café”".encode("utf-8")) == ("naïve “café”", "utf_8")
    text, encoding = decode("Grüße aus Köln und Düsseldorf, sagte er.".encode("utf-16"))
    assert (text, encoding) == ("Grüße aus Köln und Düsseldorf, sagte er.", "utf_16")


def test_clean_text_normalises_line_ends_and_blanks_controls_keeping_offsets():
    assert clean_text("\ufeffa\r\nb\rc\x00d\x07e\tf") == "a\nb\nc d e\tf"
    # Composition stays as written: offsets must index the file's own characters.
    assert clean_text("Cafe\u0301 \x83said") == "Cafe\u0301  said"


def test_two_files_with_one_name_reject_the_second(tmp_path):
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "same.txt").write_text('He said: "Hello there, friends."')
    results = list(read_articles([tmp_path]))
    assert isinstance(results[0], Article)
    assert isinstance(results[1], Rejected) and "same file name as" in results[1].reason


def test_a_missing_path_is_a_one_line_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="nope: no such file or folder"):
        find_files([tmp_path / "nope"])


def test_sources_csv_supplies_metadata(tmp_path):
    (tmp_path / "a.txt").write_text("Text.")
    (tmp_path / "sources.csv").write_text("file,outlet,published,url\na.txt,Daily,2021-11-07,http://x\n")
    article = next(iter(read_articles([tmp_path])))
    assert (article.outlet, article.published, article.url) == ("Daily", "2021-11-07", "http://x")


def test_a_file_over_the_size_limit_is_rejected_unread(tmp_path, monkeypatch):
    from quotes import sources

    monkeypatch.setattr(sources, "MAX_BYTES", 1024 * 1024)
    (tmp_path / "huge.txt").write_bytes(b"a" * (1024 * 1024 + 1))
    [rejected] = list(read_articles([tmp_path]))
    assert isinstance(rejected, Rejected) and rejected.reason == "larger than 1 MB"


def test_an_unreadable_sources_csv_is_named_and_the_articles_still_read(tmp_path):
    (tmp_path / "a.txt").write_text("Some text.")
    (tmp_path / "sources.csv").write_bytes(b"\xff\xfe\x00garbage\x00")
    results = list(read_articles([tmp_path]))
    assert isinstance(results[0], Rejected) and results[0].path.endswith("sources.csv")
    assert "unreadable sources file" in results[0].reason
    assert isinstance(results[1], Article)


@pytest.mark.parametrize("opening, date", [
    (" date 2024-03-05 The Harbour Times - News", "2024-03-05"),
    ("Category: Sport Published on Tuesday, 05 March 2024 12:17", "2024-03-05"),
    ("By STAFF\nMARCH 5, 2024 02:54\nThe port reopened.", "2024-03-05"),
    ("Posted Mar. 5th, 2024 by the desk", "2024-03-05"),
    ("The port reopened on Tuesday after the storm.", None),
    ("Filed 31 February 2024", None),
])
def test_the_date_an_article_states_at_its_top(opening, date):
    from quotes.sources import dateline

    assert dateline(opening + "\n\nBody of the story.") == date


def test_a_date_deep_in_the_story_is_not_the_articles(tmp_path):
    from quotes.sources import read_article

    path = tmp_path / "a.txt"
    path.write_text("The port reopened.\n\n" + "Words about the port. " * 60 + "It first opened on May 1, 1921.\n")
    assert read_article(path).published is None


def test_a_sources_file_date_wins_over_the_text(tmp_path):
    from quotes.sources import read_article

    path = tmp_path / "a.txt"
    path.write_text("date 2024-03-05 The Harbour Times\n\nThe port reopened.\n")
    assert read_article(path, {"published": "2024-03-06"}).published == "2024-03-06"


def test_html_reads_the_story_without_the_page_around_it():
    html = ("<html><body><header><nav><a href='/'>Home</a> <a href='/x'>'We won,' says coach</a></nav></header>"
            "<main><article><header><h1>Dam holds</h1></header>"
            "<p>\u201cThe dam will hold,\u201d the engineer said.</p>"
            "<aside><p>\u201cThe dam will hold\u201d</p></aside>"
            "<form><button>Subscribe</button></form>"
            "<p>Water fell overnight.</p><footer>Share this story</footer></article>"
            "<article><p>Related: Storm ahead</p></article></main>"
            "<footer><p>\u00a9 The Gazette</p></footer></body></html>")
    assert html_to_text(html).split("\n\n") == ["Dam holds", "\u201cThe dam will hold,\u201d the engineer said.",
                                                "Water fell overnight."]


@pytest.mark.parametrize("opening, date", [
    # a caption or a sentence mentions a date: it is not the article's
    ("Mill reopens after floods\n\nA photo taken on March 31, 2023 shows the mill wheel.", None),
    ("Workers return to the mill\n\nThe mill, closed since 4 April 2023, reopened.", None),
    ("Mill reopens\nUpdated: Jun 02, 2024 10:38 CET\nWorkers returned.", "2024-06-02"),
])
def test_only_a_date_stamp_dates_an_article(opening, date):
    from quotes.sources import dateline

    assert dateline(opening + "\n\nBody of the story.") == date


@pytest.mark.parametrize("text, title", [
    (" date 2024-06-02 Mill reopens after the spring floods\n\nWorkers returned on Monday.", "Mill reopens after the spring floods"),
    ("News\n\nWorld\n\nMill reopens after the spring floods\n\nWorkers returned.", "Mill reopens after the spring floods"),
    ("The County Post - News Sport WEATHER MARKETS Opinion PODCAST\nMill reopens after floods\nText.", "Mill reopens after floods"),
    ("Category: Local Published on Sunday, 02 June 2024 12:17\n\nMill reopens after floods\n\nText.", "Mill reopens after floods"),
    ("Follow us on social media\nMill reopens after floods\nText.", "Mill reopens after floods"),
    # the article starts with its story: no headline can be told
    (" date 2024-06-02 Workers at the old mill on the river returned on Monday after the spring floods had kept "
     "the gates shut for six weeks, the owners said.\n\nMore text.", None),
])
def test_an_articles_title_is_its_headline(text, title):
    from quotes.sources import headline

    assert headline(text) == title


def test_an_article_with_no_headline_is_titled_by_its_file_name(tmp_path):
    path = tmp_path / "mill-story.txt"
    path.write_text("Workers at the old mill on the river returned on Monday after the spring floods had kept the "
                    "gates shut for six weeks, the owners said in a statement.\n", encoding="utf-8")
    assert read_article(path).title == "mill-story.txt"
    page = tmp_path / "mill.html"
    page.write_text("<html><head><title>Mill reopens | County Post</title></head><body><nav>Home News</nav>"
                    "<article><h1>Mill reopens after floods</h1><p>Workers returned.</p></article></body></html>")
    assert read_article(page).title == "Mill reopens after floods"


def test_a_corpus_describes_itself_in_corpus_yml(tmp_path):
    from quotes.sources import read_corpus_description

    (tmp_path / "corpus.yml").write_text("title: Mill town news\nsource: County papers\nsource_url: https://example.org\n")
    assert read_corpus_description([tmp_path]) == {"title": "Mill town news", "source": "County papers",
                                                   "source_url": "https://example.org"}
    assert read_corpus_description([tmp_path / "nothing-here"]) == {}
    (tmp_path / "corpus.yml").write_text("title: [unclosed\n")
    with pytest.raises(ValueError, match=r"corpus\.yml: not a YAML file"):
        read_corpus_description([tmp_path])
    (tmp_path / "corpus.yml").write_text("titel: typo\n")
    with pytest.raises(ValueError, match="expected only the keys title, description, source, source_url"):
        read_corpus_description([tmp_path])


def test_the_date_stamp_at_the_top_is_blanked_for_the_parser_offsets_kept():
    from quotes.sources import without_stamp

    text = ' date 2021-03-04 Ana Paz said the dam would "hold for years."\n\nMore.'
    blanked = without_stamp(text)
    assert len(blanked) == len(text) and "2021" not in blanked and blanked.index("Ana") == text.index("Ana")
    assert without_stamp("No stamp at the top.\n\nNone below either.") == "No stamp at the top.\n\nNone below either."
