import pytest

from quotes.plugin.wording import agreement_words, language_name, long_date, text_direction


@pytest.mark.parametrize("code, name", [("ar", "Arabic"), ("fa", "Persian"), ("en", "English"), ("zz", "zz"),
                                        (None, "an unknown language")])
def test_language_names_fall_back_to_the_code(code, name):
    assert language_name(code) == name


@pytest.mark.parametrize("code, direction", [("ar", "rtl"), ("fa", "rtl"), ("en", "ltr"), ("ar-EG", "rtl"),
                                             ("und", "auto"), ("zz", "auto"), (None, "auto")])
def test_text_direction_follows_the_languages_script(code, direction):
    assert text_direction(code) == direction


def test_long_date_spells_the_month_and_keeps_what_is_not_a_date():
    assert long_date("2024-03-05") == "5 March 2024"
    assert long_date("2021") == "2021" and long_date(None) is None


def test_agreement_words_give_the_reason_for_translations():
    assert agreement_words(1.0) == agreement_words(1.0, translated=True) == "word for word the same"
    assert agreement_words(0.8) == agreement_words(0.8, translated=True) == "mostly the same words"
    assert agreement_words(0.57, translated=True) == "many words differ, as separate translations do"
    assert agreement_words(0.2) == "mostly different words"
