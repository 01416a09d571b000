"""MkDocs hooks dlp-site adds to every build. Every generated mkdocs.yml declares them (through a
one-line file in the stage that imports this module, see mkdocs.py), and `dlp-site build` refuses
a configuration without them, so no build of a staged tree leaves them out:

- each post's HTML, and each post excerpt on the newsletters, category and archive pages, goes
  through the allow-list (render/sanitize.py) after MkDocs and the blog plugin have rendered it;
- templates get ``dlp_csp()``, the page's Content-Security-Policy (render/csp.py), which
  overrides/main.html writes into every page's <head>.

MkDocs loads this module itself; besides mkdocs.py it is the only one that imports MkDocs.
"""

from __future__ import annotations

from typing import Any

from jinja2 import pass_context
from jinja2.runtime import Context
from mkdocs.plugins import event_priority

from ..content.posts import POSTS_DOCS
from ..render.csp import inline_scripts, policy, script_hash
from ..render.sanitize import clean_post_html

# MkDocs Material's partials that write an inline script on our pages. Their hashes are worked
# out from Material's own templates for each page (the first holds the page's base URL), so an
# upgrade of Material cannot leave a stale hash; a partial missing here shows as a CSP
# violation in the quality gate.
MATERIAL_INLINE_SCRIPTS = (
    "partials/javascripts/base.html",
    "partials/javascripts/palette.html",
    "partials/javascripts/content.html",
)


def is_post(page: Any) -> bool:
    return page.file.src_uri.startswith(POSTS_DOCS + "/")


def on_page_content(html: str, *, page: Any, config: Any, files: Any) -> str | None:
    return clean_post_html(html) if is_post(page) else None


@event_priority(-200)  # after the blog plugin (-100) has rendered the excerpts for this page
def on_page_context(context: dict[str, Any], *, page: Any, config: Any, nav: Any) -> dict[str, Any]:
    for excerpt in context.get("posts") or ():
        excerpt.content = clean_post_html(excerpt.content)
    return context


@pass_context
def _content_security_policy(context: Context) -> str:
    env = context.environment
    hashes = [script_hash(script) for name in MATERIAL_INLINE_SCRIPTS
              for script in inline_scripts(env.get_template(name).render(context.get_all()))]
    dlp = context["config"]["extra"].get("dlp") or {}
    return policy(tiles=dlp.get("tiles", "none"), script_hashes=hashes)


def on_env(env: Any, *, config: Any, files: Any) -> Any:
    env.globals["dlp_csp"] = _content_security_policy
    return env
