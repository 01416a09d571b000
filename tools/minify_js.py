"""Minify dlp-site's own browser scripts with terser (pinned in package.json).

map.js, search.js and the vendored Leaflet.GestureHandling (MINIFIED in render/map/page.py)
stay readable in dlp_site/render/assets/; what is published is terser's output, committed
beside each as NAME.min.js (builds need no Node), whose first line is the SHA-256 of the source
it was made from. A build publishes a NAME.min.js only while that line matches NAME.js
(otherwise it falls back to rjsmin, which only strips spaces and comments), and
tests/test_map.py fails until this has been run again. Run it after editing any of them:

    npm ci && .venv/bin/python tools/minify_js.py
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dlp_site.render.map.page import ASSETS, MINIFIED, minified_name, stamp  # noqa: E402

TERSER = ROOT / "node_modules" / ".bin" / "terser"


def minified(source: Path) -> str:
    """terser's output for one script (compressed, local names shortened, no comments)."""
    done = subprocess.run([str(TERSER), str(source), "--compress", "--mangle", "--comments", "false"],
                          capture_output=True, text=True, check=True)
    return f"{stamp(source.name, source.read_text(encoding='utf-8'))}\n{done.stdout.strip()}\n"


def main() -> int:
    if not TERSER.exists():
        print(f"{TERSER} is missing: run `npm ci` first", file=sys.stderr)
        return 1
    for name in MINIFIED:
        source = ASSETS / name
        (ASSETS / minified_name(name)).write_text(minified(source), encoding="utf-8")
        print(f"wrote {minified_name(name)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
