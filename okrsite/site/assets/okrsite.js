/* okrsite: the little the pages do with JavaScript. Every page reads whole without it:
   the filter form and the "expand all" buttons are hidden in the HTML and only shown
   here, once they can work.

   Material's instant navigation swaps page bodies without a reload, so the setup runs
   on each of its document$ emissions where it exists, and once on load otherwise.
   document$ may emit again for the same page: each form and button is marked once
   set up (data-okr-ready) and skipped after, so no listener is added twice. */
(function () {
  "use strict";

  /* <form data-okr-filter="ID"> with <select name="team"> and <select name="owner">:
     items [data-okr-item] inside the element ID are hidden unless their data-teams
     (space-separated ids: the team and the teams above it) holds the chosen team and
     their data-owner is the chosen owner. A [data-okr-group] holding no visible item
     is hidden; [data-okr-count] inside it says how many are shown. */
  function setupFilter(form) {
    var target = document.getElementById(form.getAttribute("data-okr-filter"));
    if (!target || form.dataset.okrReady) return;
    form.dataset.okrReady = "1";
    var status = form.querySelector("[data-okr-status]");
    function apply() {
      var team = form.elements.team ? form.elements.team.value : "";
      var owner = form.elements.owner ? form.elements.owner.value : "";
      var shown = 0, total = 0;
      target.querySelectorAll("[data-okr-item]").forEach(function (el) {
        var teams = (el.getAttribute("data-teams") || "").split(" ");
        var ok = (!team || teams.indexOf(team) >= 0) &&
                 (!owner || el.getAttribute("data-owner") === owner);
        el.hidden = !ok;
        total += 1;
        if (ok) shown += 1;
      });
      target.querySelectorAll("[data-okr-group]").forEach(function (group) {
        var visible = group.querySelectorAll("[data-okr-item]:not([hidden])").length;
        group.hidden = visible === 0;
        var count = group.querySelector("[data-okr-count]");
        if (count) count.textContent = String(visible);
      });
      if (status) {
        status.textContent = (team || owner)
          ? shown + " of " + total + " shown"
          : "";
      }
    }
    form.addEventListener("change", apply);
    form.addEventListener("reset", function () { setTimeout(apply, 0); });
    form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
    form.hidden = false;
    apply();
  }

  /* <button data-okr-expand="ID">: opens every <details> inside the element ID, or
     closes them all when all are open. With nothing to fold it stays hidden. */
  function setupExpand(button) {
    var target = document.getElementById(button.getAttribute("data-okr-expand"));
    if (!target || button.dataset.okrReady) return;
    button.dataset.okrReady = "1";
    if (!target.querySelector("details")) return;
    var openLabel = button.textContent;
    var closeLabel = button.getAttribute("data-okr-collapse-label") || "Collapse all";
    function allOpen() {
      return target.querySelectorAll("details:not([open])").length === 0;
    }
    function label() {
      var open = allOpen();
      button.textContent = open ? closeLabel : openLabel;
      button.setAttribute("aria-expanded", open ? "true" : "false");
    }
    /* Opening every fold fires a toggle event per fold: the label follows once a
       frame, not once per event (each one counts the closed folds). */
    var queued = false;
    function labelSoon() {
      if (queued) return;
      queued = true;
      window.requestAnimationFrame(function () { queued = false; label(); });
    }
    button.addEventListener("click", function () {
      var open = !allOpen();
      target.querySelectorAll("details").forEach(function (d) { d.open = open; });
      label();
    });
    target.addEventListener("toggle", labelSoon, true);
    button.hidden = false;
    label();
  }

  /* Search: okrsite's worker answers Material's box with the best 50 results, and
     Material's count line says how many it got. The worker posts the real number on
     BroadcastChannel("okrsite-search"); the count line then reads "50 of 9,477 ...".
     Material rewrites the line on each result: an observer completes it again, from
     Material's own text (whatever its language), only when there are more than shown. */
  var counted = null;
  var written = null;
  var materialText = "";
  function writeCount(meta) {
    if (meta.textContent !== written) materialText = meta.textContent;
    var text = materialText;
    if (counted && counted.total > counted.shown) {
      var shown = new RegExp("(^|\\D)" + counted.shown + "(?!\\d)");
      var total = counted.shown + " of " + counted.total.toLocaleString("en-US");
      text = text.replace(shown, "$1" + total);
    }
    if (meta.textContent !== text) {
      written = text;
      meta.textContent = text;
    }
  }
  function setupCount(meta) {
    if (meta.dataset.okrReady || typeof BroadcastChannel !== "function") return;
    meta.dataset.okrReady = "1";
    var input = document.querySelector("[data-md-component='search-query']");
    new BroadcastChannel("okrsite-search").onmessage = function (event) {
      // The channel reaches every tab of the site: only this tab's query counts.
      var data = event.data || {};
      if (input && String(data.query || "").trim() !== input.value.trim()) return;
      counted = data;
      writeCount(meta);
    };
    new MutationObserver(function () { writeCount(meta); })
      .observe(meta, { childList: true, characterData: true, subtree: true });
  }

  function setup() {
    document.querySelectorAll("form[data-okr-filter]").forEach(setupFilter);
    document.querySelectorAll("button[data-okr-expand]").forEach(setupExpand);
    document.querySelectorAll(".md-search-result__meta").forEach(setupCount);
  }

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(setup);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
