/* The map page's "Put this map on your website" code (templates/_embed_code.html.j2): keeps
   the <iframe>'s address in step with the filters chosen on the map (map.js keeps them in this
   page's address), makes the address and origin whole when the site was built without its
   site_url, and copies the code. The code is only ever handled as text. */
(function () {
  "use strict";
  function init() {
    var code = document.getElementById("dlp-embed-code");
    if (!code) return;  // the embeddable map itself: no code to show
    var src = code.getAttribute("data-src");
    var origin = code.getAttribute("data-origin");
    var base = new URL(src, window.location.href);

    function update() {
      var next = new URL(base.href);
      next.search = window.location.search;
      var text = code.textContent.split(src).join(next.href);
      if (origin !== next.origin) text = text.split('"' + origin + '"').join('"' + next.origin + '"');
      code.textContent = text;
      src = next.href;
      origin = next.origin;
    }

    var filters = document.getElementById("dlp-map-filters");
    if (filters) filters.addEventListener("change", update);
    update();

    var button = document.getElementById("dlp-embed-copy");
    var status = document.getElementById("dlp-embed-status");
    button.hidden = false;
    button.addEventListener("click", function () {
      function selectIt() {
        var range = document.createRange();
        range.selectNodeContents(code);
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        status.textContent = "The code is selected: press Ctrl+C (or Cmd+C) to copy it.";
      }
      if (!navigator.clipboard) return selectIt();
      navigator.clipboard.writeText(code.textContent).then(function () {
        status.textContent = "Copied. Paste it into your page's HTML.";
      }, selectIt);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
