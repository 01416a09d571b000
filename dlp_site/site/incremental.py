"""Preview rebuilds that redo only what an edit changed (`dlp-site serve`; builds are always whole).

The preview keeps its stage between rebuilds (`KeptStage`). Each rebuild works out the whole
stage again, in memory, and rewrites only the files whose bytes changed: the others keep
their modification times, which is how MkDocs' dirty build tells which pages to
build again (a page is redone when its source is newer than its output). What a dirty build
gets wrong, and how the preview puts it right:

- Pages it does not redo are not read either, so the navigation would show no title for them
  and the blog's index, category and archive pages would lose their excerpts: every page in
  the navigation, and every newsletter, is redone each time (mkdocs.build, `dirty=True`).
- The search index would hold only the pages it redid: `merge_search_index` puts them into
  the previous full index, in place.
- A file added or removed (a new project, a deleted post), or a change to mkdocs.yml, the
  theme overrides or the hooks, can change any page: that rebuild is whole.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from . import mkdocs


@dataclass(frozen=True)
class Changes:
    changed: frozenset[str]  # paths (relative to the stage) whose bytes differ
    added: frozenset[str]
    removed: frozenset[str]

    @property
    def pages_only(self) -> bool:
        """Only existing files of the docs tree changed: a dirty build can redo them."""
        return not self.added and not self.removed and all(p.startswith(mkdocs.DOCS + "/") for p in self.changed)

    @property
    def none(self) -> bool:
        return not (self.changed or self.added or self.removed)


class KeptStage:
    """The preview's stage, on disk for MkDocs and in memory for comparing the next one with."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.files: dict[str, bytes] = {}
        # Whether the site being served was built from this stage. After a failed build it was
        # not: what that build would have removed or added is still to do, so the next is whole.
        self.built = False

    def update(self, files: Mapping[str, str | bytes]) -> Changes:
        """Make the folder hold exactly `files`, rewriting only those whose bytes differ: the
        others keep their modification times, which is how a dirty build knows to leave them."""
        new = {name: content.encode("utf-8") if isinstance(content, str) else content
               for name, content in files.items()}
        changed = {name for name in new.keys() & self.files.keys() if new[name] != self.files[name]}
        added, removed = new.keys() - self.files.keys(), self.files.keys() - new.keys()
        for name in sorted(changed | added):
            target = self.folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(new[name])
        for name in removed:
            (self.folder / name).unlink(missing_ok=True)
        self.files = new
        return Changes(frozenset(changed), frozenset(added), frozenset(removed))


def _page(location: str) -> str:
    return location.split("#", 1)[0]


def merge_search_index(previous: bytes, partial: bytes) -> bytes:
    """The whole site's search index from the last full one and a dirty build's, which holds
    only the pages it redid: each of those pages' entries replace its old ones where they were."""
    old, new = json.loads(previous), json.loads(partial)
    redone: dict[str, list[dict[str, object]]] = {}
    for entry in new["docs"]:
        redone.setdefault(_page(entry["location"]), []).append(entry)
    docs: list[dict[str, object]] = []
    placed: set[str] = set()
    for entry in old["docs"]:
        page = _page(str(entry["location"]))
        if page not in redone:
            docs.append(entry)
        elif page not in placed:
            docs.extend(redone[page])
            placed.add(page)
    docs += [entry for page, entries in redone.items() if page not in placed for entry in entries]
    # Material writes it this way (material/plugins/search/plugin.py), so a merged index has
    # the same bytes as a full build's.
    return json.dumps({"config": new["config"], "docs": docs}, separators=(",", ":"), default=str).encode("utf-8")
