"""Refresh the map's third-party browser assets from npm at pinned versions.

The built site must load every script and stylesheet from its own origin, so Leaflet and
Leaflet.markercluster are vendored into dlp_site/render/assets/vendor/ with their licences. Run this
only to change a version (it needs npm and the registry); the build itself never touches npm.

    .venv/bin/python tools/vendor_assets.py
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

VENDOR = Path(__file__).resolve().parent.parent / "dlp_site" / "render" / "assets" / "vendor"
# package@version -> files kept from the tarball (relative to package/). Only what the map
# page uses: no source maps, no ESM builds, no examples.
PACKAGES = {
    "leaflet@1.9.4": ["LICENSE", "dist/leaflet.js", "dist/leaflet.css", "dist/images/layers.png",
                      "dist/images/layers-2x.png"],
    "leaflet.markercluster@1.5.3": ["MIT-LICENCE.txt", "dist/leaflet.markercluster.js",
                                    "dist/MarkerCluster.css"],
}
# A sourceMappingURL comment makes browsers with devtools open request a .map we do not ship.
SOURCE_MAP = re.compile(r"\n?//# sourceMappingURL=\S+\s*$")


def vendor(spec: str, files: list[str], tmp: Path) -> None:
    name = spec.rsplit("@", 1)[0]
    tarball = subprocess.run(["npm", "pack", spec, "--silent"], cwd=tmp, check=True,
                             capture_output=True, text=True).stdout.strip().splitlines()[-1]
    target = VENDOR / name
    shutil.rmtree(target, ignore_errors=True)
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
            out.write_bytes(data)
    (target / "VERSION").write_text(spec + "\n", encoding="utf-8")
    print(f"vendored {spec} -> {target.relative_to(VENDOR.parent.parent.parent)}")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for spec, files in PACKAGES.items():
            vendor(spec, files, Path(tmp))


if __name__ == "__main__":
    main()
