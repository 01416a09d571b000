"""Live preview: rebuild into a private directory whenever data, pages or settings change.

A build that fails (bad data, MkDocs error) prints its problems and leaves the last good
preview in place, exactly as a real build leaves the published site alone.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import click

from .build import Paths, Progress, build
from .errors import DlpError, errors


def serve(paths: Paths, *, port: int, progress: Progress) -> None:
    from mkdocs.livereload import LiveReloadServer

    with tempfile.TemporaryDirectory(prefix="dlp-serve-") as tmp:
        out = Path(tmp) / "site"

        def rebuild() -> None:
            try:
                _, issues = build(paths, out, progress=progress)
            except DlpError as exc:
                for issue in getattr(exc, "issues", []):
                    click.echo(issue.format(), err=True)
                click.echo(f"Error: {exc.format_message()} The preview shows the last good build.", err=True)
                return
            for issue in issues:
                click.echo(issue.format(), err=True)
            if not errors(issues):
                progress("Preview updated")

        rebuild()
        if not out.exists():
            out.mkdir()  # serve an empty site until the data is fixed
        server = LiveReloadServer(builder=rebuild, host="127.0.0.1", port=port, root=str(out))
        for path in (paths.data, paths.geo, paths.site_src, paths.config):
            if path is not None and path.exists():
                server.watch(str(path))
        progress(f"Serving on {server.url} (Ctrl+C to stop)")
        try:
            server.serve()
        except KeyboardInterrupt:
            progress("Stopped")
        finally:
            server.shutdown()
