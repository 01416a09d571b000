/* The embeddable map (embed/map/) inside another website's <iframe>.

   - Tells the page around it how tall this page is, whenever that changes (the search
     results, the filters, a phone turned sideways), so the <iframe> can grow to fit instead of
     scrolling inside itself. The message is {type: "dlp-site:height", height: <CSS pixels>};
     a height says nothing about the visitor, so it may go to whichever page embeds the map.
   - Opens links to this site's other pages (a project, a partnership, the full map) in the
     top window: read inside a box on someone else's page, they would be cramped and lose
     their way back. Links within this page (#the-list) stay here. Links are checked as they
     are followed, so those in search results and map popups, made later, count too. */
(function () {
  "use strict";
  if (window.parent === window) return;  // opened on its own: an ordinary page

  var sent = 0;
  function tell() {
    var height = Math.ceil(document.body.getBoundingClientRect().height);
    if (height === sent) return;
    sent = height;
    window.parent.postMessage({ type: "dlp-site:height", height: height }, "*");
  }

  function elsewhere(link) {
    if (link.target) return false;
    var here = window.location;
    return link.protocol !== here.protocol || link.host !== here.host || link.pathname !== here.pathname;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href]");
    if (link && elsewhere(link)) link.target = "_top";
  }, true);

  if (window.ResizeObserver) new ResizeObserver(tell).observe(document.body);
  window.addEventListener("load", tell);
  tell();
})();
