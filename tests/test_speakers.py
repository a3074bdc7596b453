"""Canonical speakers across the database: rules over names, no hand-kept alias list."""
from quotes.records import StoredQuote
from quotes.speakers import name_words, resolve_speakers, transliteration_key


def stored(names, kind="person", handles=None):
    handles = handles or {}
    return [StoredQuote(id=f"q{i}", article_id=f"a{i}", text="…", kind="post" if name in handles else "full",
                        language="en", speaker_name=name, speaker_kind=kind, handle=handles.get(name))
            for i, name in enumerate(names)]


def groups(quotes):
    speakers, assignment = resolve_speakers(quotes)
    by_id = {s.id: s for s in speakers}
    return speakers, {q.speaker_name: by_id[assignment[q.id]].name for q in quotes if assignment[q.id]}


def test_every_spelling_of_one_name_is_one_speaker():
    names = ["Mustafa al-Kadhimi", "Kadhimi", "al-Kadhimi", "Al-Kadhimi", "Khadimi", "@MAKadhimi",
             "Mustafa Al-Kadhimi مصطفى الكاظمي"]
    speakers, canonical = groups(stored(names))
    assert len(speakers) == 1
    assert set(canonical.values()) == {"Mustafa al-Kadhimi"}
    assert {"Khadimi", "@MAKadhimi", "al-Kadhimi"} <= speakers[0].aliases


def test_a_handle_is_tied_to_a_name_by_the_articles_own_post_line():
    names = ["Lena Marsh", "@lm_official", "Lena Marsh"]
    quotes = stored(names[:2])
    quotes.append(StoredQuote(id="post", article_id="a9", text="…", kind="post", language="en",
                              speaker_name="Lena Marsh", speaker_kind="person", handle="@lm_official"))
    speakers, canonical = groups(quotes)
    assert canonical["@lm_official"] == "Lena Marsh"
    assert len(speakers) == 1


def test_two_people_sharing_a_surname_stay_two():
    _, canonical = groups(stored(["Ali Shamkhani", "Ahmad Shamkhani"]))
    assert canonical["Ali Shamkhani"] != canonical["Ahmad Shamkhani"]


def test_a_lone_surname_shared_by_two_people_is_not_guessed():
    _, canonical = groups(stored(["Ali Shamkhani", "Ahmad Shamkhani", "Shamkhani"]))
    assert canonical["Shamkhani"] == "Shamkhani"


def test_short_surnames_do_not_merge_by_edit_distance():
    _, canonical = groups(stored(["Maria Cruz", "Maria Crux"]))
    assert canonical["Maria Cruz"] != canonical["Maria Crux"]


def test_organisations_merge_on_head_noun_and_modifiers():
    _, canonical = groups(stored(["Iraqi military", "Iraq's military", "military"], kind="organisation"))
    assert len(set(canonical.values())) == 1


def test_a_bare_body_joins_only_the_one_body_it_can_be():
    _, canonical = groups(stored(["Iraqi military", "US military", "military"], kind="organisation"))
    assert len(set(canonical.values())) == 3


def test_name_words_and_transliteration_key():
    assert name_words("Mustafa Al-Kadhimi مصطفى الكاظمي") == ["mustafa", "kadhimi"]
    assert transliteration_key("khadimi") == transliteration_key("kadhimi")
    assert transliteration_key("smith") != transliteration_key("smyth")


def test_a_name_printed_in_capitals_reads_as_a_name():
    from quotes.records import StoredQuote
    from quotes.speakers import resolve_speakers

    quotes = [StoredQuote(id="a", article_id="x", text="t", kind="post", language="en",
                          speaker_name="HARBOUR NEWS AGENCY", speaker_kind="organisation", handle="@harbournews"),
              StoredQuote(id="b", article_id="x", text="u", kind="full", language="en",
                          speaker_name="NATO", speaker_kind="organisation")]
    speakers, _ = resolve_speakers(quotes)
    assert sorted(s.name for s in speakers) == ["Harbour News Agency", "NATO"]


def test_a_curly_apostrophe_stays_in_the_name():
    speakers, canonical = groups(stored(["Dana O’Neill", "O’Neill"]))
    assert set(canonical.values()) == {"Dana O’Neill"} and len(speakers) == 1


def test_persian_spellings_and_an_honorific_given_name_are_one_speaker():
    speakers, canonical = groups(stored(["Abbas Araghchi", "Abbas Araqchi", "Seyed Abbas Araghchi"]))
    assert len(speakers) == 1 and transliteration_key("araghchi") == transliteration_key("araqchi")


def test_a_name_the_tagger_took_for_a_body_joins_the_one_person_it_fits():
    quotes = stored(["Marta Okonjo"]) + stored(["Marta N. Okonjo", "Okonjo Foundation"], kind="organisation")
    for i, q in enumerate(quotes):
        q.id = f"x{i}"
    _, canonical = groups(quotes)
    assert canonical["Marta N. Okonjo"] == canonical["Marta Okonjo"]
    assert canonical["Okonjo Foundation"] == "Okonjo Foundation"
