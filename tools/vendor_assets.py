"""Refresh the map's third-party browser assets from npm at pinned versions.

The built site must load every script and stylesheet from its own origin, so Leaflet and
Leaflet.markercluster (and Leaflet.GestureHandling, which lets one finger scroll the page
over the map) are vendored into dlp_site/render/assets/vendor/ with their licences. Run this
only to change a version (it needs npm and the registry); the build itself never touches npm.
Then run tools/minify_js.py, which minifies Leaflet.GestureHandling for the site as it does
our own scripts (tests/test_map.py fails until it has been run).

    .venv/bin/python tools/vendor_assets.py && .venv/bin/python tools/minify_js.py
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

import rjsmin

VENDOR = Path(__file__).resolve().parent.parent / "dlp_site" / "render" / "assets" / "vendor"
# package@version -> files kept from the tarball (relative to package/). Only what the map
# page uses: no source maps, no ESM builds, no examples.
PACKAGES = {
    "leaflet@1.9.4": ["LICENSE", "dist/leaflet.js", "dist/leaflet.css", "dist/images/layers.png",
                      "dist/images/layers-2x.png"],
    "leaflet.markercluster@1.5.3": ["MIT-LICENCE.txt", "dist/leaflet.markercluster.js",
                                    "dist/MarkerCluster.css"],
    "leaflet-gesture-handling@1.2.2": ["LICENSE", "dist/leaflet-gesture-handling.js",
                                       "dist/leaflet-gesture-handling.min.css"],
}
# A sourceMappingURL comment makes browsers with devtools open request a .map we do not ship.
SOURCE_MAP = re.compile(r"\n?//# sourceMappingURL=\S+\s*$")


def gesture_handling_in_english(source: str) -> str:
    """Leaflet.GestureHandling's code unchanged, without its table of messages in 50 languages.

    The map passes its own English messages (render/map/folium_map.py GESTURE_HANDLING), so
    the plugin never reads the table; it is four fifths of the file (4.8 KB of 6.0 KB gzip)
    on a page with a 200 KB budget. The English entry stays as the table's only one, then the
    file is minified (its package's own .min.js would keep the whole table). The cut is made
    between exact lines of the pinned version, checked, so another version stops here."""
    lines = source.split("\n")
    start = lines.index("    var LanguageContent = {")
    end = lines.index("    };", start)
    english = lines.index("        en: {", start)
    if not (start < english < end and lines[english + 4] == "        },"):
        raise SystemExit("leaflet-gesture-handling: the language table is not laid out as expected")
    kept = lines[:start + 1] + lines[english:english + 4] + ["        }"] + lines[end:]
    return rjsmin.jsmin("\n".join(kept)) + "\n"


# Changes made to a file as it is vendored (each explained in its function and VERSION).
TRANSFORMS = {"dist/leaflet-gesture-handling.js": gesture_handling_in_english}


def vendor(spec: str, files: list[str], tmp: Path) -> None:
    name = spec.rsplit("@", 1)[0]
    tarball = subprocess.run(["npm", "pack", spec, "--silent"], cwd=tmp, check=True,
                             capture_output=True, text=True).stdout.strip().splitlines()[-1]
    target = VENDOR / name
    shutil.rmtree(target, ignore_errors=True)
    notes = []
    with tarfile.open(tmp / tarball) as tar:
        for rel in files:
            member = tar.extractfile(f"package/{rel}")
            if member is None:
                raise SystemExit(f"{spec}: {rel} not in the package")
            out = target / Path(rel).relative_to("dist") if rel.startswith("dist/") else target / rel
            out.parent.mkdir(parents=True, exist_ok=True)
            data = member.read()
            if out.suffix == ".js":
                data = SOURCE_MAP.sub("", data.decode("utf-8")).encode("utf-8") + b"\n"
            if rel in TRANSFORMS:
                data = TRANSFORMS[rel](data.decode("utf-8")).encode("utf-8")
                notes.append(f"{out.name}: {(TRANSFORMS[rel].__doc__ or '').splitlines()[0]}")
            out.write_bytes(data)
    (target / "VERSION").write_text("\n".join([spec, *notes]) + "\n", encoding="utf-8")
    print(f"vendored {spec} -> {target.relative_to(VENDOR.parent.parent.parent)}")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for spec, files in PACKAGES.items():
            vendor(spec, files, Path(tmp))


if __name__ == "__main__":
    main()
