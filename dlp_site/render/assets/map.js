/* The Local Offer map page: markers, filters and the "find near me" search.

   The list of projects and schools under the map is the source of truth: every marker is
   tied to one row of it (by the row's id), its popup is made of copies of that row's cells,
   and the filters hide rows and markers with one test. The map and its text alternative
   therefore cannot disagree, and nothing from the data is ever parsed as HTML here: the
   cells were escaped by the build and are cloned as DOM nodes.

   Load order (templates/map.md.j2): the list, Leaflet, Leaflet.markercluster, this file, then
   map/local-offer.js, which calls dlpLocalOffer.load(...) and runs Folium's script, whose
   FastMarkerCluster calls dlpLocalOffer.marker(lat, lon, rowId) for each marker.

   Privacy: the postcode a parent types is looked up in map/postcodes.json, which is fetched
   whole (the same request whoever searches for whatever), so it never leaves the browser. */
(function () {
  "use strict";

  var MILE = 1609.344;
  // The shape of a UK postcode (BS 7666), spaces optional.
  var POSTCODE = /^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$/;
  var LETTERS = { primary_consortium: "P", secondary_network: "S", early_years: "E", citywide: "C" };
  var NEAR_PROJECTS = 8;
  var NEAR_SCHOOLS = 5;

  var themesOf = {};  // partnership id -> its projects' themes (a school's themes for the filter)
  var themeNames = {};  // theme id -> name
  var places = [];  // {row, marker, layer, partnership, lat, lon}
  var postcodeTable = null;
  var here = null;

  function load(data) {
    themesOf = data.themes_of;
    themeNames = data.theme_names;
  }

  function cellsInto(template, row) {
    // Fill each [data-cell=N] slot of a <template> with a copy of the row's Nth cell.
    var node = template.content.firstElementChild.cloneNode(true);
    node.querySelectorAll("[data-cell]").forEach(function (slot) {
      var cell = row.cells[+slot.getAttribute("data-cell")].cloneNode(true);
      while (cell.firstChild) slot.appendChild(cell.firstChild);
    });
    return node;
  }

  function marker(lat, lon, rowId) {
    var row = document.getElementById(rowId);
    var layer = row.getAttribute("data-layer");
    var kind = row.getAttribute("data-kind");
    var isProject = layer === "projects";
    var icon = L.divIcon({
      className: (isProject ? "dlp-pin dlp-pin--" : "dlp-dot dlp-dot--") + kind,
      html: isProject ? LETTERS[kind] || "" : "<span></span>",
      iconSize: isProject ? [28, 28] : [24, 24]
    });
    // The title gives the marker (a keyboard-focusable button) its accessible name.
    var m = L.marker([lat, lon], {
      icon: icon, keyboard: true, riseOnHover: true,
      title: (isProject ? "Project: " : "School: ") + row.cells[0].textContent.trim()
    });
    m.bindPopup(function () {
      var popup = cellsInto(document.getElementById("dlp-popup-" + layer), row);
      // A school's themes are its partnership's projects' (not a column of the list).
      popup.querySelectorAll("[data-partnership-themes]").forEach(function (slot) {
        slot.textContent = (themesOf[row.getAttribute("data-partnership")] || []).map(function (t) {
          return themeNames[t];
        }).join("; ") || "none yet";
      });
      return popup;
    }, { maxWidth: 280 });
    places.push({
      row: row, marker: m, layer: layer, partnership: row.getAttribute("data-partnership"), lat: lat, lon: lon
    });
    return m;
  }

  function areaPopup(rows) {
    var node = document.getElementById("dlp-popup-area").content.firstElementChild.cloneNode(true);
    var projects = Array.prototype.filter.call(rows, function (r) { return r.getAttribute("data-layer") === "projects"; });
    // The partnership's link is cell 1 of a project row and cell 3 of a school row.
    var link = rows[0].cells[rows[0].getAttribute("data-layer") === "projects" ? 1 : 3].querySelector("a");
    node.querySelector("[data-area-link]").appendChild(link.cloneNode(true));
    node.querySelector("[data-area-projects]").textContent = projects.length === 1 ? "1 project"
      : projects.length + " projects";
    return node;
  }

  function clusterIcon(cluster) {
    // A count for the eye and "N places" for screen readers; at least 24px (WCAG 2.5.8).
    var count = document.createElement("span");
    count.textContent = cluster.getChildCount();
    var label = document.createElement("span");
    label.className = "dlp-sr-only";
    label.textContent = " places here: select to zoom in";
    var html = document.createElement("span");
    html.appendChild(count);
    html.appendChild(label);
    return L.divIcon({ html: html, className: "dlp-cluster", iconSize: L.point(36, 36) });
  }

  function currentFilters(form) {
    var out = {};
    var selects = form.querySelectorAll("select");
    for (var i = 0; i < selects.length; i++) out[selects[i].getAttribute("data-key")] = selects[i].value;
    return out;
  }

  function rowMatches(row, filters) {
    for (var key in filters) {
      if (!filters[key]) continue;
      // School rows carry their partnership, whose projects' themes are the school's themes.
      var have = key === "themes" && row.getAttribute("data-layer") === "schools"
        ? themesOf[row.getAttribute("data-partnership")] || []
        : (row.getAttribute("data-" + key) || "").split(" ");
      if (have.indexOf(filters[key]) === -1) return false;
    }
    return true;
  }

  function distance(a, b) {
    // Haversine on a sphere of the Earth's mean radius: plenty for "how far" in a city.
    var r = 6371008.8, rad = Math.PI / 180;
    var dLat = (b[0] - a[0]) * rad, dLon = (b[1] - a[1]) * rad;
    var h = Math.pow(Math.sin(dLat / 2), 2) +
      Math.cos(a[0] * rad) * Math.cos(b[0] * rad) * Math.pow(Math.sin(dLon / 2), 2);
    return 2 * r * Math.asin(Math.sqrt(h));
  }

  function miles(metres) {
    var m = metres / MILE;
    return m < 0.1 ? "less than 0.1 miles" : m.toFixed(1) + (m.toFixed(1) === "1.0" ? " mile" : " miles");
  }

  function normalise(text) {
    var compact = text.toUpperCase().replace(/[^A-Z0-9]/g, "");
    var match = POSTCODE.exec(compact);
    return match ? match[1] + " " + match[2] : null;
  }

  function lookup(postcode) {
    var sector = postcode.slice(0, -2), district = postcode.split(" ")[0];
    if (postcodeTable.full[postcode]) return { point: postcodeTable.full[postcode], level: "full" };
    if (postcodeTable.sector[sector]) return { point: postcodeTable.sector[sector], level: "sector", area: sector };
    if (postcodeTable.district[district]) {
      return { point: postcodeTable.district[district], level: "district", area: district };
    }
    return null;
  }

  function init() {
    var root = document.getElementById("dlp-map-search");
    if (!root || root.getAttribute("data-ready")) return;
    root.setAttribute("data-ready", "1");
    var names = JSON.parse(root.getAttribute("data-names"));
    var map = window[names.map];
    var cluster = window[names.cluster];
    var filterForm = document.getElementById("dlp-map-filters");
    var status = document.getElementById("dlp-map-status");
    var rows = document.querySelectorAll("#dlp-map-rows tbody tr");
    var searchForm = document.getElementById("dlp-postcode-form");
    var input = document.getElementById("dlp-postcode");
    var error = document.getElementById("dlp-postcode-error");
    var near = document.getElementById("dlp-near");
    var youAreHere = null;
    var total = { projects: 0, schools: 0 };
    places.forEach(function (p) { total[p.layer]++; });

    // Each area's popup: its partnership's link (from any of its rows) and its projects.
    Object.keys(names).filter(function (key) { return key.indexOf("areas_") === 0; }).forEach(function (key) {
      window[names[key]].eachLayer(function (geojson) {
        geojson.eachLayer(function (area) {
          var pid = area.feature.properties.partnership_id;
          var mine = document.querySelectorAll('#dlp-map-rows tr[data-partnership="' + CSS.escape(pid) + '"]');
          if (mine.length) area.bindPopup(function () { return areaPopup(mine); }, { maxWidth: 280 });
        });
      });
    });

    // A project is as near as the nearest school in its partnership.
    var schoolsOf = {};
    places.forEach(function (p) {
      if (p.layer === "schools") (schoolsOf[p.partnership] = schoolsOf[p.partnership] || []).push([p.lat, p.lon]);
    });

    function applyFilters() {
      var filters = currentFilters(filterForm);
      var shown = { projects: 0, schools: 0 }, keep = [];
      for (var r = 0; r < rows.length; r++) rows[r].hidden = !rowMatches(rows[r], filters);
      places.forEach(function (p) {
        if (!p.row.hidden) {
          keep.push(p.marker);
          shown[p.layer]++;
        }
      });
      cluster.clearLayers();
      cluster.addLayers(keep);
      // Choosing a kind shows that kind's areas; "all kinds" leaves the layer choice alone.
      if (filters.kind) {
        for (var key in names) {
          if (key.indexOf("areas_") !== 0) continue;
          if (key === "areas_" + filters.kind) map.addLayer(window[names[key]]);
          else map.removeLayer(window[names[key]]);
        }
      }
      status.textContent = "Showing " + shown.projects + " of " + total.projects + " projects and " +
        shown.schools + " of " + total.schools + " schools on the map.";
      if (here) showNear(here.point, here.label, here.note, false);  // re-list; leave the map where it is
    }

    function listItem(place, metres, extra) {
      var li = document.createElement("li");
      var name = place.row.cells[0];
      var link = name.querySelector("a");
      li.appendChild(link ? link.cloneNode(true) : document.createTextNode(name.textContent.trim()));
      if (!link) {  // schools have no page of their own: link to their partnership's
        var partnership = place.row.cells[3].querySelector("a").cloneNode(true);
        li.appendChild(document.createTextNode(" ("));
        li.appendChild(partnership);
        li.appendChild(document.createTextNode(")"));
      }
      li.appendChild(document.createTextNode(", " + miles(metres) + (extra ? " " + extra : "")));
      return li;
    }

    function fill(listId, items) {
      var list = document.getElementById(listId);
      list.textContent = "";
      if (!items.length) {
        var li = document.createElement("li");
        li.textContent = "None match the filters you chose.";
        list.appendChild(li);
      }
      items.forEach(function (item) { list.appendChild(item); });
    }

    function nearest(layer, point) {
      return places.filter(function (p) { return p.layer === layer && !p.row.hidden; }).map(function (p) {
        var best = Infinity;
        (layer === "projects" ? schoolsOf[p.partnership] || [[p.lat, p.lon]] : [[p.lat, p.lon]])
          .forEach(function (s) { best = Math.min(best, distance(point, s)); });
        return { place: p, metres: best };
      }).sort(function (a, b) {
        return a.metres - b.metres || a.place.row.id.localeCompare(b.place.row.id);
      });
    }

    function showNear(point, label, note, move) {
      here = { point: point, label: label, note: note };
      fill("dlp-near-projects", nearest("projects", point).slice(0, NEAR_PROJECTS).map(function (x) {
        return listItem(x.place, x.metres, "to its nearest school");
      }));
      fill("dlp-near-schools", nearest("schools", point).slice(0, NEAR_SCHOOLS).map(function (x) {
        return listItem(x.place, x.metres);
      }));
      document.getElementById("dlp-near-heading").textContent = "Nearest to " + label;
      document.getElementById("dlp-near-note").textContent = note;
      near.hidden = false;
      if (youAreHere) map.removeLayer(youAreHere);
      youAreHere = L.circleMarker(point, {
        radius: 9, color: "#0b0c0c", weight: 3, fillColor: "#ffdd00", fillOpacity: 1, interactive: false
      }).addTo(map);
      if (move !== false) map.setView(point, 14);
    }

    function fail(message) {
      error.textContent = message;
      input.setAttribute("aria-invalid", "true");
      input.focus();
    }

    function search(text) {
      error.textContent = "";
      input.removeAttribute("aria-invalid");
      var example = input.getAttribute("data-example");
      if (!text.trim()) return fail("Enter a postcode, for example " + example + ".");
      var postcode = normalise(text);
      if (!postcode) return fail("That doesn't look like a postcode. A postcode looks like " + example + ".");
      var found = lookup(postcode);
      if (!found) {
        return fail("Sorry, we couldn't find " + postcode + ". Check it is a postcode in this area, " +
          "or use your location instead.");
      }
      var note = found.level === "full"
        ? "Distances are from the centre of " + postcode + "."
        : "We don't have the exact centre of " + postcode + ", so distances are from the middle of the " +
          found.area + " area.";
      showNear(found.point, postcode, note);
      near.focus();
    }

    searchForm.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = input.value;
      if (postcodeTable) return search(text);
      fetch(root.getAttribute("data-postcodes"))
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.json();
        })
        .then(function (table) { postcodeTable = table; search(text); })
        .catch(function () { fail("Sorry, the postcode search could not load. Please try again."); });
    });

    var locate = document.getElementById("dlp-locate");
    if (navigator.geolocation) {
      locate.hidden = false;
      locate.addEventListener("click", function () {
        error.textContent = "";
        navigator.geolocation.getCurrentPosition(function (position) {
          showNear([position.coords.latitude, position.coords.longitude], "your location",
            "Distances are from where your device says you are. It is not sent anywhere.");
          near.focus();
        }, function () {
          fail("We couldn't get your location. You can type your postcode instead.");
        }, { enableHighAccuracy: false, timeout: 10000, maximumAge: 600000 });
      });
    }

    // Filters can be linked to, e.g. map/?theme=semh&show=projects.
    var selects = filterForm.querySelectorAll("select");
    var params = new URLSearchParams(window.location.search);
    for (var i = 0; i < selects.length; i++) {
      var value = params.get(selects[i].name);
      if (value && selects[i].querySelector('option[value="' + CSS.escape(value) + '"]')) selects[i].value = value;
      selects[i].addEventListener("change", applyFilters);
    }
    filterForm.addEventListener("submit", function (event) { event.preventDefault(); });
    // Filters start folded away on phones (so the map is in view), open on wider screens or
    // when the address chose some.
    var filtered = selects.length && Array.prototype.some.call(selects, function (s) { return s.value; });
    if (filtered || window.matchMedia("(min-width: 45em)").matches) {
      document.getElementById("dlp-map-filterbox").open = true;
    }
    applyFilters();
    root.hidden = false;
  }

  window.dlpLocalOffer = { load: load, marker: marker, clusterIcon: clusterIcon, normalise: normalise };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
