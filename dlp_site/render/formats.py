"""Presentation of money, shares, dates and terms: the Jinja filters (KPI figures are model/kpis.py)."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from babel.dates import format_date

from ..data.terms import Term
from ..model.kpis import plain


def term_text(term: Term | str) -> str:
    """'Summer term 2022'."""
    return Term.parse(term).text


def long_date(day: date) -> str:
    """'1 September 2021', the same on every OS (strftime's %-d is glibc-only)."""
    return format_date(day, "d MMMM y", locale="en_GB")


def money(amount: Decimal) -> str:
    return f"£{amount.quantize(Decimal(1), rounding=ROUND_HALF_UP):,}"


def money_short(amount: Decimal) -> str:
    if amount >= 1_000_000:
        return f"£{plain(amount / 1_000_000, 1)} million"
    if amount >= 10_000:
        return f"£{plain(amount / 1000, 0)} thousand"
    return money(amount)


def share(part: Decimal | int, whole: Decimal | int) -> str:
    if not whole:
        return "–"
    return f"{plain(Decimal(part) * 100 / Decimal(whole), 0)}%"


ONE_LINE_CHARACTERS = 160


def one_line(text: str, limit: int = ONE_LINE_CHARACTERS) -> str:
    """A summary's first sentence, for a list or a search result ("what it offers" at a
    glance; the project's page has the rest). A sentence longer than `limit` characters is
    cut at the last space before it, with an ellipsis."""
    text = " ".join(text.split())
    # A sentence ends at . ! or ? before a space and a capital ("e.g. this" does not end one).
    ends = [i + 1 for i, c in enumerate(text[:-2]) if c in ".!?" and text[i + 1] == " " and text[i + 2].isupper()]
    sentence = text[:ends[0]] if ends else text
    if len(sentence) <= limit:
        return sentence
    cut = sentence.rfind(" ", 0, limit)
    return sentence[:cut if cut > 0 else limit].rstrip(",;:") + "…"
