/* Progressive enhancement for long lists (projects, impact): filter rows by area, theme and
   phase. Without JavaScript the form stays hidden and the whole list, grouped with its contents
   list, remains. The choices are kept in the address (?theme=semh&area=east), so a filtered
   list can be shared; they say nothing about the reader. Values compared here come from data-*
   attributes written by the build. */
(function () {
  "use strict";

  function setUp(form) {
    var list = document.getElementById(form.getAttribute("data-dlp-filter"));
    if (!list || form.getAttribute("data-ready")) return;
    form.setAttribute("data-ready", "1");
    var status = document.getElementById(list.id + "-status");
    var noun = form.getAttribute("data-dlp-noun") || "rows";
    var selects = form.querySelectorAll("select");
    var rows = list.querySelectorAll("tbody tr");
    var groups = list.querySelectorAll("[data-dlp-group]");  // areas, and projects within them

    function visibleRows(el) {
      return el.querySelectorAll("tbody tr:not([hidden])").length;
    }

    function apply() {
      var shown = 0;
      for (var i = 0; i < rows.length; i++) {
        var row = rows[i];
        var ok = true;
        for (var j = 0; j < selects.length; j++) {
          var want = selects[j].value;
          if (!want) continue;
          var have = (row.getAttribute("data-" + selects[j].getAttribute("data-key")) || "").split(" ");
          if (have.indexOf(want) === -1) ok = false;
        }
        row.hidden = !ok;
        if (ok) shown++;
      }
      for (var g = 0; g < groups.length; g++) {
        var count = visibleRows(groups[g]);
        groups[g].hidden = count === 0;
        var entry = document.querySelector('[data-dlp-contents-for="' + groups[g].getAttribute("data-dlp-group") + '"]');
        if (entry) {
          entry.hidden = count === 0;
          var words = entry.querySelector("[data-one]");
          if (words) {
            words.textContent = count + " " + words.getAttribute(count === 1 ? "data-one" : "data-many");
          }
        }
      }
      if (status) {
        status.textContent = "Showing " + shown + " of " + rows.length + " " + noun + ".";
      }
    }

    function remember() {
      var params = new URLSearchParams(window.location.search);
      for (var k = 0; k < selects.length; k++) {
        if (selects[k].value) params.set(selects[k].name, selects[k].value);
        else params.delete(selects[k].name);
      }
      var query = params.toString();
      window.history.replaceState(window.history.state, "",
        window.location.pathname + (query ? "?" + query : "") + window.location.hash);
    }

    var params = new URLSearchParams(window.location.search);
    for (var k = 0; k < selects.length; k++) {
      var wanted = params.get(selects[k].name);
      if (wanted && selects[k].querySelector('option[value="' + CSS.escape(wanted) + '"]')) {
        selects[k].value = wanted;
      }
      selects[k].addEventListener("change", function () { apply(); remember(); });
    }
    apply();
    form.addEventListener("submit", function (e) { e.preventDefault(); });
  }

  function init() {
    var forms = document.querySelectorAll("form[data-dlp-filter]");
    for (var i = 0; i < forms.length; i++) setUp(forms[i]);
    embedCode();
  }

  // The map page's "Put this map on your website" (templates/_embed_code.html.j2): its script
  // is fetched when the section comes into view, so the map's first visit does not carry it.
  function embedCode() {
    var section = document.getElementById("dlp-embed");
    if (!section || !window.IntersectionObserver) return;
    var watch = new IntersectionObserver(function (entries) {
      if (!entries.some(function (e) { return e.isIntersecting; })) return;
      watch.disconnect();
      var script = document.createElement("script");
      script.src = section.getAttribute("data-script");
      document.head.appendChild(script);
    });
    watch.observe(section);
  }

  // Material's instant navigation swaps pages without reloading; document$ tells us when.
  if (window.document$ && window.document$.subscribe) {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
