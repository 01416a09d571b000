"""The site's glossary: plain-English words for the terms a parent meets on the site.

The built-in terms are the ordinary vocabulary of SEND support and of official statistics in
England, true of any council's programme. A council adds its own (its abbreviations, its
programme's short name) in programme.yml's `glossary`, which also replaces a built-in entry of
the same name. Nothing here is about any one council.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..data.settings import GlossaryEntry, Programme
from .kpis import SUPPRESSED


@dataclass(frozen=True)
class Term:
    term: str
    stands_for: str | None = None  # for an abbreviation: the words it stands for
    meaning: str | None = None  # what it means, in plain English

    @property
    def anchor(self) -> str:
        """The term's id on the glossary page: 'high-needs-block', 'send'."""
        return "term-" + (re.sub(r"[^a-z0-9]+", "-", self.term.casefold()).strip("-") or "symbol")

    @property
    def is_abbreviation(self) -> bool:
        """SEND, KPIs, EHCP: written in capitals (an optional plural 's' aside), with a
        `stands_for` to expand it to. Their first use on a page is expanded."""
        letters = self.term[:-1] if self.term.endswith("s") else self.term
        return bool(self.stands_for) and len(letters) >= 2 and letters.isupper() and " " not in letters


BUILT_IN: tuple[Term, ...] = (
    Term("SEND", "special educational needs and disabilities",
         "Children and young people who need extra help to learn because of a learning difficulty or a "
         "disability."),
    Term("SENCO", "special educational needs coordinator",
         "The teacher in each school or nursery who organises support for children with SEND. A family's "
         "first person to ask about any of the support on this site."),
    Term("SEMH", "social, emotional and mental health",
         "Needs such as anxiety, low mood, or behaviour that shows a child is struggling."),
    Term("ADHD", "attention deficit hyperactivity disorder",
         "A condition that affects attention, activity and self-control."),
    Term("EHCP", "education, health and care plan",
         "A legal document from the council setting out a child's needs and the support they must get. "
         "Most of the support on this site does not need one."),
    Term("KPI", "key performance indicator",
         "A measure a project reports to show whether children are doing better: the figure before the "
         "project started (the baseline) and the latest figure."),
    Term("RAG", "red, amber, green",
         "The status each project reports every term: green means on track, amber some concerns, red that "
         "the project needs support."),
    Term("High Needs Block", None,
         "The part of the government's funding for schools (the Dedicated Schools Grant) that pays for "
         "support for children and young people with more complex SEND."),
    Term("Local Offer", None,
         "The information every council in England publishes about the support available for children and "
         "young people with SEND and their families."),
    Term("partnership", None,
         "A group of schools and settings that run projects together (a consortium, network or district), "
         "or the team running a project across the whole council area."),
    Term("consortium", None,
         "A group of primary schools near each other that work together (plural: consortia)."),
    Term("secondary network", None, "A group of secondary schools near each other that work together."),
    Term("partnership specialist worker", None,
         "A specialist, such as a family support worker or a SEND practitioner, employed by a partnership "
         "to work across all its schools."),
    Term("setting", None, "A nursery, pre-school or other place of learning that is not a school."),
    Term("Early Years", None, "Children from birth to five years old, and the nurseries and pre-schools they go to."),
    Term("Post-16", None, "Education and training for young people from 16 to 25."),
    Term("allocation", None, "The money set aside for a partnership or project."),
    Term("baseline", None, "The figure measured before a project started, which later figures are compared with."),
    Term("percentage points", None,
         "The difference between two percentages: from 20% to 30% is a rise of 10 percentage points (which "
         "is a 50% rise)."),
)


def _entry(term: str, value: str | GlossaryEntry) -> Term:
    if isinstance(value, GlossaryEntry):
        return Term(term, value.stands_for, value.meaning)
    capitals = Term(term, value)
    return capitals if capitals.is_abbreviation else Term(term, None, value)


def glossary(programme: Programme) -> tuple[Term, ...]:
    """Every term, A to Z: the built-in ones, the programme's short name, the symbol for a
    suppressed figure (with this programme's threshold), then programme.yml's own entries,
    which replace a built-in term of the same name."""
    terms = {t.term.casefold(): t for t in BUILT_IN}
    terms["c"] = Term(
        SUPPRESSED, None,
        f"Shown in place of a figure that is not published, to protect children's privacy, because fewer than "
        f"{programme.disclosure_threshold} pupils are involved. It is the symbol UK official statistics use.")
    if programme.short_name.casefold() != programme.programme.casefold():
        terms[programme.short_name.casefold()] = Term(
            programme.short_name, programme.programme,
            f"The programme this site reports on, run by {programme.local_authority}.")
    for term, value in programme.glossary.items():
        terms[term.casefold()] = _entry(term, value)
    return tuple(sorted(terms.values(), key=lambda t: t.term.casefold()))
