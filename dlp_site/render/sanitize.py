"""The second wall for newsletters: every post's HTML passes through nh3 on its way out.

Posts are checked as Markdown before anything is built (content/postcheck.py, the first wall). Whatever
that check misses, this allow-list removes wherever post HTML leaves us: the post's page, the
excerpts on the newsletters, category and archive pages (site/hooks.py), the RSS and Atom
entries (feeds.py) and the email (email.py). It is applied last, to the HTML as a browser
or mail client will parse it, so a trick that fooled the Markdown check cannot survive it.

The list is what Markdown, the admonition and table extensions and our own shortcodes produce
(see templates/_shortcodes.html.j2 and _macros.html.j2); nothing else: no script, style,
iframe, form or object, no event handler, no ``style`` except a table cell's alignment, links
only to http(s), mailto and tel or relative addresses, and pictures only from the site itself.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

import nh3

from ..content.addresses import LINK_SCHEMES, is_relative

TAGS = frozenset({
    "a", "b", "blockquote", "br", "caption", "code", "dd", "div", "dl", "dt", "em", "h1", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "span", "strong", "sub", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
})
ATTRIBUTES: dict[str, set[str]] = {
    "*": {"class"},  # shortcode output and admonitions are styled by class (dlp.css, Material)
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "div": {"aria-label"},  # a KPI table's scrollable region (with role and tabindex below)
    "th": {"scope", "colspan", "rowspan", "style"},
    "td": {"colspan", "rowspan", "style"},
    "ol": {"start"},
    **{f"h{n}": {"id"} for n in range(1, 7)},  # the table of contents links to headings
}
# Attributes allowed only with these values.
ATTRIBUTE_VALUES = {"div": {"role": {"region"}, "tabindex": {"0"}}}
# Markdown's tables write a column's alignment as style="text-align: ..."; nothing else survives.
STYLE_PROPERTIES = frozenset({"text-align"})


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()


def _own_pictures(own_origin: str | None) -> Callable[[str, str, str], str | None]:
    """An attribute filter: pictures only from the site (relative, or on `own_origin`'s host)."""
    own = _origin(own_origin) if own_origin else None

    def keep(tag: str, attribute: str, value: str) -> str | None:
        if tag == "img" and attribute == "src":
            return value if is_relative(value) or (own is not None and _origin(value) == own) else None
        return value

    return keep


def clean_post_html(html: str, *, own_origin: str | None = None) -> str:
    """The post's HTML with everything outside the allow-list removed.

    `own_origin` is the site's address (site_url) when pictures are written as absolute
    addresses (feeds, email); pictures anywhere else lose their source.
    """
    return nh3.clean(
        html,
        tags=set(TAGS),
        clean_content_tags={"script", "style"},
        attributes={k: set(v) for k, v in ATTRIBUTES.items()},
        tag_attribute_values={t: {a: set(v) for a, v in values.items()} for t, values in ATTRIBUTE_VALUES.items()},
        attribute_filter=_own_pictures(own_origin),
        url_schemes=set(LINK_SCHEMES),
        filter_style_properties=set(STYLE_PROPERTIES),
        link_rel=None,  # links keep what they are; nothing opens a new window
        strip_comments=True,
    )
