/* secdocs: search, filter and sort for SBOM component tables.
 * The table is complete HTML without this script. The script never builds HTML from data: it
 * only toggles the `hidden` property of existing rows and moves existing rows when sorting.
 * One listener per control (no per-row listeners); input is debounced. */
(function () {
  "use strict";

  function debounce(fn, wait) {
    var timer = null;
    return function () {
      if (timer !== null) { clearTimeout(timer); }
      timer = setTimeout(function () { timer = null; fn(); }, wait);
    };
  }

  function setup(table) {
    if (table.getAttribute("data-secdocs-ready") === "1") { return; }
    table.setAttribute("data-secdocs-ready", "1");
    var controls = document.querySelector('[data-secdocs-controls="' + table.id + '"]');
    var body = table.tBodies[0];
    if (!body) { return; }
    var rows = Array.prototype.slice.call(body.rows);
    var texts = rows.map(function (row) { return row.textContent.toLowerCase(); });
    var types = rows.map(function (row) { return row.getAttribute("data-type") || ""; });
    var licences = rows.map(function (row) { return row.getAttribute("data-licence") || ""; });
    var order = rows.map(function (_, i) { return i; });
    var search = null, typeSelect = null, licenceSelect = null, count = null;
    if (controls) {
      controls.hidden = false;
      search = controls.querySelector('[data-role="search"]');
      typeSelect = controls.querySelector('[data-role="type"]');
      licenceSelect = controls.querySelector('[data-role="licence"]');
      count = controls.querySelector('[data-role="count"]');
    }

    function apply() {
      var query = search ? search.value.trim().toLowerCase() : "";
      var type = typeSelect ? typeSelect.value : "";
      var licence = licenceSelect ? licenceSelect.value : "";
      var shown = 0;
      for (var i = 0; i < rows.length; i++) {
        var match = (!query || texts[i].indexOf(query) !== -1) &&
          (!type || types[i] === type) && (!licence || licences[i] === licence);
        if (rows[i].hidden === match) { rows[i].hidden = !match; }
        if (match) { shown++; }
      }
      if (count) { count.textContent = shown + " of " + rows.length + " components"; }
    }

    var collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });
    var sortColumn = -1, ascending = true;
    function sortBy(column) {
      ascending = column === sortColumn ? !ascending : true;
      sortColumn = column;
      var keys = rows.map(function (row) {
        var cell = row.cells[column];
        return cell ? cell.textContent : "";
      });
      order.sort(function (a, b) {
        var c = collator.compare(keys[a], keys[b]);
        if (c === 0) { c = a - b; }
        return ascending ? c : -c;
      });
      var fragment = document.createDocumentFragment();
      for (var i = 0; i < order.length; i++) { fragment.appendChild(rows[order[i]]); }
      body.appendChild(fragment);
      var buttons = table.tHead ? table.tHead.querySelectorAll("button[data-col]") : [];
      for (var j = 0; j < buttons.length; j++) {
        var th = buttons[j].parentNode;
        var active = Number(buttons[j].getAttribute("data-col")) === column;
        th.setAttribute("aria-sort", active ? (ascending ? "ascending" : "descending") : "none");
      }
    }

    if (table.tHead) {
      table.tHead.addEventListener("click", function (event) {
        var target = event.target;
        var button = target && target.closest ? target.closest("button[data-col]") : null;
        if (button) { sortBy(Number(button.getAttribute("data-col"))); }
      });
    }
    var delayed = debounce(apply, 120);
    if (search) { search.addEventListener("input", delayed); }
    if (typeSelect) { typeSelect.addEventListener("change", apply); }
    if (licenceSelect) { licenceSelect.addEventListener("change", apply); }
    apply();
  }

  function run() {
    var tables = document.querySelectorAll("table[data-secdocs-sortable]");
    for (var i = 0; i < tables.length; i++) { setup(tables[i]); }
  }

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(run);  /* Material's instant navigation */
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", run);
  } else {
    run();
  }
})();
