"""Abbreviations on a page: the first use of each is expanded, later uses are left as they are.

One `FirstUse` serves one page, in document order. Templates call `expand("KPI")` in our own
sentences ("key performance indicator (KPI)") and `abbr(text)` on text from the data, which
cannot be reworded: there the first use is wrapped in <abbr title="...">. Data text is split
as plain text and every piece is escaped on its own; nothing is ever searched for in
already-escaped HTML, and nothing but <abbr> is added.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from markupsafe import Markup, escape

from ..model.glossary import Term


class FirstUse:
    def __init__(self, terms: Iterable[Term]) -> None:
        self.terms = {t.term: t for t in terms if t.is_abbreviation}
        self.seen: set[str] = set()
        names = sorted(self.terms, key=len, reverse=True)
        # A whole word, with an optional plural 's' (KPIs); never inside a longer word or a
        # hyphenated id (semh-hub), and matched as written (capitals only).
        self._pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, names)) + r")(s?)(?![\w-])") \
            if names else None

    def _first(self, term: str) -> Term | None:
        found = self.terms.get(term)
        if found is None or term in self.seen:
            return None
        self.seen.add(term)
        return found

    def expand(self, term: str, plural: bool = False) -> Markup:
        """Our own text: 'key performance indicators (KPIs)' the first time, 'KPIs' after."""
        shown = term + ("s" if plural else "")
        found = self._first(term)
        if found is None:
            return escape(shown)
        words = str(found.stands_for) + ("s" if plural else "")
        return Markup('{} (<abbr title="{}">{}</abbr>)').format(words, found.stands_for, shown)

    def used_in(self, texts: Iterable[str]) -> list[Term]:
        """The abbreviations that appear in `texts`, A to Z (for a key under a table)."""
        found = {m.group(1) for text in texts for m in self._pattern.finditer(text)} if self._pattern else set()
        return [self.terms[name] for name in sorted(found)]

    def abbr(self, text: str) -> Markup:
        """Text from the data, escaped, with the first use on the page of each abbreviation
        marked as <abbr title="what it stands for">."""
        if self._pattern is None:
            return escape(text)
        out, at = [], 0
        for match in self._pattern.finditer(text):
            found = self._first(match.group(1))
            if found is None:
                continue
            out.append(escape(text[at:match.start()]))
            out.append(Markup('<abbr title="{}">{}</abbr>').format(found.stands_for, match.group(0)))
            at = match.end()
        out.append(escape(text[at:]))
        return Markup("").join(out)


def plain_expand(term: str, plural: bool = False) -> str:
    """Where no page tracks first uses (newsletter shortcodes, email): the term as written."""
    return term + ("s" if plural else "")


def plain_abbr(text: str) -> str:
    return text


def no_abbreviations(texts: Iterable[str]) -> list[Term]:
    return []
