"""Differences that change what a speaker is reported to have said, on invented statements."""
import pytest

from quotes.meaning import flag_groups, meaning_flags
from quotes.records import Group, StoredQuote

REFERENCE = "Mayor Anna Kowalski said the council will not close the three bridges over the Lemna in March"


def kinds(reference: str, version: str) -> list[str]:
    return [f.kind for f in meaning_flags(reference, version)]


@pytest.mark.parametrize("version, kind", [
    ("Mayor Anna Kowalski said the council will close the three bridges over the Lemna in March", "negation"),
    ("Mayor Anna Kowalski said the council will never close the three bridges over the Lemna in March", None),
    ("Mayor Anna Kowalski said the council will not close the four bridges over the Lemna in March", "number"),
    ("Mayor Anna Kowalski said the council will not close the three bridges over the Lemna in April", "number"),
    ("Mayor Anna Kowalski said the council will not close the three bridges over the Dravnik in March", "name"),
    ("Mayor Anna Kowalski said the council may not close the three bridges over the Lemna in March", "modality"),
    ("Mayor Anna Kowalski said the council must not close the three bridges over the Lemna in March", "modality"),
])
def test_each_kind_of_change_is_flagged_with_its_kind(version, kind):
    assert kinds(REFERENCE, version) == ([kind] if kind else [])


def test_a_qualifier_dropped_or_added_is_flagged_both_ways():
    with_it = "Police said the alleged smuggler crossed the border at night"
    without = "Police said the smuggler crossed the border at night"
    assert kinds(with_it, without) == ["qualifier"]
    assert kinds(without, with_it) == ["qualifier"]
    flag = meaning_flags(with_it, without)[0]
    assert (flag.reference, flag.version) == ("alleged", "")
    assert kinds("The so-called reform failed", "The reform reportedly failed") == ["qualifier"]
    assert kinds("He reportedly left", "He allegedly left") == ["qualifier"]
    assert kinds("He allegedly left", "The alleged thief left") == []  # the same hedge, as adverb and adjective


@pytest.mark.parametrize("reference, version", [
    ("We counted three hundred and five votes", "We counted 305 votes"),
    ("Twenty-five thousand people marched", "25,000 people marched"),
    ("They sent forty soldiers", "They sent 40 soldiers"),
    ("It happened on the 3rd of May", "It happened on the third of May"),
])
def test_a_number_written_in_words_or_digits_is_the_same_number(reference, version):
    assert kinds(reference, version) == []


def test_a_changed_number_shows_the_values():
    flag = meaning_flags("Twenty-five thousand people marched", "24,000 people marched")[0]
    assert (flag.kind, flag.reference, flag.version) == ("number", "25000", "24000")


@pytest.mark.parametrize("reference, version", [
    # translation choices: a word put for another of the same kind
    ("We will give a warm welcome to the visitors", "We will give a kind welcome to the visitors"),
    ("The ferries of autumn will not stop us", "The boats of autumn won't stop us"),
    ("No one will forgive this crime", "Nobody will forgive this crime"),
    ("There is no doubt that the team will recover", "The team will undoubtedly recover"),
    # reported speech: "will" printed "would", "can" printed "could"; "must" and "should" oblige alike
    ("He said they will rebuild the dam", "He said they would rebuild the dam"),
    ("Every citizen must know the truth", "Every citizen should know the truth"),
    # one name in two spellings, a country and its adjective, a dotted acronym
    ("Commander Tomasz Wrobel visited Valdora", "Commander Tomas Wroble visited Valdora"),
    ("The Valdoran army will pay", "The Valdora army will pay"),
    ("The U.N. envoy arrived", "The UN envoy arrived"),
    # a title put for another before the same name
    ("General Wrobel will lead the talks", "Commander Wrobel will lead the talks"),
    # "May" the month is a date, not a modal
    ("The vote is in May", "The vote is in May"),
])
def test_wording_that_keeps_the_meaning_is_not_flagged(reference, version):
    assert kinds(reference, version) == []


def test_a_fragment_is_compared_only_with_the_words_it_renders():
    reference = "We will not rebuild the bridge before 2030, Minister Olek Brandt of Valdora said"
    assert kinds(reference, "rebuild the bridge") == []
    assert kinds(reference, "not rebuild the bridge before 2030") == []
    assert kinds(reference, "rebuild the bridge before 2031") == ["number"]
    assert kinds(reference, "We will rebuild the bridge") == ["negation"]


def test_a_word_swapped_at_either_end_is_still_compared():
    assert kinds("Valdora will answer with force", "Norvesk will answer with force") == []  # a capital opening a sentence names nobody for sure
    assert kinds("the council will answer in five days", "the council will answer in six days") == ["number"]
    assert kinds("the council will answer Brandt", "the council will answer Kowalski") == ["name"]


def test_nothing_in_common_flags_nothing():
    assert meaning_flags("Forty ships sank", "Cats sleep a lot") == []
    assert meaning_flags("", "anything") == []


def test_groups_are_flagged_against_their_representative_in_its_language():
    quotes = {
        "a": StoredQuote("a", "art1", "The port will not reopen before June", "full", "en"),
        "b": StoredQuote("b", "art2", "The port will reopen before June", "full", "en"),
        "c": StoredQuote("c", "art3", "port will not reopen", "fragment", "en"),
        "d": StoredQuote("d", "art4", "لن يفتح الميناء قبل يونيو", "full", "ar"),
    }
    group = Group(quote_ids=["a", "b", "c", "d"], representative_id="a", original_id="d")
    rows = flag_groups([group], quotes)
    assert rows == [{"quote_id": "b", "group_id": group.id, "kind": "negation", "reference_quote_id": "a", "reference": "not", "version": ""}]


def test_the_wording_most_outlets_printed_is_the_reference_when_the_representative_strays():
    right = "The port will reopen before June, and every ship will be inspected"
    quotes = {
        "a": StoredQuote("a", "art1", right.replace("June", "July"), "full", "en"),  # the representative, misprinted
        "b": StoredQuote("b", "art2", right, "full", "en"),
        "c": StoredQuote("c", "art3", right + ".", "full", "en"),
        "d": StoredQuote("d", "art4", "The port will reopen before June", "fragment", "en"),
    }
    group = Group(quote_ids=["a", "b", "c", "d"], representative_id="a")
    rows = flag_groups([group], quotes)
    assert [(r["quote_id"], r["kind"], r["reference_quote_id"]) for r in rows] == [("a", "number", "b")]
    # with no wording printed more often than the representative's, the representative is the reference
    group = Group(quote_ids=["a", "b", "d"], representative_id="a")
    assert {r["reference_quote_id"] for r in flag_groups([group], quotes)} == {"a"}
