"""What the open-data renderers share: exact JSON, absolute addresses, the publisher's identity."""

from __future__ import annotations

import re
import uuid
from typing import Any
from urllib.parse import urljoin

import simplejson

from ...data.settings import Programme
from ..urls import md_url


def json_text(data: Any) -> str:
    """JSON as published: keys sorted and two-space indents, so a rebuild gives the same bytes;
    Decimals written digit for digit (never through a float), text as UTF-8."""
    return simplejson.dumps(data, sort_keys=True, indent=2, ensure_ascii=False, use_decimal=True) + "\n"


def absolute(programme: Programme, docs_path: str) -> str | None:
    """The public address of a page (.md) or file in the docs tree; None without site_url."""
    if not programme.site_url:
        return None
    return urljoin(programme.site_url, md_url(docs_path) if docs_path.endswith(".md") else docs_path)


def slug(text: str) -> str:
    """Lower-case letters, digits and hyphens (for package names)."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "data"


def id_namespace(programme: Programme) -> uuid.UUID:
    """The UUID namespace of this programme's Open Referral ids: the council (its org-id, or its
    name when it has none) and the programme's short name. Every id is uuid5(namespace,
    '<kind>/<key>'), so the same data always gives the same ids (README: Open Referral UK)."""
    owner = programme.open_data.org_id or programme.local_authority
    return uuid.uuid5(uuid.NAMESPACE_URL, f"dlp-site:{owner}:{programme.short_name}")


def drop_none(data: dict[str, Any]) -> dict[str, Any]:
    """A JSON object without the keys we have no value for (absent rather than null)."""
    return {k: v for k, v in data.items() if v is not None}
