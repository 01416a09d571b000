"""Page weight of the Local Offer map: ours against the same map made with Folium's defaults.

    .venv/bin/python bench/map_weight.py [--data data] [--geo geo]

Ours: the example site is built, served on 127.0.0.1 and loaded in headless Chromium; every
response the page receives (HTML, CSS, JS, images, fonts, JSON) is counted at its gzip -9 size,
as a web server with compression would send it. Map tiles are excluded (they are the same for
both and optional); the postcode table, fetched only when someone searches, is reported apart.

Folium's defaults: the same content (areas with tooltips and popups, one Marker with a Popup
and Tooltip per project and school in a MarkerCluster, a layer control) saved as Folium's
standalone page. It loads 13 files from CDNs, which this machine cannot reach, so each is
taken from the npm package and version Folium names (fetched once with `npm pack` into
bench/out/npm-cache). A file that cannot be resolved is listed and counted as 0 bytes, so the
default's total is a lower bound and the ratio is conservative.

Budgets (from the issue): ours at most 200 KB, and at least 3x smaller than the default.
Sizes are printed and compared with the budgets; nothing here is a unit test.
"""

from __future__ import annotations

import argparse
import gzip
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import folium  # noqa: E402
from folium.plugins import MarkerCluster  # noqa: E402
from markupsafe import escape  # noqa: E402

from dlp_site.pipeline import Paths, build, check  # noqa: E402
from dlp_site.render.map.areas import map_geometry  # noqa: E402
from dlp_site.render.map.geometry import TILED_KINDS, feature  # noqa: E402
from tests.browser import chromium, open_page, serve  # noqa: E402

BUDGET_BYTES = 200 * 1024
BUDGET_RATIO = 3.0
CACHE = ROOT / "bench" / "out" / "npm-cache"
# Images the default page's stylesheets make the browser load for this map (1x screens):
# the layer control's icon and the awesome-markers sprite and shadow. (npm package, path)
CSS_IMAGES = [("leaflet@1.9.3", "dist/images/layers.png"),
              ("drmonty-leaflet-awesome-markers@2.0.2", "css/images/markers-soft.png"),
              ("drmonty-leaflet-awesome-markers@2.0.2", "css/images/markers-shadow.png")]
# CDN URL pattern -> (npm package@version, path inside the package). Folium 0.20's defaults.
CDN_FILES = [
    (r"cdn\.jsdelivr\.net/npm/leaflet@1\.9\.3/dist/(.+)$", "leaflet@1.9.3", "dist/{0}"),
    (r"code\.jquery\.com/jquery-3\.7\.1\.min\.js$", "jquery@3.7.1", "dist/jquery.min.js"),
    (r"cdn\.jsdelivr\.net/npm/bootstrap@5\.2\.2/dist/(.+)$", "bootstrap@5.2.2", "dist/{0}"),
    (r"netdna\.bootstrapcdn\.com/bootstrap/3\.0\.0/css/bootstrap-glyphicons\.css$", "bootstrap@3.0.0",
     "dist/css/bootstrap-glyphicons.css"),
    (r"cdn\.jsdelivr\.net/npm/@fortawesome/fontawesome-free@6\.2\.0/(.+)$", "@fortawesome/fontawesome-free@6.2.0",
     "{0}"),
    (r"cdnjs\.cloudflare\.com/ajax/libs/Leaflet\.awesome-markers/2\.0\.2/(leaflet\.awesome-markers\.css)$",
     "drmonty-leaflet-awesome-markers@2.0.2", "css/{0}"),
    (r"cdnjs\.cloudflare\.com/ajax/libs/Leaflet\.awesome-markers/2\.0\.2/(leaflet\.awesome-markers\.js)$",
     "drmonty-leaflet-awesome-markers@2.0.2", "js/{0}"),
    (r"cdnjs\.cloudflare\.com/ajax/libs/leaflet\.markercluster/1\.1\.0/(.+)$", "leaflet.markercluster@1.1.0",
     "dist/{0}"),
]


def gz(data: bytes, name: str = "") -> int:
    """Bytes on the wire: gzip -9 for text, as is for images and fonts (already compressed)."""
    if name.lower().endswith((".png", ".jpg", ".gif", ".woff", ".woff2")):
        return len(data)
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def kb(n: int) -> str:
    return f"{n / 1024:.1f} KB"


# --- ours -------------------------------------------------------------------------------------

def _loaded(browser, url: str, site_dir: Path, page_path: str, ready: str) -> dict[str, tuple[int, int]]:
    """{path: (raw, gzip)} for every local response of one page load."""
    page, log = open_page(browser)
    page.goto(url + page_path)
    page.wait_for_selector(ready)
    page.wait_for_load_state("networkidle")
    out = {}
    for request in sorted(set(log.requests)):
        if not request.startswith(url):
            continue  # map tiles
        rel = request[len(url):].split("?")[0].split("#")[0]
        path = site_dir / rel
        if rel == "" or path.is_dir():
            path = path / "index.html"
        data = path.read_bytes()
        out[rel or "index.html"] = (len(data), gz(data, rel))
    page.context.close()
    return out


def measure_ours(site_dir: Path) -> tuple[dict, dict, int]:
    """Files the map page loads, files an ordinary page of the site loads, and the postcode table."""
    with chromium() as browser, serve(site_dir) as url:
        map_page = _loaded(browser, url, site_dir, "map/", ".leaflet-marker-icon")
        plain_page = _loaded(browser, url, site_dir, "about/", "h1")
    postcodes = gz((site_dir / "map" / "postcodes.json").read_bytes())
    return map_page, plain_page, postcodes


# --- Folium's defaults --------------------------------------------------------------------------

def default_folium_page(data: Path, geo: Path, out: Path) -> Path:
    """The same content as our map, made the way Folium's documentation shows."""
    site, issues = check(data, geo)
    assert site is not None, issues
    geometry = map_geometry(site)
    min_lon, min_lat, max_lon, max_lat = geometry.bounds
    m = folium.Map(location=[(min_lat + max_lat) / 2, (min_lon + max_lon) / 2], zoom_start=11)
    for kind in TILED_KINDS:
        shapes = [a for a in geometry.areas.values() if site.partnerships[a.partnership_id].kind == kind]
        collection = {"type": "FeatureCollection", "features": [
            feature(a.geometry, name=str(escape(site.partnerships[a.partnership_id].name))) for a in shapes]}
        folium.GeoJson(collection, name=kind, tooltip=folium.GeoJsonTooltip(["name"]),
                       popup=folium.GeoJsonPopup(["name"])).add_to(m)
    cluster = MarkerCluster(name="Projects and schools").add_to(m)
    # Markers coloured by kind of partnership, the way Folium's documentation does it.
    colours = {"primary_consortium": "blue", "secondary_network": "orange", "early_years": "green",
               "citywide": "purple"}
    for project in site.projects.values():
        anchor = geometry.anchor(project.partnership_id)
        if anchor:
            kind = site.partnership_of(project).kind
            html = f"<b>{escape(project.title)}</b><br>{escape(', '.join(project.themes))}<br>{project.status}"
            folium.Marker(anchor, popup=folium.Popup(html, max_width=280), tooltip=str(escape(project.title)),
                          icon=folium.Icon(color=colours[kind], icon="info-sign")).add_to(cluster)
    for school in site.schools.values():
        kind = site.partnerships[school.partnership_id].kind
        html = f"<b>{escape(school.name)}</b><br>{escape(school.phase)}, {escape(school.postcode)}"
        folium.Marker([float(school.latitude), float(school.longitude)], popup=folium.Popup(html, max_width=280),
                      tooltip=str(escape(school.name)),
                      icon=folium.Icon(color=colours[kind], icon="home")).add_to(cluster)
    folium.LayerControl().add_to(m)
    path = out / "folium-default.html"
    m.save(str(path))
    return path


def npm_file(spec: str, inner: str) -> bytes | None:
    CACHE.mkdir(parents=True, exist_ok=True)
    tarballs = {p.name: p for p in CACHE.glob("*.tgz")}
    name = spec.rsplit("@", 1)[0].lstrip("@").replace("/", "-") + "-" + spec.rsplit("@", 1)[1] + ".tgz"
    if name not in tarballs:
        if shutil.which("npm") is None:
            return None
        result = subprocess.run(["npm", "pack", spec, "--silent"], cwd=CACHE, capture_output=True, text=True)
        if result.returncode != 0:
            return None
    try:
        with tarfile.open(CACHE / name) as tar:
            member = tar.extractfile(f"package/{inner}")
            return member.read() if member else None
    except (KeyError, FileNotFoundError, tarfile.TarError):
        return None


def measure_default(page: Path) -> tuple[list[tuple[str, int, int]], list[str]]:
    html = page.read_bytes()
    rows = [("folium-default.html", len(html), gz(html))]
    missing = []
    for url in re.findall(r'(?:src|href)="(https?://[^"]+)"', html.decode("utf-8")):
        data = None
        for pattern, spec, inner in CDN_FILES:
            match = re.search(pattern, url)
            if match:
                data = npm_file(spec, inner.format(*match.groups()))
                break
        if data is None:
            missing.append(url)
        else:
            rows.append((url.split("//", 1)[1], len(data), gz(data, url)))
    for spec, inner in CSS_IMAGES:
        data = npm_file(spec, inner)
        if data is None:
            missing.append(f"{spec}/{inner}")
        else:
            rows.append((f"{spec}/{inner} (from a stylesheet)", len(data), gz(data, inner)))
    return rows, missing


def table(title: str, rows: list[tuple[str, int, int]]) -> int:
    print(f"\n{title}")
    print(f"  {'file':<78} {'raw':>10} {'gzip':>10}")
    for name, raw, packed in rows:
        print(f"  {name[:78]:<78} {kb(raw):>10} {kb(packed):>10}")
    total = sum(r[2] for r in rows)
    print(f"  {'total':<78} {kb(sum(r[1] for r in rows)):>10} {kb(total):>10}")
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT / "data")
    parser.add_argument("--geo", type=Path, default=ROOT / "geo")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        build(Paths(args.data, args.geo, ROOT / "site_src", ROOT / "mkdocs.yml"), out / "site")
        map_page, plain_page, postcodes = measure_ours(out / "site")
        default_rows, missing = measure_default(default_folium_page(args.data, args.geo, out))
    rows = lambda files: [(name, *sizes) for name, sizes in sorted(files.items())]  # noqa: E731
    page_total = table("dlp-site map page, first visit (every file the browser loaded; tiles excluded)",
                       rows(map_page))
    # The site's own files (theme, search index) load on every page and are cached after the first;
    # what the map costs is everything else, its page's HTML included.
    own = {name: sizes for name, sizes in map_page.items()
           if name not in plain_page or name.endswith("index.html") or name.endswith("/")}
    own_total = table("of which the map itself (files no other page loads, plus the page's HTML)", rows(own))
    default_total = table("Folium defaults, same content: standalone page and the files it loads (from npm)",
                          default_rows)
    for url in missing:
        print(f"  not resolved (counted as 0, so the default's total is a lower bound): {url}")
    ratio = default_total / own_total
    print(f"\npostcode table, fetched whole on the first search only: {kb(postcodes)} gzip")
    print(f"map page, first visit: {kb(page_total)} (budget {kb(BUDGET_BYTES)}): "
          f"{'ok' if page_total <= BUDGET_BYTES else 'OVER'}")
    print(f"Folium defaults / our map = {kb(default_total)} / {kb(own_total)} ({own_total:,} bytes; 3x needs at most "
          f"{default_total // 3:,}) = {ratio:.3f}x "
          f"(budget >= {BUDGET_RATIO:.0f}x): {'ok' if ratio >= BUDGET_RATIO else 'UNDER'}")
    return 0 if page_total <= BUDGET_BYTES and ratio >= BUDGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
