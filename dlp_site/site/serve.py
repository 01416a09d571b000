"""Live preview: rebuild into a private directory whenever data, pages or settings change.

The rebuild is the same as `dlp-site build` (pipeline.preview passes it in): the same stage,
the same MkDocs build, the same atomic publish, here into a private folder. A rebuild that fails,
for any reason (bad data, MkDocs error, even a bug), prints one line per problem and leaves the
last good preview being served, exactly as a real build leaves the published site alone. The
private directory is one of ours (leftovers.py): removed when the preview stops, by Ctrl-C or
SIGTERM, and by the next command if the preview was killed.
"""

from __future__ import annotations

import errno
from collections.abc import Callable
from pathlib import Path

import click

from ..errors import DlpError, Issue, describe, errors
from .interrupt import Interrupted
from .leftovers import SERVE_PREFIX, clean_stale_temp, make_owned, temp_parent
from .mkdocs import preview_server

KEPT = "The preview shows the last good build."
Rebuild = Callable[[Path], list[Issue]]  # builds and publishes into the folder; returns warnings


def _rebuilder(rebuild: Rebuild, out: Path, progress: Callable[[str], None]) -> Callable[[], None]:
    def run() -> None:
        try:
            issues = rebuild(out)
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

    return run


def serve(rebuild: Rebuild, watch: list[Path], *, port: int, progress: Callable[[str], None]) -> None:
    clean_stale_temp()
    tmp = make_owned(temp_parent(), SERVE_PREFIX)
    server = None
    try:
        out = tmp.path / "site"
        run = _rebuilder(rebuild, out, progress)
        run()
        out.mkdir(exist_ok=True)  # serve an empty site until the data is fixed
        server = preview_server(out, port, run, [path for path in watch if path.exists()])
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
