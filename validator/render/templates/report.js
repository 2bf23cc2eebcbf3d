(function () {
  "use strict";
  var severities = ["error", "warning", "info"];
  var cards = Array.prototype.slice.call(document.querySelectorAll("article.finding"));
  var reports = Array.prototype.slice.call(document.querySelectorAll("section.report"));
  var ruleSelect = document.getElementById("rule-filter");
  var waivedBox = document.getElementById("filter-waived");
  var count = document.getElementById("visible-count");

  function severityShown(severity) {
    var box = document.getElementById("filter-" + severity);
    return !box || box.checked;
  }

  function apply() {
    var rule = ruleSelect ? ruleSelect.value : "";
    var showWaived = !waivedBox || waivedBox.checked;
    var visible = 0;
    cards.forEach(function (card) {
      var show = severityShown(card.getAttribute("data-severity")) &&
        (!rule || card.getAttribute("data-rule") === rule) &&
        (showWaived || card.getAttribute("data-waived") !== "true");
      card.hidden = !show;
      if (show) { visible += 1; }
    });
    reports.forEach(function (section) {
      var note = section.querySelector(".filtered-out");
      if (!note) { return; }
      note.hidden = section.querySelector("article.finding:not([hidden])") !== null;
    });
    if (count) { count.textContent = String(visible); }
  }

  severities.forEach(function (severity) {
    var box = document.getElementById("filter-" + severity);
    if (box) { box.addEventListener("change", apply); }
  });
  if (waivedBox) { waivedBox.addEventListener("change", apply); }
  if (ruleSelect) { ruleSelect.addEventListener("change", apply); }
  window.addEventListener("beforeprint", function () {
    cards.forEach(function (card) { card.hidden = false; });
  });
  window.addEventListener("afterprint", apply);
  apply();
  document.body.setAttribute("data-filters-ready", "true");
}());
