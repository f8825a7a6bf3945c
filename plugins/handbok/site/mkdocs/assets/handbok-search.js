/* handbok: the site search in the header's search box (overrides/partials/search.html), on Pagefind.
   Plain script, nothing loaded from elsewhere: the Pagefind bundle lies in the site (handbok.search
   builds it from the finished pages) and is fetched in pieces, only once someone searches. Until the
   box gets focus or a shortcut, nothing is loaded at all.

   Keys: "/", "s" or "f" anywhere outside a text field opens the search (Material's shortcuts);
   Escape closes it; Arrow down from the box goes to the first result, Arrow up/down between results.

   The contract with the partial: [data-handbok-search] holds data-bundle (URL of pagefind.js) and
   data-root (the site root); inside it the input[type=search], the status line (#handbok-search-status,
   role=status), details.handbok-search__filters, the results list [data-handbok-search-results] and
   .handbok-search__more. The list's data-state is idle | loading | ready | searching | done | error,
   and data-query the query its results are for (tests and benchmarks wait on both).

   Snippets are cut where the page's own text ends: after the mark U+2042 come the hidden search
   terms (render/templates/search/terms.html), which are indexed but never shown. */
(function () {
  "use strict";

  var root = document.querySelector("[data-handbok-search]");
  if (!root) { return; }
  var input = root.querySelector("input[type=search]");
  var form = input.form;
  var list = root.querySelector("[data-handbok-search-results]");
  var status = document.getElementById("handbok-search-status");
  var filterBox = root.querySelector(".handbok-search__filters");
  var more = root.querySelector(".handbok-search__more");
  var toggle = document.getElementById("__search");
  var opener = document.querySelector(".handbok-search__open");  // the header's button (narrow screens)

  var MARK = "\u2042";
  var FILTERS = ["Enhet", "Dokumenttyp", "Status", "Ägare"];
  var PAGE = 10;           // results shown at a time
  var EXCERPT = 26;        // words in a snippet
  var DEBOUNCE = 120;      // ms after the last key press
  var collator = new Intl.Collator("sv");

  var pagefind = null;
  var loading = null;
  var chosen = {};         // filter name -> chosen value ("" = all)
  var shown = { query: "", results: [], next: 0 };
  var sequence = 0;        // the newest search; answers to older ones are dropped
  var timer = null;
  var filtersBuilt = false;

  function setState(state) { list.setAttribute("data-state", state); }
  function say(text) { status.textContent = text; }
  function element(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  function hits(n) { return n === 1 ? "1 träff" : n + " träffar"; }

  // --- loading Pagefind ---------------------------------------------------------------------------
  function load() {
    if (loading) { return loading; }
    setState("loading");
    var bundle = new URL(root.getAttribute("data-bundle"), document.baseURI).href;
    var base = new URL(root.getAttribute("data-root") || "./", document.baseURI).pathname;
    loading = import(bundle)
      .then(function (module) {
        return module.options({ baseUrl: base, excerptLength: EXCERPT })
          .then(function () { return module.init(); })
          .then(function () {
            pagefind = module;
            if (list.getAttribute("data-state") === "loading") { setState("ready"); }
            return module;
          });
      })
      .catch(function (error) {
        loading = null;  // a later attempt may succeed (the server was restarting, say)
        setState("error");
        say("Sökningen kunde inte laddas. Ladda om sidan och försök igen.");
        throw error;
      });
    return loading;
  }

  // --- opening and closing ------------------------------------------------------------------------
  function setOpen(open) {
    if (!toggle || toggle.checked === open) { return; }
    toggle.checked = open;
    toggle.dispatchEvent(new Event("change"));  // Material locks the page's scrolling on it
  }
  function open() {
    setOpen(true);
    input.focus();
    input.select();
    load().catch(function () {});
  }
  function close() {
    setOpen(false);
    input.blur();
    if (opener && opener.offsetParent !== null) { opener.focus(); }  // back where the reader came from
  }
  function editable(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || editable(event.target)) { return; }
    if (event.key === "/" || event.key === "s" || event.key === "f") {
      event.preventDefault();
      open();
    }
  });
  if (opener) { opener.addEventListener("click", open); }
  input.addEventListener("focus", function () { setOpen(true); load().catch(function () {}); });
  root.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      event.preventDefault();
      close();
      return;
    }
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") { return; }
    var links = Array.prototype.slice.call(list.querySelectorAll("a"));
    if (!links.length) { return; }
    var at = links.indexOf(document.activeElement);
    if (event.target === input && event.key === "ArrowDown") {
      links[0].focus();
    } else if (at >= 0) {
      var next = at + (event.key === "ArrowDown" ? 1 : -1);
      if (next < 0) { input.focus(); } else if (next < links.length) { links[next].focus(); }
    } else {
      return;
    }
    event.preventDefault();
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.clearTimeout(timer);
    search();
  });
  form.addEventListener("reset", function () {
    window.setTimeout(function () { search(); input.focus(); }, 0);
  });
  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(search, DEBOUNCE);
  });

  // --- searching ----------------------------------------------------------------------------------
  function activeFilters() {
    var out = {};
    FILTERS.forEach(function (name) { if (chosen[name]) { out[name] = chosen[name]; } });
    return out;
  }

  function search() {
    var query = input.value.trim();
    var mine = ++sequence;
    if (!query) {
      list.textContent = "";
      more.hidden = true;
      list.setAttribute("data-query", "");
      setState(pagefind ? "ready" : list.getAttribute("data-state"));
      say("Skriv ett eller flera sökord.");
      return;
    }
    setState("searching");
    load()
      .then(function (module) { return module.search(query, { filters: activeFilters() }); })
      .then(function (found) {
        if (mine !== sequence) { return null; }
        shown = { query: query, results: found ? found.results : [], next: 0 };
        list.textContent = "";
        return showMore().then(function () {
          if (mine !== sequence) { return; }
          var n = shown.results.length;
          var narrowed = Object.keys(activeFilters()).length ? " med de valda filtren" : "";
          say(n ? hits(n) + " för ”" + query + "”" + narrowed + "." :
            "Inga träffar för ”" + query + "”" + narrowed + ". Pröva ett annat ord, eller ta bort ett filter.");
          list.setAttribute("data-query", query);
          setState("done");
          showFilters(found && found.filters);
        });
      })
      .catch(function () {});
  }

  function showMore() {
    var batch = shown.results.slice(shown.next, shown.next + PAGE);
    shown.next += batch.length;
    return Promise.all(batch.map(function (result) { return result.data(); })).then(function (pages) {
      pages.forEach(function (page) { list.appendChild(resultItem(page)); });
      more.hidden = shown.next >= shown.results.length;
    });
  }
  more.querySelector("button").addEventListener("click", function () {
    var first = shown.next;
    showMore().then(function () {
      var link = list.querySelectorAll("a")[first];
      if (link) { link.focus(); }
    });
  });

  function resultItem(page) {
    var item = element("li", "md-search-result__item handbok-search__hit");
    var link = element("a", "handbok-search__link", page.meta && page.meta.title ? page.meta.title : page.url);
    link.href = page.url;
    item.appendChild(link);
    var facts = [page.meta.typ, page.meta.enhet, page.meta.status].filter(Boolean);
    if (facts.length) { item.appendChild(element("p", "handbok-search__facts", facts.join(" · "))); }
    var snippet = excerpt(page);
    if (!snippet && page.meta.beskrivning) {  // an overview page: what it shows
      snippet = element("p", "handbok-search__excerpt", page.meta.beskrivning);
    }
    if (snippet) { item.appendChild(snippet); }
    return item;
  }

  // The snippet: the densest stretch of hits in the page's own text (before MARK), hits marked.
  function excerpt(page) {
    var words = (page.raw_content || page.content || "").split(/[\r\n\s]+/);
    var cut = words.lastIndexOf(MARK);
    if (cut < 0) { cut = words.length; }
    var spots = (page.weighted_locations || []).filter(function (l) { return l.location < cut; });
    var marked = {};
    spots.forEach(function (l) { marked[l.location] = true; });
    // A window of hits that fits before the cut; without hits, the beginning of the text.
    var start = spots.length ? Math.max(0, Math.min(densest(spots), cut - EXCERPT)) : titleLength(page, words);
    var end = Math.min(cut, start + EXCERPT);
    if (end <= start) { return null; }
    var p = element("p", "handbok-search__excerpt");
    if (spots.length && start > 0) { p.appendChild(document.createTextNode("… ")); }
    for (var i = start; i < end; i++) {
      if (i > start) { p.appendChild(document.createTextNode(" ")); }
      p.appendChild(marked[i] ? element("mark", "", words[i]) : document.createTextNode(words[i]));
    }
    if (end < cut) { p.appendChild(document.createTextNode(" …")); }
    return p;
  }
  function densest(spots) {
    var best = 0;
    var bestAt = spots[0].location;
    spots.forEach(function (first) {
      var sum = 0;
      spots.forEach(function (l) {
        if (l.location >= first.location && l.location < first.location + EXCERPT) { sum += l.balanced_score || 1; }
      });
      if (sum > best) { best = sum; bestAt = first.location; }
    });
    return bestAt - Math.floor(EXCERPT / 4);  // a few words of context before the first hit
  }
  function titleLength(page, words) {  // no hit in the text: show its beginning, after the title
    var title = (page.meta && page.meta.title || "").split(/\s+/).filter(Boolean).length;
    return title && words.slice(0, title).join(" ").replace(/\.$/, "") === page.meta.title ? title : 0;
  }

  // --- filters ------------------------------------------------------------------------------------
  // Built once, from every value in the index (one more fetch, after the first results are shown);
  // after each search, each value says how many of the results have it.
  function showFilters(counts) {
    if (!filtersBuilt) {
      filtersBuilt = true;
      pagefind.filters().then(buildFilters).then(function () { showCounts(counts); }).catch(function () {});
      return;
    }
    showCounts(counts);
  }
  function buildFilters(all) {
    var names = FILTERS.filter(function (name) { return all[name] && Object.keys(all[name]).length > 1; });
    var row = element("div", "handbok-search__filter-row");
    filterBox.appendChild(row);
    names.forEach(function (name, n) {
      var id = "handbok-search-filter-" + n;
      var wrap = element("div", "handbok-search__filter");
      var label = element("label", "", name);
      label.htmlFor = id;
      var select = element("select");
      select.id = id;
      select.setAttribute("data-filter", name);
      select.appendChild(new Option("Alla", ""));
      Object.keys(all[name]).sort(collator.compare).forEach(function (value) {
        select.appendChild(new Option(value, value));
      });
      select.addEventListener("change", function () {
        chosen[name] = select.value;
        search();
      });
      wrap.appendChild(label);
      wrap.appendChild(select);
      row.appendChild(wrap);
    });
    filterBox.hidden = names.length === 0;
    // Open beside the results on a wide screen; folded on a narrow one, where it would fill the screen.
    filterBox.open = window.matchMedia("(min-width: 60em)").matches;
  }
  function showCounts(counts) {
    if (!counts) { return; }
    Array.prototype.forEach.call(filterBox.querySelectorAll("select"), function (select) {
      var values = counts[select.getAttribute("data-filter")];
      if (!values) { return; }  // not counted in this search (its part of the index was not loaded yet)
      Array.prototype.forEach.call(select.options, function (option) {
        if (!option.value) { return; }
        var n = values[option.value] || 0;
        option.textContent = option.value + " (" + n + ")";
      });
    });
  }
})();
