"""The Jinja environment every template renders in: autoescaped, strict, with the filters and
globals the templates share (made once per process; templates are HTML inside Markdown files)."""

from __future__ import annotations

import functools
import operator
from pathlib import Path

import jinja2

from ..model import kpis
from ..model.labels import KIND_LABELS, PHASE_LABELS, RAG_LABELS
from . import charts, formats
from .abbreviations import no_abbreviations, plain_abbr, plain_expand
from .cachedir import bytecode_cache
from .map.page import EMBED_MAP_PAGE, MAP_BUNDLE, MAP_PAGE, MAP_STYLE_BUNDLE
from .map.places import KIND_LETTERS
from .urls import area_md, partnership_md, project_md, theme_md

TEMPLATES = Path(__file__).parent / "templates"


@functools.cache
def environment() -> jinja2.Environment:
    """Made once per process: each template is compiled once, however many pages and builds
    (the preview's) use it. Nothing may change it after this; what differs from one build or
    page to the next is passed to render()."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,  # every template emits HTML (inside Markdown files)
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # Compiled templates are kept between builds (each build is a new process).
        bytecode_cache=bytecode_cache("pages"),
    )
    env.filters.update(
        money=formats.money,
        long_date=formats.long_date,
        money_short=formats.money_short,
        term=formats.term_text,
        share=formats.share,
        plain=kpis.plain,
        kind=KIND_LABELS.__getitem__,
        phase=PHASE_LABELS.__getitem__,
        rag=RAG_LABELS.__getitem__,
    )
    env.globals.update(
        SUPPRESSED=kpis.SUPPRESSED,
        SUPPRESSED_MEANING=kpis.SUPPRESSED_MEANING,
        kpi_chart=charts.kpi_chart,
        allocation_chart=charts.allocation_chart,
        engagement_chart=charts.engagement_chart,
        project_md=project_md,
        partnership_md=partnership_md,
        area_md=area_md,
        theme_md=theme_md,
        KIND_LABELS=KIND_LABELS,
        KIND_LETTERS=KIND_LETTERS,
        MAP_PAGE=MAP_PAGE,
        EMBED_MAP_PAGE=EMBED_MAP_PAGE,
        MAP_BUNDLE=MAP_BUNDLE,
        MAP_STYLE_BUNDLE=MAP_STYLE_BUNDLE,
        PHASE_LABELS=PHASE_LABELS,
        name_of=operator.attrgetter("name"),
        # Pages replace these with their own FirstUse (render/abbreviations.py); newsletter
        # shortcodes and email keep text as written.
        abbr=plain_abbr,
        expand=plain_expand,
        abbreviations_in=no_abbreviations,
    )
    return env
