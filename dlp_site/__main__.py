"""`python -m dlp_site` and the installed `dlp-site` command.

Stop signals are taken over before anything heavy is imported, so Ctrl-C even while the
command is starting ends in one line and exit 130 rather than a traceback from an import.
"""

import sys


def run() -> None:
    from .site.interrupt import Interrupted, install

    install()
    try:
        from .cli import main
    except Interrupted as exc:
        sys.stderr.write(f"Interrupted by {exc.name}: nothing was published.\n")
        sys.exit(exc.exit_code)
    main()


if __name__ == "__main__":
    run()
