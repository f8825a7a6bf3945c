/* handbok: re-evaluates revision status against the reader's own date, filters, sorts and exports lists.
   Plain script, no dependencies, nothing loaded from elsewhere. Without JavaScript the status computed
   when the site was built is shown, every row in build order (overdue first).

   The contract with the templates (render/templates; every helper's markup relies on it):
   1. Status item: any element with data-review-by="YYYY-MM-DD" and data-handbok-status="<state at build>"
      (overdue | due-soon | current | draft | repealed). It is re-evaluated against the reader's date
      (draft and repealed never change; an empty date keeps the built state) and data-handbok-status is set
      to the new state (data-status, where present, to the state in words). Inside it (or the item itself):
      a .handbok-state pill gets the class "handbok-state handbok-state--<state>" and the state label (in a
      table row followed by " (N d)" when overdue, " (om N d)" when due soon; a pill with data-handbok-short
      gets the short label: Försenad, Snart dags, Aktuell, Utkast, Upphävd; with data-handbok-short="atgard"
      a measure's: Försenad, Snart, I tid); an element with
      data-handbok-days gets the day phrase ("N dagar sedan", "1 dag sedan", "i dag", "om 1 dag",
      "om N dagar"); an element with data-handbok-label gets the label in words. The due-soon window is
      data-warn-days on the item or its nearest ancestor (default 30). The document page's banner
      (.handbok-banner) follows its metadata panel (section.handbok-meta).
   2. Count tiles and counted rows: an element with data-handbok-dates="<tokens>" (overviews.count_dates:
      space-separated YYYY-MM-DD for a date-driven document, or draft / repealed / current) is recounted
      from the reader's date; each descendant [data-handbok-count="<state>"] gets the number (in its
      .handbok-count__n, else as its text). ul.handbok-counts[data-handbok-count-shown="ID"] counts the
      rows of #ID a filter leaves shown; [data-handbok-summary="ID"] (a sentence "N dokument, X försenade,
      Y snart dags") counts the status items in #ID: [data-handbok-total], and per
      [data-handbok-summary-part="<state>"] its [data-handbok-n], hidden when zero.
      ul.handbok-counts[data-handbok-tiles-for="ID"]: each tile becomes a toggle button (aria-pressed) that
      sets the Status filter (select[data-filter="data-handbok-status"]) of the form filtering #ID.
   3. Remembered choice: <select data-handbok-remember="KEY"> is saved in localStorage "handbok:KEY" and
      restored on the next visit before the filters run (a value in the address wins).
   4. Filters: form.handbok-filter[data-filter-target="ID"][data-noun="dokument"]; items are "tbody tr" and
      "li[data-filter-item]" inside #ID. select[data-filter="ATTR"]: an item shows when its ATTR (values
      separated by "|") contains the chosen value. input[type=date][data-filter-since="ATTR"]: an item shows
      when its ATTR (YYYY-MM-DD) is on or after the date. data-param="NAME" keeps a control's value in the
      address (?NAME=value, history.replaceState) and reads it back on load. [data-filter-group] elements
      hide when none of their li[data-filter-item] shows. .handbok-filter__result says "Visar N av M <noun>."
      (data-empty-text on the form is said first while every control is empty). data-filter-also="ID …" on the
      form: the items of those elements are filtered by the same controls but not counted in that sentence.
   5. Print date: an element with data-handbok-printed gets the reader's date (YYYY-MM-DD, local time) on
      load and before printing.
   Also: a table whose header cells carry data-sort (status | date | text) gets a sort button in each
   (aria-sort on the sorted column; Swedish collation for text); button[data-handbok-csv="ID"] downloads the
   rows of #ID that are shown as CSV (semicolons, UTF-8 with BOM, the header row, the cells as shown). */
(function () {
  "use strict";

  var LABELS = {
    "overdue": "Revision försenad",
    "due-soon": "Snart dags för revision",
    "current": "Aktuell",
    "draft": "Utkast",
    "repealed": "Upphävd"
  };
  // A pill marked data-handbok-short (a table's status column) says the state in fewer words.
  var SHORT = {
    "overdue": "Försenad",
    "due-soon": "Snart dags",
    "current": "Aktuell",
    "draft": "Utkast",
    "repealed": "Upphävd"
  };
  // A measure's pill (data-handbok-short="atgard") says it of a measure.
  var MEASURE = { "overdue": "Försenad", "due-soon": "Snart", "current": "I tid" };
  var ORDER = { "overdue": 0, "due-soon": 1, "current": 2, "draft": 3, "repealed": 4 };
  var FIXED = { "draft": true, "repealed": true };
  var each = function (list, fn) { Array.prototype.forEach.call(list, fn); };

  // --- dates ----------------------------------------------------------------------------------
  function utcDay(date) { return Date.UTC(date.getFullYear(), date.getMonth(), date.getDate()); }
  function parseDay(text) {
    var p = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text || "");
    return p ? Date.UTC(+p[1], +p[2] - 1, +p[3]) : null;
  }
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function isoToday() {
    var d = new Date();
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }
  function plural(n) { return n + (n === 1 ? " dag" : " dagar"); }
  function dayPhrase(days) {
    if (days < 0) { return plural(-days) + " sedan"; }
    return days === 0 ? "i dag" : "om " + plural(days);
  }
  function warnDaysOf(element) {
    var holder = element.closest("[data-warn-days]");
    var n = holder ? parseInt(holder.getAttribute("data-warn-days"), 10) : NaN;
    return isNaN(n) ? 30 : n;
  }

  // The state of a revision date on the reader's day, or null for no (valid) date.
  function stateFor(reviewBy, warnDays) {
    var due = parseDay(reviewBy);
    if (due === null) { return null; }
    var days = Math.round((due - utcDay(new Date())) / 86400000);
    if (days < 0) { return { state: "overdue", days: days }; }
    if (days <= warnDays) { return { state: "due-soon", days: days }; }
    return { state: "current", days: days };
  }

  // --- contract 1: status items ------------------------------------------------------------------
  function pillText(state, days, inRow, short) {
    var labels = short === "atgard" ? MEASURE : (short !== null ? SHORT : LABELS);
    var text = labels[state] || state;
    if (inRow && state === "overdue") { text += " (" + (-days) + " d)"; }
    if (inRow && state === "due-soon") { text += " (om " + days + " d)"; }
    return text;
  }

  function ownedBy(item, element) { return element.closest("[data-review-by][data-handbok-status]") === item; }

  function evaluateItem(item) {
    var built = item.getAttribute("data-handbok-built");
    if (built === null) {
      built = item.getAttribute("data-handbok-status") || "current";
      item.setAttribute("data-handbok-built", built);
    }
    if (FIXED[built]) { return { state: built, days: null }; }
    var result = stateFor(item.getAttribute("data-review-by"), warnDaysOf(item));
    if (!result) { return { state: built, days: null }; }
    item.setAttribute("data-handbok-status", result.state);
    if (item.hasAttribute("data-status")) { item.setAttribute("data-status", LABELS[result.state]); }
    var inRow = item.tagName === "TR";
    var pills = item.classList.contains("handbok-state") ? [item] : item.querySelectorAll(".handbok-state");
    each(pills, function (pill) {
      if (!ownedBy(item, pill)) { return; }
      pill.className = "handbok-state handbok-state--" + result.state;
      pill.textContent = pillText(result.state, result.days, inRow, pill.getAttribute("data-handbok-short"));
    });
    each(item.querySelectorAll("[data-handbok-days]"), function (el) {
      if (ownedBy(item, el)) { el.textContent = dayPhrase(result.days); }
    });
    each(item.querySelectorAll("[data-handbok-label]"), function (el) {
      if (ownedBy(item, el)) { el.textContent = LABELS[result.state]; }
    });
    return result;
  }

  function bannerText(result, reviewBy, isEvidence) {
    var done = isEvidence ? "granskats" : "reviderats";
    var verb = isEvidence ? "granskas" : "revideras";
    if (result.state === "overdue") {
      return "<strong>Revisionen är försenad.</strong> Dokumentet skulle ha " + done + " senast " +
        reviewBy + " (" + plural(-result.days) + " sedan). Innehållet kan vara inaktuellt – kontakta <span data-handbok-owner>dokumentägaren</span> vid frågor.";
    }
    return "<strong>Snart dags för revision.</strong> Dokumentet ska " + verb + " senast " + reviewBy +
      " (om " + plural(result.days) + ").";
  }

  // The banner of a document page: removed, rewritten or given the new day count.
  function updateBanner(panel, result) {
    var banner = document.querySelector(".handbok-banner");
    var bannerState = banner ? (banner.getAttribute("data-handbok-built") || banner.getAttribute("data-handbok-status")) : null;
    if (banner && FIXED[bannerState]) { return; }
    if (result.state === "current") {
      if (banner) { banner.parentNode.removeChild(banner); }
      return;
    }
    if (result.state !== "overdue" && result.state !== "due-soon") { return; }
    var reviewBy = panel.getAttribute("data-review-by");
    if (banner && bannerState === result.state && !banner.querySelector("[data-handbok-days]")) {
      // Same state as built: keep the text (it names the owner), correct the day count only.
      var phrase = result.state === "overdue" ? plural(-result.days) + " sedan" : "om " + plural(result.days);
      var walker = document.createTreeWalker(banner, NodeFilter.SHOW_TEXT);
      while (walker.nextNode()) {
        var node = walker.currentNode;
        var text = node.nodeValue.replace(/\((\d+ daga?r? sedan|om \d+ daga?r?|i dag)\)/, "(" + phrase + ")");
        if (text !== node.nodeValue) { node.nodeValue = text; break; }
      }
      banner.setAttribute("data-handbok-status", result.state);
      return;
    }
    if (banner && bannerState === result.state) { return; }  // its day phrase is a status-item span
    if (!banner) {
      banner = document.createElement("div");
      banner.setAttribute("role", "note");
      panel.parentNode.insertBefore(banner, panel);
    }
    banner.className = "handbok-banner handbok-banner--" + result.state;
    banner.setAttribute("data-handbok-status", result.state);
    banner.setAttribute("data-handbok-built", result.state);
    banner.setAttribute("data-review-by", reviewBy);
    banner.innerHTML = bannerText(result, reviewBy, panel.getAttribute("aria-label") === "Om kunskapsunderlaget");
    // Name the owner as the panel does (a link to the owner's page), as the built banner would.
    var owner = panel.querySelector("dd[data-handbok-owner]");
    var slot = banner.querySelector("span[data-handbok-owner]");
    if (owner && slot) {
      slot.textContent = "";
      each(owner.childNodes, function (node) { slot.appendChild(node.cloneNode(true)); });
    }
  }

  function evaluateAll() {
    var panel = document.querySelector(".handbok-meta[data-review-by][data-handbok-status]");
    each(document.querySelectorAll("[data-review-by][data-handbok-status]"), function (item) {
      if (!item.classList.contains("handbok-banner")) { evaluateItem(item); }
    });
    if (panel) {
      var built = panel.getAttribute("data-handbok-built");
      if (!FIXED[built]) {
        var result = stateFor(panel.getAttribute("data-review-by"), warnDaysOf(panel));
        if (result) { updateBanner(panel, result); }
      }
    }
  }

  // --- contract 2: counts ------------------------------------------------------------------------
  function stateOfToken(token, warnDays) {
    if (ORDER.hasOwnProperty(token)) { return token; }
    var result = stateFor(token, warnDays);
    return result ? result.state : "current";
  }

  function emptyCounts() { return { "overdue": 0, "due-soon": 0, "current": 0, "draft": 0, "repealed": 0 }; }

  function showCounts(holder, counts) {
    each(holder.querySelectorAll("[data-handbok-count]"), function (el) {
      var n = String(counts[el.getAttribute("data-handbok-count")] || 0);
      var number = el.querySelector(".handbok-count__n");
      if (number) { number.textContent = n; } else { el.textContent = n; }
    });
  }

  function countItems(root, shownOnly) {
    var counts = emptyCounts();
    each(root ? root.querySelectorAll("[data-review-by][data-handbok-status]") : [], function (item) {
      if (shownOnly && item.hidden) { return; }
      var state = item.getAttribute("data-handbok-status");
      if (counts.hasOwnProperty(state)) { counts[state] += 1; }
    });
    return counts;
  }

  function recountDates() {
    each(document.querySelectorAll("[data-handbok-dates]"), function (holder) {
      var warn = warnDaysOf(holder);
      var counts = emptyCounts();
      (holder.getAttribute("data-handbok-dates") || "").split(/\s+/).forEach(function (token) {
        if (token) { counts[stateOfToken(token, warn)] += 1; }
      });
      holder.setAttribute("data-handbok-overdue", String(counts["overdue"]));
      holder.setAttribute("data-handbok-due-soon", String(counts["due-soon"]));
      showCounts(holder, counts);
    });
    // The owner index: owners with overdue documents first, as on the build day.
    each(document.querySelectorAll("tbody"), function (body) {
      var rows = Array.prototype.slice.call(body.querySelectorAll(":scope > tr[data-handbok-dates]"));
      if (rows.length < 2) { return; }
      var collator = new Intl.Collator("sv");
      rows.sort(function (a, b) {
        return (+b.getAttribute("data-handbok-overdue")) - (+a.getAttribute("data-handbok-overdue")) ||
          (+b.getAttribute("data-handbok-due-soon")) - (+a.getAttribute("data-handbok-due-soon")) ||
          collator.compare(a.cells[0].textContent.trim(), b.cells[0].textContent.trim());
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  }

  function recountShown() {
    each(document.querySelectorAll("[data-handbok-count-shown]"), function (holder) {
      showCounts(holder, countItems(document.getElementById(holder.getAttribute("data-handbok-count-shown")), true));
    });
    each(document.querySelectorAll("[data-handbok-summary]"), function (summary) {
      var root = document.getElementById(summary.getAttribute("data-handbok-summary"));
      if (!root) { return; }
      var counts = countItems(root, false);
      var total = summary.querySelector("[data-handbok-total]");
      if (total) { total.textContent = String(root.querySelectorAll("[data-review-by][data-handbok-status]").length); }
      each(summary.querySelectorAll("[data-handbok-summary-part]"), function (part) {
        var n = counts[part.getAttribute("data-handbok-summary-part")] || 0;
        var number = part.querySelector("[data-handbok-n]");
        if (number) { number.textContent = String(n); }
        part.hidden = n === 0;
      });
    });
  }

  // --- contract 3 and 4: remembered choices, filters in the address ------------------------------
  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }
  function remembered(key) {
    var store = storage();
    try { return store ? store.getItem("handbok:" + key) : null; } catch (e) { return null; }
  }
  function remember(key, value) {
    var store = storage();
    try {
      if (!store) { return; }
      if (value) { store.setItem("handbok:" + key, value); } else { store.removeItem("handbok:" + key); }
    } catch (e) { /* private mode or full: the choice is just not kept */ }
  }
  function hasOption(select, value) {
    return Array.prototype.some.call(select.options, function (o) { return o.value === value; });
  }
  function setControl(control, value) {
    if (value === null || value === undefined) { return; }
    if (control.tagName === "SELECT") {
      if (hasOption(control, value)) { control.value = value; }
    } else if (value === "" || parseDay(value) !== null) {
      control.value = value;
    }
  }

  function writeAddress(controls) {
    if (!window.history || !window.history.replaceState) { return; }
    var url = new URL(window.location.href);
    each(controls, function (control) {
      var name = control.getAttribute("data-param");
      if (!name) { return; }
      if (control.value) { url.searchParams.set(name, control.value); } else { url.searchParams.delete(name); }
    });
    if (url.href !== window.location.href) { window.history.replaceState(window.history.state, "", url.href); }
  }

  function setUpRemembered() {
    // Selects outside filter forms (a filter form restores its own before it filters).
    each(document.querySelectorAll("select[data-handbok-remember]"), function (select) {
      if (select.closest("form.handbok-filter")) { return; }
      var key = select.getAttribute("data-handbok-remember");
      setControl(select, remembered(key));
      select.addEventListener("change", function () { remember(key, select.value); });
    });
  }

  function setUpFilters() {
    var params = new URLSearchParams(window.location.search);
    each(document.querySelectorAll("form.handbok-filter"), function (form) {
      var targetId = form.getAttribute("data-filter-target");
      var target = document.getElementById(targetId);
      if (!target) { return; }
      var noun = form.getAttribute("data-noun") || "poster";
      var emptyText = form.getAttribute("data-empty-text");
      var items = target.querySelectorAll("tbody tr, li[data-filter-item]");
      // data-filter-also="ID …": more lists the same controls filter, not counted in the result sentence.
      var alsoItems = [];
      (form.getAttribute("data-filter-also") || "").split(/\s+/).forEach(function (id) {
        var more = id ? document.getElementById(id) : null;
        if (more) { each(more.querySelectorAll("tbody tr, li[data-filter-item]"), function (item) { alsoItems.push(item); }); }
      });
      var selects = form.querySelectorAll("select[data-filter]");
      var since = form.querySelectorAll("input[data-filter-since]");
      var controls = Array.prototype.slice.call(selects).concat(Array.prototype.slice.call(since));
      var result = form.querySelector(".handbok-filter__result");

      controls.forEach(function (control) {
        var key = control.getAttribute("data-handbok-remember");
        if (key) { setControl(control, remembered(key)); }
        var name = control.getAttribute("data-param");
        if (name && params.has(name)) { setControl(control, params.get(name)); }
      });

      function matches(item) {
        return Array.prototype.every.call(selects, function (select) {
          if (!select.value) { return true; }
          var values = (item.getAttribute(select.getAttribute("data-filter")) || "").split("|");
          return values.indexOf(select.value) !== -1;
        }) && Array.prototype.every.call(since, function (input) {
          if (!input.value) { return true; }
          var day = item.getAttribute(input.getAttribute("data-filter-since")) || "";
          return parseDay(day) !== null && day >= input.value;
        });
      }

      // Items with data-filter-key count once per key: an evidence entry listed under three areas is
      // one "post", as the library's own count says.
      function tally(list) {
        var seen = {}, n = 0;
        each(list, function (item) {
          var key = item.getAttribute("data-filter-key");
          if (key === null) { n += 1; } else if (!seen[key]) { seen[key] = true; n += 1; }
        });
        return n;
      }
      var total = tally(items);

      function apply() {
        var visibleItems = [];
        each(items, function (item) {
          var visible = matches(item);
          item.hidden = !visible;
          if (visible) { visibleItems.push(item); }
        });
        alsoItems.forEach(function (item) { item.hidden = !matches(item); });
        var shown = tally(visibleItems);
        each(target.querySelectorAll("[data-filter-group]"), function (group) {
          group.hidden = !group.querySelector("li[data-filter-item]:not([hidden])");
        });
        if (result) {
          var text = "Visar " + shown + " av " + total + " " + noun + ".";
          var empty = controls.every(function (control) { return !control.value; });
          result.textContent = emptyText && empty ? emptyText + " " + text : text;
        }
        each(document.querySelectorAll('[data-handbok-tiles-for="' + targetId + '"] button[data-handbok-tile]'),
          function (button) {
            var status = form.querySelector('select[data-filter="data-handbok-status"]');
            button.setAttribute("aria-pressed", String(!!status && status.value === button.getAttribute("data-handbok-tile")));
          });
        recountShown();
      }

      controls.forEach(function (control) {
        function changed() {
          var key = control.getAttribute("data-handbok-remember");
          if (key) { remember(key, control.value); }
          writeAddress(controls);
          apply();
        }
        control.addEventListener("change", changed);
        if (control.tagName === "INPUT") { control.addEventListener("input", changed); }
      });
      form.addEventListener("submit", function (event) { event.preventDefault(); });
      setUpTiles(targetId, form);
      form.hidden = false;
      apply();  // the address changes only when the reader changes a filter
    });
  }

  // Count tiles that set the Status filter of the table they count.
  function setUpTiles(targetId, form) {
    var status = form.querySelector('select[data-filter="data-handbok-status"]');
    if (!status) { return; }
    each(document.querySelectorAll('ul[data-handbok-tiles-for="' + targetId + '"] > li[data-handbok-count]'), function (tile) {
      var state = tile.getAttribute("data-handbok-count");
      if (!hasOption(status, state) || tile.querySelector("button")) { return; }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "handbok-count__button";
      button.setAttribute("data-handbok-tile", state);
      button.setAttribute("aria-pressed", "false");
      button.setAttribute("aria-controls", targetId);
      while (tile.firstChild) { button.appendChild(tile.firstChild); }
      tile.appendChild(button);
      button.addEventListener("click", function () {
        status.value = status.value === state ? "" : state;
        status.dispatchEvent(new Event("change", { bubbles: true }));
      });
    });
  }

  // --- sorting -----------------------------------------------------------------------------------
  function setUpSorting() {
    each(document.querySelectorAll("table"), function (table) {
      var headers = table.querySelectorAll("thead th[data-sort]");
      var body = table.tBodies[0];
      if (!headers.length || !body) { return; }
      var collator = new Intl.Collator("sv", { sensitivity: "base", numeric: true });
      each(body.rows, function (row, i) { row.setAttribute("data-handbok-order", String(i)); });
      function dateOf(row) { return row.getAttribute("data-review-by") || "9999-99-99"; }
      function stateOf(row) { var s = ORDER[row.getAttribute("data-handbok-status")]; return s === undefined ? 9 : s; }
      function orderOf(row) { return +row.getAttribute("data-handbok-order"); }
      function textOf(row, index) { var cell = row.cells[index]; return cell ? cell.textContent.trim() : ""; }
      function compare(kind, index) {
        return function (a, b) {
          if (kind === "status") { return stateOf(a) - stateOf(b) || (dateOf(a) < dateOf(b) ? -1 : dateOf(a) > dateOf(b) ? 1 : 0); }
          if (kind === "date") { return (dateOf(a) < dateOf(b) ? -1 : dateOf(a) > dateOf(b) ? 1 : 0) || stateOf(a) - stateOf(b); }
          return collator.compare(textOf(a, index), textOf(b, index));
        };
      }
      function sortBy(th, direction) {
        var kind = th.getAttribute("data-sort");
        var cmp = compare(kind, th.cellIndex);
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var c = cmp(a, b);
          return (direction === "descending" ? -c : c) || orderOf(a) - orderOf(b);
        });
        rows.forEach(function (row) { body.appendChild(row); });
        each(headers, function (other) {
          if (other === th) { other.setAttribute("aria-sort", direction); } else { other.removeAttribute("aria-sort"); }
        });
      }
      each(headers, function (th) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "handbok-sort";
        while (th.firstChild) { button.appendChild(th.firstChild); }
        th.appendChild(button);
        button.addEventListener("click", function () {
          sortBy(th, th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending");
        });
      });
      // Overdue first with the reader's date (the build order may have aged).
      var statusHeader = table.querySelector('thead th[data-sort="status"]');
      if (statusHeader) { sortBy(statusHeader, "ascending"); }
    });
  }

  // --- CSV ---------------------------------------------------------------------------------------
  function csvField(text) {
    var value = text.replace(/\s+/g, " ").trim();
    if (/^[=+\-@]/.test(value)) { value = "'" + value; }  // not a formula in a spreadsheet
    return /[";\r\n]/.test(value) ? '"' + value.replace(/"/g, '""') + '"' : value;
  }

  function csvOf(table) {
    var lines = [];
    var head = table.tHead && table.tHead.rows[0];
    if (head) { lines.push(Array.prototype.map.call(head.cells, function (c) { return csvField(c.textContent); }).join(";")); }
    each(table.tBodies[0] ? table.tBodies[0].rows : [], function (row) {
      if (row.hidden) { return; }
      lines.push(Array.prototype.map.call(row.cells, function (c) { return csvField(c.textContent); }).join(";"));
    });
    return "\ufeff" + lines.join("\r\n") + "\r\n";
  }

  function setUpCsv() {
    each(document.querySelectorAll("button[data-handbok-csv]"), function (button) {
      var table = document.getElementById(button.getAttribute("data-handbok-csv"));
      if (!table) { return; }
      var tools = button.closest(".handbok-tools");
      if (tools) { tools.hidden = false; }
      button.addEventListener("click", function () {
        var blob = new Blob([csvOf(table)], { type: "text/csv;charset=utf-8" });
        var link = document.createElement("a");
        link.href = URL.createObjectURL(blob);
        link.download = (button.getAttribute("data-csv-name") || "lista") + "-" + isoToday() + ".csv";
        link.hidden = true;
        document.body.appendChild(link);
        link.click();
        document.body.removeChild(link);
        window.setTimeout(function () { URL.revokeObjectURL(link.href); }, 10000);
      });
    });
  }

  // --- contract 5: print date --------------------------------------------------------------------
  function stampPrinted() {
    each(document.querySelectorAll("[data-handbok-printed]"), function (el) { el.textContent = isoToday(); });
  }

  function refresh() {
    evaluateAll();
    recountDates();
    recountShown();
    stampPrinted();
  }

  function start() {
    refresh();
    setUpSorting();
    setUpRemembered();
    setUpFilters();
    setUpCsv();
    window.addEventListener("beforeprint", refresh);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
