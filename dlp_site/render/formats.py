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
