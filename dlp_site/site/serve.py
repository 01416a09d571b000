"""Live preview: rebuild into a private directory whenever data, pages or settings change.

A build that fails, for any reason (bad data, MkDocs error, even a bug), prints one line per
problem and leaves the last good preview being served, exactly as a real build leaves the
published site alone. The private directory is one of ours (leftovers.py): removed when the
preview stops, by Ctrl-C or SIGTERM, and by the next command if the preview was killed.
"""

from __future__ import annotations

import errno
from pathlib import Path

import click

from ..errors import DlpError, describe, errors
from ..pipeline import Paths, Progress, build
from .interrupt import Interrupted
from .leftovers import SERVE_PREFIX, clean_stale_temp, make_owned, temp_parent

KEPT = "The preview shows the last good build."


def _rebuilder(paths: Paths, out: Path, progress: Progress):
    def rebuild() -> None:
        try:
            _, issues = build(paths, out, progress=progress)
        except DlpError as exc:
            for issue in getattr(exc, "issues", []):
                click.echo(issue.format(), err=True)
            click.echo(f"Error: {exc.format_message()} {KEPT}", err=True)
            return
        except Exception as exc:  # whatever broke, the preview must keep answering
            click.echo(f"Error: {describe(exc)} {KEPT}", err=True)
            return
        for issue in issues:
            click.echo(issue.format(), err=True)
        if not errors(issues):
            progress("Preview updated")

    return rebuild


def serve(paths: Paths, *, port: int, progress: Progress) -> None:
    from mkdocs.livereload import LiveReloadServer

    clean_stale_temp()
    tmp = make_owned(temp_parent(), SERVE_PREFIX)
    server = None
    try:
        out = tmp.path / "site"
        rebuild = _rebuilder(paths, out, progress)
        rebuild()
        out.mkdir(exist_ok=True)  # serve an empty site until the data is fixed
        server = LiveReloadServer(builder=rebuild, host="127.0.0.1", port=port, root=str(out))
        for path in (paths.data, paths.geo, paths.site_src, paths.config):
            if path is not None and path.exists():
                server.watch(str(path))
        progress(f"Serving on {server.url} (Ctrl+C to stop)")
        server.serve()
    except Interrupted:
        progress("Stopped")
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise DlpError(f"127.0.0.1:{port}: the port is already in use "
                           "(stop the other program or choose another with --port)") from None
        raise
    finally:
        if server is not None:
            server.shutdown()
        tmp.remove()
