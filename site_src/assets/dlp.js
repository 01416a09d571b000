/* Progressive enhancement for the projects list: filter rows by area, theme and phase.
   Without JavaScript the form stays hidden and the full list (plus area and theme pages)
   remains. Values compared here come from data-* attributes written by the build. */
(function () {
  "use strict";

  function setUp(form) {
    var table = document.getElementById(form.getAttribute("data-dlp-filter"));
    if (!table || form.getAttribute("data-ready")) return;
    form.setAttribute("data-ready", "1");
    var status = document.getElementById(table.id + "-status");
    var selects = form.querySelectorAll("select");
    var rows = table.tBodies[0].rows;

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
      if (status) {
        status.textContent = "Showing " + shown + " of " + rows.length + " projects.";
      }
    }

    // Filters can be linked to, e.g. projects/?theme=semh&area=east.
    var params = new URLSearchParams(window.location.search);
    for (var k = 0; k < selects.length; k++) {
      var wanted = params.get(selects[k].name);
      if (wanted && selects[k].querySelector('option[value="' + CSS.escape(wanted) + '"]')) {
        selects[k].value = wanted;
      }
      selects[k].addEventListener("change", apply);
    }
    apply();
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    form.hidden = false;
  }

  function init() {
    var forms = document.querySelectorAll("form[data-dlp-filter]");
    for (var i = 0; i < forms.length; i++) setUp(forms[i]);
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
