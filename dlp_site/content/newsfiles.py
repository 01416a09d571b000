"""Which files in data/newsletters are posts, which are published beside them, and which are refused.

MkDocs publishes every file it is given (a ``.markdown`` file becomes a page, anything else is
copied as it is), so nothing reaches it unless it is on these lists:

- a post is a lower-case ``.md`` file whose name is letters, digits and hyphens (its name is
  the post's web address); any other name that MkDocs would read as Markdown (``.MD``,
  ``.markdown``, capitals, spaces, a newline) is an error naming the file;
- beside the posts, only pictures (PNG, JPEG, GIF, WebP) and documents (PDF, Word, Excel,
  PowerPoint, OpenDocument, CSV) are published, and only when their first bytes are what their
  type says. SVG is refused: an SVG file can carry script, which runs when it is opened;
- links (symlinks, shortcuts) and folders are errors; hidden files and the thumbnail caches
  Windows and macOS leave behind are ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..data.cells import SLUG_RE  # a post's name is its address, like any id
from ..errors import Issue

FILE_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*")
# Suffixes MkDocs reads as Markdown pages (mkdocs.utils.markdown_extensions) and a few more.
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkdn", ".mkd", ".mdwn", ".mdtxt", ".mdtext")
# Names the blog plugin uses for its own pages under newsletters/.
RESERVED = {"index", "archive", "category", "page", "posts"}
IGNORED = {"thumbs.db", "desktop.ini"}  # Windows' thumbnail cache and folder settings

ZIP = (b"PK\x03\x04",)
# Published file types: suffix -> the bytes such a file starts with (None: text, not checked).
PUBLISHED: dict[str, tuple[bytes, ...] | None] = {
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".webp": (b"RIFF",),  # then WEBP at byte 8 (checked below)
    ".pdf": (b"%PDF-",),
    ".docx": ZIP, ".xlsx": ZIP, ".pptx": ZIP, ".odt": ZIP, ".ods": ZIP, ".odp": ZIP,
    ".csv": None,
}
PICTURES = (".png", ".jpg", ".jpeg", ".gif", ".webp")
KINDS = "pictures (PNG, JPEG, GIF, WebP) and documents (PDF, Word, Excel, PowerPoint, OpenDocument, CSV)"


def shown_name(name: str) -> str:
    """A file name as it can be printed on one line (a newline in it shows as \\n)."""
    return name if name.isprintable() else name.encode("unicode_escape").decode("ascii")


@dataclass
class NewsFolder:
    posts: list[Path] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)  # published beside the posts
    issues: list[Issue] = field(default_factory=list)

    @property
    def pictures(self) -> frozenset[str]:
        return frozenset(p.name for p in self.files if p.suffix.lower() in PICTURES)


def _content_matches(path: Path, suffix: str) -> bool:
    starts = PUBLISHED[suffix]
    if starts is None:
        return True
    with path.open("rb") as f:
        head = f.read(12)
    if suffix == ".webp" and head[8:12] != b"WEBP":
        return False
    return head.startswith(starts)


def scan(folder: Path, label: str) -> NewsFolder:
    """Sort the files of data/newsletters (`label` is how messages name the folder)."""
    out = NewsFolder()
    if not folder.is_dir():
        return out

    def problem(name: str, message: str, hint: str) -> None:
        out.issues.append(Issue(f"{label}/{shown_name(name)}", None, None, message, hint))

    for path in sorted(folder.iterdir()):
        name, suffix = path.name, path.suffix.lower()
        if name.startswith(".") or name.lower() in IGNORED:
            continue
        if path.is_symlink():
            problem(name, "is a link to another file, which is never published", "copy the file itself here")
        elif path.is_dir():
            problem(name, "folders in the newsletters folder are not read",
                    f"put posts and their pictures directly in {label}/")
        elif not path.is_file():
            problem(name, "is not a file", "remove it")
        elif suffix in MARKDOWN_SUFFIXES:
            if suffix == path.suffix == ".md" and SLUG_RE.fullmatch(path.stem) and path.stem not in RESERVED:
                out.posts.append(path)
            else:
                problem(name, f"'{shown_name(name)}' cannot be a post's file name",
                        "use lower-case letters, digits and hyphens ending .md, e.g. 2022-07-summer-update.md"
                        + (f" ({', '.join(sorted(RESERVED))} are taken)" if path.stem in RESERVED else ""))
        elif suffix == ".svg":
            problem(name, "SVG pictures are not published: an SVG file can carry script",
                    "save the picture as PNG and link to that")
        elif suffix not in PUBLISHED:
            problem(name, "is not published beside posts", f"only {KINDS} are")
        elif not FILE_RE.fullmatch(name):
            problem(name, f"'{shown_name(name)}' cannot be published under this name",
                    "use letters, digits, hyphens and underscores, e.g. summer-photo.jpg")
        elif not _content_matches(path, suffix):
            problem(name, f"is not a {suffix[1:].upper()} file, whatever its name says",
                    "save it again in that format, or give it the right ending")
        else:
            out.files.append(path)
    return out
