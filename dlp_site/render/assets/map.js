/* The Local Offer map page: markers, filters, gestures and the search's results.

   The list of projects and schools under the map is the source of truth: every marker is
   made from one row of it (a row with a place on the map says where: data-at="LAT LON");
   popups and search results are made of copies of
   the row's parts (data-part="...") put in the slots (data-slot="...") of the page's
   <template>s; the filters hide rows and markers with one test. The map and its text
   alternative therefore cannot disagree, and nothing from the data is ever parsed as HTML
   here: the build escaped it, and it is cloned as DOM nodes.

   Load order (templates/_map.html.j2): the list, Leaflet, Leaflet.GestureHandling,
   Leaflet.markercluster, this file, then map/local-offer.js, which calls dlpLocalOffer.load()
   and runs Folium's script (the map, its areas and an empty cluster layer); init() then makes
   a marker for each row with a place, and the filters put those they keep in the cluster, in
   short slices of work (inSlices). search.js (the form) is loaded earlier, with the form.

   Searches arrive from the address (map/#near=B27%206DH, map/#school=...), set by the form
   here or on the home page (search.js). Privacy: the postcode is looked up in
   map/postcodes.json and the school in map/search.json, each fetched whole (the same request
   whoever searches for whatever), so what was typed never leaves the browser. */
(function () {
  "use strict";

  var MILE = 1609.344;
  var LETTERS = { primary_consortium: "P", secondary_network: "S", early_years: "E", citywide: "C" };
  var NEAR_PROJECTS = 6;
  var NEAR_SCHOOLS = 5;
  var SCHOOL_CHOICES = 20;
  var PIN = 44;  // px: markers and clusters are at least 44 x 44 (WCAG 2.5.5; 2.5.8 asks 24)
  // The page's own work as it loads is done in slices of at most this long, each a task of its
  // own, so that a phone is never busy for long at a time: a tap between two slices is answered
  // at once. (Lighthouse's Total Blocking Time counts each task's time over 50 ms, on a phone it
  // takes to be four times slower than this machine.)
  var SLICE_MS = 10;

  var themesOf = {};  // partnership id -> its projects' themes (a school's themes for the filter)
  var themeNames = {};  // theme id -> name
  var places = [];  // {row, marker, layer, partnership, lat, lon}
  var summaries = {};  // project id -> its summary in one line (map/search.json)

  // The filters and the map's box are on the page from the start (no jump when it is drawn);
  // if the map software did not load, there is no map to show: the page leads with its list.
  var block = document.getElementById("dlp-map-block");
  if (block && !window.L) block.hidden = true;

  // Leaflet.GestureHandling, which lets one finger scroll the page over the map and two move
  // it, and the mouse wheel scroll the page unless Ctrl (Cmd) is held. Two changes of ours:
  // - the wheel also zooms the map when the map (or a marker in it) has the focus, so someone
  //   who chose the map (clicked it, or reached it with Tab) can zoom it;
  // - the first turn of the wheel that zooms is not lost. The plugin zooms by switching on
  //   Leaflet's wheel handler, which then only hears the next turn (with Ctrl held, the
  //   browser would zoom the whole page instead): it is handed this one too (_onWheelScroll
  //   is Leaflet 1.9.4's, which is vendored and pinned).
  if (window.L && window.leafletGestureHandling) {
    var handleScroll = window.leafletGestureHandling.GestureHandling.prototype._handleScroll;
    window.leafletGestureHandling.GestureHandling.include({
      _handleScroll: function (e) {
        var map = this._map;
        if (!e.ctrlKey && !e.metaKey && !map.getContainer().contains(document.activeElement)) {
          handleScroll.call(this, e);  // the page scrolls, and the map says how to zoom it
          return;
        }
        e.preventDefault();
        L.DomUtil.removeClass(map.getContainer(), "leaflet-gesture-handling-scroll-warning");
        if (!map.scrollWheelZoom.enabled()) {
          map.scrollWheelZoom.enable();
          map.scrollWheelZoom._onWheelScroll(e);
        }
      }
    });
  }

  function load() {
    // A school's themes (for the theme filter and its popup) are its partnership's projects'
    // themes, and their names are the theme filter's: both read from the page, not sent twice.
    document.querySelectorAll("#dlp-map-rows tr[data-layer=projects]").forEach(function (row) {
      var pid = row.getAttribute("data-partnership");
      var have = themesOf[pid] = themesOf[pid] || [];
      (row.getAttribute("data-themes") || "").split(" ").forEach(function (t) {
        if (t && have.indexOf(t) < 0) have.push(t);
      });
    });
    Object.keys(themesOf).forEach(function (pid) { themesOf[pid].sort(); });
    document.querySelectorAll('select[data-key="themes"] option').forEach(function (option) {
      if (option.value) themeNames[option.value] = option.textContent;
    });
  }

  // A school row's parts are its cells (templates/_map.html.j2), a project row's are marked.
  var SCHOOL_CELLS = { name: 0, phase: 1, postcode: 2, partnership: 3, engaged: 4 };

  function part(row, name) {
    if (row.getAttribute("data-layer") === "schools") return row.cells[SCHOOL_CELLS[name]] || null;
    return row.querySelector('[data-part="' + name + '"]');
  }

  function fromTemplate(id, row) {
    // A copy of a <template>, each [data-slot=NAME] filled with a copy of the row's part NAME.
    var node = document.getElementById(id).content.firstElementChild.cloneNode(true);
    node.querySelectorAll("[data-slot]").forEach(function (slot) {
      var source = row && part(row, slot.getAttribute("data-slot"));
      if (!source) return;
      var copy = source.cloneNode(true);
      while (copy.firstChild) slot.appendChild(copy.firstChild);
    });
    return node;
  }

  function marker(row, map) {
    var at = row.getAttribute("data-at").split(" ");
    var lat = Number(at[0]), lon = Number(at[1]);
    var layer = row.getAttribute("data-layer");
    var kind = row.getAttribute("data-kind");
    var isProject = layer === "projects";
    // A 44 px target around a smaller pin or dot (the inner span is only drawn).
    var icon = L.divIcon({
      className: (isProject ? "dlp-pin dlp-pin--" : "dlp-dot dlp-dot--") + kind,
      html: isProject ? "<span>" + (LETTERS[kind] || "") + "</span>" : "<span></span>",
      iconSize: [PIN, PIN]
    });
    // The title gives the marker (a keyboard-focusable button) its accessible name.
    var m = L.marker([lat, lon], {
      icon: icon, keyboard: true, riseOnHover: true,
      title: (isProject ? "Project: " : "School: ") + part(row, isProject ? "title" : "name").textContent.trim()
    });
    m.bindPopup(function () {
      var popup = fromTemplate("dlp-popup-" + layer, row);
      // A school's themes are its partnership's projects' (not a column of the list).
      popup.querySelectorAll("[data-partnership-themes]").forEach(function (slot) {
        slot.textContent = (themesOf[row.getAttribute("data-partnership")] || []).map(function (t) {
          return themeNames[t];
        }).join("; ") || "none yet";
      });
      return popup;
    }, popupOptions(map));
    var place = {
      row: row, marker: m, layer: layer, partnership: row.getAttribute("data-partnership"), lat: lat, lon: lon
    };
    places.push(place);
    return place;
  }

  function inSlices(items, each, then) {
    // each(item) for every item, in slices of SLICE_MS, then then(). The first slice is a task
    // of its own too: begun at once, it made the task that began it (the page's
    // DOMContentLoaded, which Material's script also runs in) 10 ms longer.
    var i = 0;
    setTimeout(function slice() {
      var end = performance.now() + SLICE_MS;
      while (i < items.length && performance.now() < end) each(items[i++]);
      if (i < items.length) setTimeout(slice, 0);
      else then();
    }, 0);
  }

  function popupOptions(map) {
    // Keep popups clear of the controls: the zoom buttons (top left), the layers button (top
    // right), the scale and credits (bottom).
    // On a phone a popup is narrower than the map (its content has 58 px of margins, the
    // close button's among them), or its right edge and close button would be cut off. A
    // popup taller than the room between the paddings scrolls inside: Leaflet keeps its top
    // clear, and its last lines would run under the scale. The map's size is Leaflet's, which
    // it keeps: reading the box's would make the browser lay out the page again, in the middle
    // of making the markers.
    var size = map.getSize();
    return {
      maxWidth: size.x ? Math.max(160, Math.min(280, size.x - 100)) : 280,
      maxHeight: Math.max(120, size.y - 210),
      autoPanPaddingTopLeft: L.point(12, 120), autoPanPaddingBottomRight: L.point(12, 40)
    };
  }

  function partnershipLink(row) {
    // Its partnership's link in a row of the list (a project's or a school's).
    return part(row, "partnership").querySelector("a");
  }

  function areaPopup(rows) {
    var node = document.getElementById("dlp-popup-area").content.firstElementChild.cloneNode(true);
    var projects = Array.prototype.filter.call(rows, function (r) { return r.getAttribute("data-layer") === "projects"; });
    node.querySelector("[data-area-link]").appendChild(partnershipLink(rows[0]).cloneNode(true));
    node.querySelector("[data-area-projects]").textContent = projects.length === 1 ? "1 project"
      : projects.length + " projects";
    return node;
  }

  function clusterIcon(cluster) {
    // A count for the eye and "N places" for screen readers.
    var count = document.createElement("span");
    count.textContent = cluster.getChildCount();
    var label = document.createElement("span");
    label.className = "dlp-sr-only";
    label.textContent = " places here: select to zoom in";
    var html = document.createElement("span");
    html.appendChild(count);
    html.appendChild(label);
    return L.divIcon({ html: html, className: "dlp-cluster", iconSize: L.point(PIN, PIN) });
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

  function lookup(table, pc) {
    // A full postcode falls back to its sector and district; a sector to its district.
    var district = pc.split(" ")[0];
    var sector = pc.length > district.length + 2 ? pc.slice(0, -2) : pc;
    if (table.full[pc]) return { point: table.full[pc], level: "full" };
    if (table.sector[sector]) return { point: table.sector[sector], level: "sector", area: sector };
    if (table.district[district]) return { point: table.district[district], level: "district", area: district };
    return null;
  }

  function init() {
    var names = block && JSON.parse(block.getAttribute("data-names"));
    var map = names && window[names.map];
    if (!map || block.getAttribute("data-ready")) return;
    block.setAttribute("data-ready", "1");
    var cluster = window[names.cluster];
    var filterForm = document.getElementById("dlp-map-filters");
    var status = document.getElementById("dlp-map-status");
    var rows = document.querySelectorAll("#dlp-map-rows tbody tr");
    var findForm = document.getElementById("dlp-find-form");
    var find = null;  // search.js's form helpers (fail, clear, input), once it has loaded
    var results = document.getElementById("dlp-results");
    var body = document.getElementById("dlp-results-body");
    var here = null;  // the last search, re-listed when the filters change
    var youAreHere = null;
    var total = { projects: 0, schools: 0 };

    // Two fingers on the map switch Leaflet's dragging on (the plugin's way of letting them
    // move the map); it stayed on after they lifted, so the next one-finger swipe moved the
    // map instead of the page (the browser reads "touch-action" as a touch begins). Switch it
    // off again when the last finger lifts.
    map.getContainer().addEventListener("touchend", function (e) {
      if (!e.touches.length && map.gestureHandling && map.gestureHandling.enabled()) {
        setTimeout(function () { map.dragging.disable(); }, 0);
      }
    });

    // Each area's tooltip (its partnership's name) and popup (its partnership's link, from any
    // of its rows, and its projects). The outlines are not Tab stops (Leaflet makes them
    // focusable, with no name): the list has every partnership, and the markers are reachable
    // by keyboard.
    var rowsOf = {};  // partnership id -> its rows in the list
    Array.prototype.forEach.call(rows, function (row) {
      var pid = row.getAttribute("data-partnership");
      (rowsOf[pid] = rowsOf[pid] || []).push(row);
    });
    function outline(area) {
      var mine = rowsOf[area.feature.properties.partnership_id];
      if (mine) {
        area.bindPopup(function () { return areaPopup(mine); }, popupOptions(map));
        // Its name as you point at it, as text copied from the list (never HTML).
        area.bindTooltip(function () {
          var name = document.createElement("span");
          name.textContent = partnershipLink(mine[0]).textContent;
          return name;
        }, { sticky: true });
      }
      var untab = function () { if (area.getElement()) area.getElement().setAttribute("tabindex", "-1"); };
      area.on("add", untab);
      untab();
    }
    var areas = [];
    Object.keys(names).filter(function (key) { return key.indexOf("areas_") === 0; }).forEach(function (key) {
      window[names[key]].eachLayer(function (geojson) {
        geojson.eachLayer(function (area) { areas.push(area); });
      });
    });

    // A project is as near as the nearest school in its partnership (filled in as the
    // markers are made).
    var schoolsOf = {};

    // The cluster layer is filled in slices too. While it is being filled, a change of
    // filters waits for the fill to end, then is applied: a fill cannot be stopped, and
    // clearing the layer under it would leave markers the filters had hidden.
    var filling = false, refilter = false;
    function filled() {
      filling = false;
      if (refilter) setTimeout(function () {
        refilter = false;
        applyFilters();
      }, 0);
    }
    // The filters fill it in slices of SLICE_MS (fill, below). markercluster fills it itself
    // when the layer is switched back on, with its own chunked loading.
    cluster.options.chunkedLoading = true;
    cluster.options.chunkInterval = SLICE_MS;
    cluster.options.chunkDelay = 0;
    cluster.options.chunkProgress = function (done, all) {
      filling = done < all;
      // It is called before a fill's last step (showing the clusters): start again after.
      if (!filling) filled();
    };

    function fill(markers) {
      // addLayers' own chunks look at the clock only every 200 markers, which is a task of
      // about 100 ms on a phone. This is its loop (leaflet.markercluster 1.5.3, vendored and
      // pinned) for a layer that was just cleared, a slice at a time: each marker clustered at
      // every zoom (_addLayer), then the clusters shown.
      if (!cluster._map) {  // switched off: markercluster keeps them until it is switched on
        cluster.addLayers(markers);
        return;
      }
      filling = true;
      inSlices(markers, function (m) {
        if (!cluster._map) return;  // switched off during the fill: see its last step
        cluster._addLayer(m, cluster._maxZoom);
        // A zoom between two slices shows what is there so far; a marker on show that this
        // one has just joined in a cluster leaves the map (as in addLayers).
        var parent = m.__parent;
        if (parent && parent.getChildCount() === 2) {
          var two = parent.getAllChildMarkers();
          cluster._featureGroup.removeLayer(two[0] === m ? two[1] : two[0]);
        }
      }, function () {
        if (!cluster._map) {  // all of them again, kept for when it is switched back on
          cluster.clearLayers();
          cluster.addLayers(markers);
        } else {
          var top = cluster._topClusterLevel;
          top._recalculateBounds();
          cluster._refreshClustersIcons();
          top._recursivelyAddChildrenToMap(null, cluster._zoom, cluster._currentShownBounds);
        }
        filled();
      });
    }

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
      if (filling) {
        refilter = true;
      } else {
        cluster.clearLayers();
        fill(keep);
      }
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
      if (here) here.list();  // re-list the results for the filters; leave the map where it is
    }

    // --- results ---------------------------------------------------------------------------

    function clearResults() {
      here = null;
      results.hidden = true;
      body.textContent = "";
      if (youAreHere) map.removeLayer(youAreHere);
      youAreHere = null;
    }

    function group(heading, intro, items, empty) {
      var node = fromTemplate("dlp-t-group");
      node.querySelector('[data-slot="heading"]').textContent = heading;
      var p = node.querySelector('[data-slot="intro"]');
      if (intro) p.textContent = intro;
      else p.remove();
      var list = node.querySelector("ol");
      items.forEach(function (item) { list.appendChild(item); });
      if (!items.length) {
        var li = document.createElement("li");
        li.textContent = empty || "None match the filters you chose.";
        list.appendChild(li);
      }
      body.appendChild(node);
    }

    function card(row, distanceText) {
      var node = fromTemplate(row.getAttribute("data-layer") === "projects" ? "dlp-t-project" : "dlp-t-school", row);
      var summary = node.querySelector('[data-slot="summary"]');
      if (summary) summary.textContent = summaries[row.id.replace(/^map-project-/, "")] || "";
      var slot = node.querySelector('[data-slot="distance"]');
      if (distanceText) slot.textContent = distanceText.charAt(0).toUpperCase() + distanceText.slice(1);
      else slot.remove();
      return node;
    }

    function visibleProjects(selector) {
      return Array.prototype.filter.call(document.querySelectorAll("#dlp-map-rows tr[data-layer=projects]" + selector),
        function (row) { return !row.hidden; });
    }

    function citywide() {
      var rowsNow = visibleProjects('[data-kind="citywide"]');
      if (!document.querySelector('#dlp-map-rows tr[data-layer=projects][data-kind="citywide"]')) return;
      group("City-wide projects", "Open to children and young people at any school.",
        rowsNow.map(function (row) { return card(row); }));
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

    function mark(point) {
      if (youAreHere) map.removeLayer(youAreHere);
      youAreHere = L.circleMarker(point, {
        radius: 16, color: "#0b0c0c", weight: 3, fillColor: "#ffdd00", fillOpacity: 1, interactive: false
      }).addTo(map);
    }

    function show(heading, note, list, point, zoom) {
      clearResults();
      here = { list: function () { body.textContent = ""; list(); } };
      results.querySelector(".dlp-results__heading").textContent = heading;
      document.getElementById("dlp-results-note").textContent = note;
      list();
      results.hidden = false;
      if (point) {
        mark(point);
        map.setView(point, zoom);
      }
      // The heading takes the focus, so a screen reader reads it first; the page scrolls to
      // the top of the results (a focused box taller than the screen would be scrolled to
      // its middle).
      var heading = results.querySelector(".dlp-results__heading");
      heading.focus({ preventScroll: true });
      results.scrollIntoView({ block: "start" });
    }

    function showNear(point, label, note) {
      show("Support near " + label, note, function () {
        group("Projects nearest to " + label, "Distances are to the nearest school in the project's partnership.",
          nearest("projects", point).slice(0, NEAR_PROJECTS).map(function (x) {
            return card(x.place.row, miles(x.metres) + " away.");
          }));
        citywide();
        group("Schools nearest to " + label, "",
          nearest("schools", point).slice(0, NEAR_SCHOOLS).map(function (x) {
            return card(x.place.row, miles(x.metres) + " away.");
          }));
      }, point, 14);
    }

    function showSchool(school) {
      var row = document.getElementById("map-school-" + school.urn);
      if (!row) return fail("Sorry, " + school.name + " is not on this map.");
      var pid = row.getAttribute("data-partnership");
      var partnership = part(row, "partnership").textContent.trim();
      var place = places.filter(function (p) { return p.row === row; })[0];
      var isCitywide = row.getAttribute("data-kind") === "citywide";
      find.input.value = school.name;
      show("Support for children at " + school.name,
        school.name + " (" + school.postcode + ") is part of " + partnership + ". These are the projects " +
        partnership + " runs" + (isCitywide ? "." : ", and the city-wide projects open to every school."),
        function () {
          group("Projects run by " + partnership, "", visibleProjects('[data-partnership="' + CSS.escape(pid) + '"]')
            .map(function (r) { return card(r); }), "None match the filters you chose, or " + partnership +
            " has no funded projects yet.");
          if (!isCitywide) citywide();
          var nearby = document.createElement("p");
          var link = document.createElement("a");
          link.href = "#" + window.dlpFind.fragment({ near: school.postcode });
          link.textContent = "Projects near " + school.postcode;
          nearby.appendChild(document.createTextNode("Other projects may be near your home: search by your postcode, or see "));
          nearby.appendChild(link);
          nearby.appendChild(document.createTextNode(", the school's postcode."));
          body.appendChild(nearby);
        }, place && [place.lat, place.lon], 15);
    }

    function showChoices(found, typed) {
      show("Schools matching \u201c" + typed + "\u201d", found.length + " schools match. Choose your child's school.",
        function () {
          var list = document.createElement("ul");
          list.className = "dlp-results__choices";
          found.slice(0, SCHOOL_CHOICES).forEach(function (s) {
            var li = document.createElement("li");
            var a = document.createElement("a");
            a.href = "#" + window.dlpFind.fragment({ school: s.urn });
            a.textContent = s.name;
            li.appendChild(a);
            li.appendChild(document.createTextNode(" (" + s.partnership + ", " + s.postcode + ")"));
            list.appendChild(li);
          });
          body.appendChild(list);
          if (found.length > SCHOOL_CHOICES) {
            var more = document.createElement("p");
            more.textContent = "Showing the first " + SCHOOL_CHOICES + ". Type more of the name to find yours.";
            body.appendChild(more);
          }
        });
    }

    function fail(message) {
      clearResults();
      find.fail(message);
    }

    var searches = 0;  // a search's answer is shown only if no newer search has started

    function loaded(urls, then) {
      // The search's fixed files (each fetched whole, once), then `then` with their contents.
      var mine = ++searches;
      Promise.all(urls.map(window.dlpFind.json)).then(function (files) {
        if (mine !== searches) return;
        summaries = files[files.length - 1].summaries;
        then.apply(null, files);
      }, function () {
        if (mine === searches) fail("Sorry, the search could not load. Please try again.");
      });
    }

    function searchNear(text) {
      var example = find.input.getAttribute("data-example");
      var pc = window.dlpFind.postcode(text);
      if (!pc) return fail("That doesn't look like a postcode. A postcode looks like " + example + ".");
      find.input.value = pc;
      loaded([block.getAttribute("data-postcodes"), findForm.getAttribute("data-search")], function (table) {
        var found = lookup(table, pc);
        if (!found) {
          return fail("Sorry, we couldn't find " + pc + ". Check it is a postcode in this area, " +
            "or type the name of your child's school.");
        }
        var note = found.level === "full" ? "Distances are from the centre of " + pc + "."
          : pc === found.area ? pc + " is a postcode district, so distances are from its middle. For nearer results, type your full postcode."
          : "We don't have the exact centre of " + pc + ", so distances are from the middle of the " + found.area + " area.";
        showNear(found.point, pc, note);
      });
    }

    function searchSchool(text) {
      find.input.value = text;
      loaded([findForm.getAttribute("data-search")], function (data) {
        var found = window.dlpFind.match(window.dlpFind.schools(data), text);
        var exact = found.filter(function (s) { return s.words === window.dlpFind.words(text); });
        if (!found.length) {
          return fail("No school on this map matches \u201c" + text + "\u201d. Check the spelling, " +
            "or search by postcode.");
        }
        if (found.length === 1 || exact.length === 1) return showSchool(exact.length === 1 ? exact[0] : found[0]);
        showChoices(found, text);
      });
    }

    function search(q) {
      // Every search starts afresh: old results go, even if this one fails.
      searched = "#" + window.dlpFind.fragment(q);
      clearResults();
      find.clear();
      if (q.near !== undefined) searchNear(q.near);
      else searchSchool(q.school);
    }

    // search.js (the form's suggestions and what a search asks for) is loaded when it is first
    // needed: when the form is first used or the address holds a search, not with the page,
    // which has a weight budget. Until then the form is shown, and a search made before it
    // has loaded waits for it; text typed meanwhile gets its suggestions once it has.
    var findLoading = null;
    function withFind(then) {
      if (!findLoading) {
        findLoading = new Promise(function (resolve, reject) {
          var script = document.createElement("script");
          script.src = findForm.getAttribute("data-script");
          script.onload = resolve;
          script.onerror = reject;
          document.head.appendChild(script);
        }).then(function () {
          find = findForm.dlpFind;
          window.dlpFind.onSearch(search);
        });
        findLoading.catch(function () {
          findLoading = null;  // the next use tries again
          document.getElementById("dlp-find-error").textContent = "Sorry, the search could not load. Please try again.";
        });
      }
      findLoading.then(then);
    }
    function isSearch(hash) {
      var params = new URLSearchParams(hash.replace(/^#/, ""));
      return Boolean(params.get("near") || params.get("school"));
    }
    var findInput = document.getElementById("dlp-find-input");
    findForm.addEventListener("focusin", function () { withFind(function () {}); });
    findInput.addEventListener("input", function () {
      if (!find) withFind(function () { findInput.dispatchEvent(new Event("input")); });
    });
    findForm.addEventListener("submit", function (event) {
      if (find) return;  // search.js's own listener searches
      event.preventDefault();
      withFind(function () { findForm.requestSubmit(); });
    });

    // Back and Forward between searches: history entries made by pushState fire "popstate"
    // but not "hashchange"; a link to a search (#school=...) fires both. An ordinary #anchor
    // (a skip link) leaves the results alone.
    var searched = null;  // the address of the search on show
    function fromAddress() {
      if (!isSearch(location.hash) || location.hash === searched) return;
      withFind(function () {
        var q = window.dlpFind.parse(location.hash);
        if (q && location.hash !== searched) search(q);
      });
    }
    window.addEventListener("hashchange", fromAddress);
    window.addEventListener("popstate", fromAddress);

    var locate = document.getElementById("dlp-locate");
    if (!navigator.geolocation) {
      locate.hidden = true;  // shown from the start (no jump) where browsers can locate
    } else {
      locate.addEventListener("click", function () { withFind(function () {
        clearResults();
        find.clear();
        navigator.geolocation.getCurrentPosition(function (position) {
          loaded([findForm.getAttribute("data-search")], function () {
            showNear([position.coords.latitude, position.coords.longitude], "your location",
              "Distances are from where your device says you are. It is not sent anywhere.");
          });
        }, function () {
          find.fail("We couldn't get your location. You can type your postcode instead.");
        }, { enableHighAccuracy: false, timeout: 10000, maximumAge: 600000 });
      }); });
    }

    // Filters are in the address (map/?theme=semh&show=projects), so a filtered map can be
    // shared; they are not personal, unlike the search, which stays after the "#".
    var selects = filterForm.querySelectorAll("select");
    var params = new URLSearchParams(window.location.search);
    for (var i = 0; i < selects.length; i++) {
      var value = params.get(selects[i].name);
      if (value && selects[i].querySelector('option[value="' + CSS.escape(value) + '"]')) selects[i].value = value;
      selects[i].addEventListener("change", function () {
        var chosen = new URLSearchParams();
        Array.prototype.forEach.call(selects, function (s) { if (s.value) chosen.set(s.name, s.value); });
        var query = chosen.toString();
        history.replaceState(history.state, "", location.pathname + (query ? "?" + query : "") + location.hash);
        applyFilters();
      });
    }
    filterForm.addEventListener("submit", function (event) { event.preventDefault(); });
    // Filters start folded away on phones (so the map is in view), open on wider screens or
    // when the address chose some.
    var filtered = Array.prototype.some.call(selects, function (s) { return s.value; });
    if (filtered || window.matchMedia("(min-width: 45em)").matches) {
      document.getElementById("dlp-map-filterbox").open = true;
    }

    // A marker for each row with a place, then the areas' popups, then the filters put the
    // markers they keep on the map (fill: adding each to the cluster layer as it is made
    // would cluster every marker twice) and a search in the address is made.
    inSlices(document.querySelectorAll("#dlp-map-rows tr[data-at]"), function (row) {
      var p = marker(row, map);
      total[p.layer]++;
      if (p.layer === "schools") (schoolsOf[p.partnership] = schoolsOf[p.partnership] || []).push([p.lat, p.lon]);
    }, function () {
      inSlices(areas, outline, function () {
        applyFilters();
        fromAddress();
      });
    });
  }

  window.dlpLocalOffer = { load: load, clusterIcon: clusterIcon };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
