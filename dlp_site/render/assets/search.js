/* "Find support near you": the postcode-or-school search form (templates/_find.html.j2), on
   the home page and on the map page.

   Privacy: what a parent types never leaves the browser. The form is never submitted (its
   input has no name); the search is put in the map page's address after the "#"
   (map/#near=B27%206DH, map/#school=Mulberry), which browsers never send to a server; and
   the suggestions come from map/search.json, fetched whole, the same file for everyone.

   The school name box is an editable combobox with a list of suggestions, as in the WAI-ARIA
   Authoring Practices ("combobox with list autocomplete"): type to see matching schools;
   Down and Up move through them; Enter or a click chooses one; Escape closes the list; the
   number of matches is announced. A postcode never opens the list.

   On the home page the form goes to the map page. On the map page, map.js loads this file
   when the form is first used (or the address holds a search), registers itself
   with dlpFind.onSearch and the form searches in place (the address changes too, so Back
   and a shared link give the same results). */
(function () {
  "use strict";

  var FULL = /^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$/;  // without spaces: B276DH
  var OUTWARD = /^[A-Z]{1,2}[0-9][A-Z0-9]?$/;  // B27, the "district"
  var SECTOR = /^([A-Z]{1,2}[0-9][A-Z0-9]?) ([0-9])$/;  // B27 6
  var POSTCODE_LIKE = /^[A-Z]{1,2}[0-9][A-Z0-9 ]{0,6}$/;  // a postcode, or a mistyped one
  var SUGGESTIONS = 8;

  var cache = {};
  var searchHere = null;  // the map page's search, when there is one

  function json(url) {
    // One fetch per file and page, of the whole file: what is typed never shapes a request.
    if (!cache[url]) {
      cache[url] = fetch(url).then(function (response) {
        if (!response.ok) throw new Error(url + ": " + response.status);
        return response.json();
      });
      cache[url].catch(function () { delete cache[url]; });  // let a later search try again
    }
    return cache[url];
  }

  function postcode(text) {
    // "B27 6DH" (full), "B27 6" (sector), "B27" (district); "" if it looks like a postcode
    // but is not one; null if it does not look like a postcode at all (a school's name).
    var upper = text.trim().toUpperCase().replace(/\s+/g, " ");
    var compact = upper.replace(/ /g, "");
    var full = FULL.exec(compact);
    if (full) return full[1] + " " + full[2];
    if (OUTWARD.test(compact)) return compact;
    var sector = SECTOR.exec(upper);
    if (sector) return sector[1] + " " + sector[2];
    return POSTCODE_LIKE.test(upper) ? "" : null;
  }

  function query(text) {
    // What the form asks for: {near: "B27 6DH"}, {school: "mulberry"}, or null if empty.
    var trimmed = text.trim().replace(/\s+/g, " ");
    if (!trimmed) return null;
    var pc = postcode(trimmed);
    return pc === null ? { school: trimmed } : { near: pc || trimmed };
  }

  function fragment(q) {
    return q.near !== undefined ? "near=" + encodeURIComponent(q.near) : "school=" + encodeURIComponent(q.school);
  }

  function parse(hash) {
    // The search in an address's fragment, or null (an ordinary #anchor, or none).
    var params = new URLSearchParams(hash.replace(/^#/, ""));
    if (params.get("near")) return { near: params.get("near") };
    if (params.get("school")) return { school: params.get("school") };
    return null;
  }

  function words(text) {
    // "St. Mary's C of E" -> "st marys c of e": case, accents, apostrophes and punctuation aside.
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/['\u2019]/g, "").replace(/[^a-z0-9]+/g, " ").trim();
  }

  function schools(data) {
    return data.schools.map(function (s) {
      return { urn: String(s[0]), name: s[1], partnership: s[2], postcode: s[3], words: words(s[1]) };
    });
  }

  function match(list, text) {
    // Schools whose name has a word starting with each word typed: the name exactly first,
    // then names starting with what was typed, then the rest (each group by name).
    var typed = words(text);
    if (!typed) return [];
    if (/^[0-9]+$/.test(typed)) {  // a URN (the map page's links to one school use them)
      var byUrn = list.filter(function (s) { return s.urn === typed; });
      if (byUrn.length) return byUrn;
    }
    var terms = typed.split(" ");
    var exact = [], starts = [], rest = [];
    list.forEach(function (s) {
      var padded = " " + s.words;
      if (s.words === typed) exact.push(s);
      else if (terms.every(function (t) { return padded.indexOf(" " + t) !== -1; })) {
        (s.words.indexOf(typed) === 0 ? starts : rest).push(s);
      }
    });
    return exact.concat(starts, rest);
  }

  function combobox(input, listbox, status, source) {
    var options = [];
    var active = -1;
    var announce = null;

    function setActive(index) {
      active = index;
      Array.prototype.forEach.call(listbox.children, function (li, i) {
        li.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", listbox.children[index].id);
        listbox.children[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      setActive(-1);
    }

    function say(text) {
      // Announced once typing pauses, not at every key.
      clearTimeout(announce);
      announce = setTimeout(function () { status.textContent = text; }, 500);
    }

    function show(found) {
      options = found.slice(0, SUGGESTIONS);
      listbox.textContent = "";
      options.forEach(function (s, i) {
        var li = document.createElement("li");
        li.id = listbox.id + "-" + i;
        li.className = "dlp-combobox__option";
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.setAttribute("data-index", i);
        li.textContent = s.name;
        var detail = document.createElement("span");
        detail.className = "dlp-combobox__detail";
        detail.textContent = s.partnership + ", " + s.postcode;
        li.appendChild(detail);
        listbox.appendChild(li);
      });
      if (!options.length) {
        close();
        say("");
        return;
      }
      listbox.hidden = false;
      input.setAttribute("aria-expanded", "true");
      setActive(-1);
      say((found.length === 1 ? "1 school matches" : found.length + " schools match") +
        (found.length > options.length ? ", the first " + options.length + " are listed" : "") +
        ". Use the up and down arrow keys to choose one.");
    }

    function update() {
      var text = input.value;
      if (postcode(text) !== null || words(text).length < 2) {
        close();
        say("");
        return;
      }
      source().then(function (list) {
        if (input.value === text) show(match(list, text));
      }, function () { close(); });
    }

    function choose(index) {
      input.value = options[index].name;
      close();
      input.focus();
    }

    input.addEventListener("focus", function () { source().catch(function () {}); });  // load early
    input.addEventListener("input", update);
    input.addEventListener("keydown", function (event) {
      var open = !listbox.hidden;
      if (event.key === "ArrowDown" || event.key === "Down") {
        event.preventDefault();
        if (!open) update();
        else setActive(active + 1 < options.length ? active + 1 : 0);
      } else if (event.key === "ArrowUp" || event.key === "Up") {
        if (!open) return;
        event.preventDefault();
        setActive(active > 0 ? active - 1 : options.length - 1);
      } else if (event.key === "Enter" && open && active >= 0) {
        event.preventDefault();  // choosing is not searching: Enter again searches
        choose(active);
      } else if (event.key === "Escape" || event.key === "Esc") {
        if (open) {
          event.preventDefault();
          close();
        }
      } else if (event.key === "Tab") {
        close();
      }
    });
    input.addEventListener("blur", close);
    // A press on a suggestion must not take the focus from the input (which would close it).
    listbox.addEventListener("mousedown", function (event) { event.preventDefault(); });
    listbox.addEventListener("click", function (event) {
      var li = event.target.closest("[role=option]");
      if (li) choose(+li.getAttribute("data-index"));
    });
    return { close: close };
  }

  function setUp(form) {
    if (form.getAttribute("data-ready")) return;
    form.setAttribute("data-ready", "1");
    var input = form.querySelector("[role=combobox]");
    var error = document.getElementById(form.id.replace(/-form$/, "-error"));
    var list = combobox(input, document.getElementById(input.getAttribute("aria-controls")),
      document.getElementById(form.id.replace(/-form$/, "-status")),
      function () { return json(form.getAttribute("data-search")).then(schools); });

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      list.close();
      var q = query(input.value);
      if (!q) {
        fail("Enter a postcode, or the name of your child's school.");
        return;
      }
      clear();
      var hash = "#" + fragment(q);
      if (searchHere) {
        if (location.hash !== hash) history.pushState(null, "", location.pathname + location.search + hash);
        searchHere(q);
      } else {
        location.assign(form.getAttribute("data-dlp-find") + hash);
      }
    });

    function fail(message) {
      error.textContent = message;
      input.setAttribute("aria-invalid", "true");
      input.focus();
    }

    function clear() {
      error.textContent = "";
      input.removeAttribute("aria-invalid");
    }

    form.dlpFind = { fail: fail, clear: clear, input: input };
  }

  function init() {
    var forms = document.querySelectorAll("form[data-dlp-find]");
    for (var i = 0; i < forms.length; i++) setUp(forms[i]);
  }

  window.dlpFind = {
    postcode: postcode, query: query, fragment: fragment, parse: parse, words: words, match: match,
    schools: schools, json: json,
    onSearch: function (search) { searchHere = search; }
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
