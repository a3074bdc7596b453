"""Attribute each quote in ``doc._.quotes`` to the mention that says it, and that mention to the
fullest name the article gives for it: the spaCy component ``quote_attributor``, which runs
after ``quote_finder``.

One module per step:

- :mod:`.candidates`: mentions that can speak, read from the parse;
- :mod:`.sieve`: the named rules, in order, that choose a quote's mention and cue;
- :mod:`.names`: pronouns, titles, surnames and statements resolved to names;
- :mod:`.lexicon`: the words all of them know, as data;
- :mod:`.component`: the component that runs the steps.
"""
from .component import QuoteAttributor, make_quote_attributor
from .lexicon import Lexicon, load_lexicon
from .sieve import RULES, Rule

__all__ = ["QuoteAttributor", "make_quote_attributor", "Lexicon", "load_lexicon", "RULES", "Rule"]
