/* handbok: re-evaluates revision status against the reader's own date, and filters lists.
   Plain script, no dependencies, nothing loaded from elsewhere. Without JavaScript the
   status computed when the site was built is shown. */
(function () {
  "use strict";

  var LABELS = {
    "overdue": "Revision försenad",
    "due-soon": "Snart dags för revision",
    "current": "Aktuell"
  };

  function utcDay(date) { return Date.UTC(date.getFullYear(), date.getMonth(), date.getDate()); }
  function parseDay(text) {
    var p = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text || "");
    return p ? Date.UTC(+p[1], +p[2] - 1, +p[3]) : null;
  }
  function plural(n) { return n + (n === 1 ? " dag" : " dagar"); }

  function stateFor(reviewBy, warnDays) {
    var due = parseDay(reviewBy);
    if (due === null) { return null; }
    var days = Math.round((due - utcDay(new Date())) / 86400000);
    if (days < 0) { return { state: "overdue", days: days }; }
    if (days <= warnDays) { return { state: "due-soon", days: days }; }
    return { state: "current", days: days };
  }

  function bannerText(result, reviewBy, isEvidence) {
    var done = isEvidence ? "granskats" : "reviderats";
    var verb = isEvidence ? "granskas" : "revideras";
    if (result.state === "overdue") {
      return "<strong>Revisionen är försenad.</strong> Dokumentet skulle ha " + done + " senast " +
        reviewBy + " (" + plural(-result.days) + " sedan). Innehållet kan vara inaktuellt – kontakta dokumentägaren vid frågor.";
    }
    return "<strong>Snart dags för revision.</strong> Dokumentet ska " + verb + " senast " + reviewBy +
      " (om " + plural(result.days) + ").";
  }

  function updatePage() {
    var panel = document.querySelector(".handbok-meta[data-review-by]");
    if (!panel) { return; }
    var built = panel.getAttribute("data-handbok-status");
    if (built === "draft" || built === "repealed") { return; }
    var reviewBy = panel.getAttribute("data-review-by");
    var result = stateFor(reviewBy, parseInt(panel.getAttribute("data-warn-days") || "30", 10));
    if (!result || result.state === built) { return; }
    panel.setAttribute("data-handbok-status", result.state);
    var pill = panel.querySelector(".handbok-meta__state .handbok-state");
    if (pill) {
      pill.className = "handbok-state handbok-state--" + result.state;
      pill.textContent = LABELS[result.state];
    }
    var banner = document.querySelector(".handbok-banner");
    if (result.state === "current") {
      if (banner) { banner.parentNode.removeChild(banner); }
      return;
    }
    if (!banner) {
      banner = document.createElement("div");
      banner.setAttribute("role", "note");
      panel.parentNode.insertBefore(banner, panel);
    }
    banner.className = "handbok-banner handbok-banner--" + result.state;
    banner.setAttribute("data-handbok-status", result.state);
    banner.setAttribute("data-review-by", reviewBy);
    banner.innerHTML = bannerText(result, reviewBy, panel.getAttribute("aria-label") === "Om kunskapsunderlaget");
  }

  function updateRows() {
    var rows = document.querySelectorAll("tr[data-review-by]");
    var warn = 30;
    var meta = document.querySelector("[data-warn-days]");
    if (meta) { warn = parseInt(meta.getAttribute("data-warn-days"), 10) || 30; }
    Array.prototype.forEach.call(rows, function (row) {
      var built = row.getAttribute("data-handbok-status");
      if (built === "draft" || built === "repealed") { return; }
      var result = stateFor(row.getAttribute("data-review-by"), warn);
      if (!result || result.state === built) { return; }
      row.setAttribute("data-handbok-status", result.state);
      row.setAttribute("data-status", LABELS[result.state]);
      var pill = row.querySelector(".handbok-state");
      if (pill) {
        pill.className = "handbok-state handbok-state--" + result.state;
        pill.textContent = LABELS[result.state] + (result.state === "overdue" ? " (" + (-result.days) + " d)" :
          result.state === "due-soon" ? " (om " + result.days + " d)" : "");
      }
    });
    var counts = document.querySelectorAll("[data-handbok-count]");
    if (!counts.length || !rows.length) { return; }
    Array.prototype.forEach.call(counts, function (item) {
      var state = item.getAttribute("data-handbok-count");
      var n = document.querySelectorAll('tr[data-handbok-status="' + state + '"]').length;
      var number = item.querySelector(".handbok-count__n");
      if (number) { number.textContent = String(n); }
    });
  }

  function setUpFilters() {
    Array.prototype.forEach.call(document.querySelectorAll("form.handbok-filter"), function (form) {
      var target = document.getElementById(form.getAttribute("data-filter-target"));
      if (!target) { return; }
      var noun = form.getAttribute("data-noun") || "poster";
      var items = target.querySelectorAll("tbody tr, li[data-filter-item]");
      var selects = form.querySelectorAll("select[data-filter]");
      var result = form.querySelector(".handbok-filter__result");
      function apply() {
        var shown = 0;
        Array.prototype.forEach.call(items, function (item) {
          var visible = Array.prototype.every.call(selects, function (select) {
            if (!select.value) { return true; }
            var values = (item.getAttribute(select.getAttribute("data-filter")) || "").split("|");
            return values.indexOf(select.value) !== -1;
          });
          item.hidden = !visible;
          if (visible) { shown += 1; }
        });
        target.querySelectorAll("[data-filter-group]").forEach(function (group) {
          group.hidden = !group.querySelector("li[data-filter-item]:not([hidden])");
        });
        if (result) { result.textContent = "Visar " + shown + " av " + items.length + " " + noun + "."; }
      }
      Array.prototype.forEach.call(selects, function (select) { select.addEventListener("change", apply); });
      form.addEventListener("submit", function (event) { event.preventDefault(); });
      form.hidden = false;
      apply();
    });
  }

  function start() { updatePage(); updateRows(); setUpFilters(); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
