/* secdocs: search, filter and sort for SBOM component tables.
 * The table is complete HTML without this script. The script never builds HTML from data: it
 * only toggles the `hidden` property of existing rows and moves existing rows when sorting.
 * One listener per control (no per-row listeners); input is debounced. At most LIMIT matching
 * rows are shown at once (a "show all" button lifts the cap), so a filter on a 10,000-row table
 * never makes the browser lay out 10,000 rows again. */
(function () {
  "use strict";
  var LIMIT = 500;

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
    var search = null, typeSelect = null, licenceSelect = null, count = null, more = null;
    var showAll = false;
    if (controls) {
      controls.hidden = false;
      search = controls.querySelector('[data-role="search"]');
      typeSelect = controls.querySelector('[data-role="type"]');
      licenceSelect = controls.querySelector('[data-role="licence"]');
      count = controls.querySelector('[data-role="count"]');
      more = controls.querySelector('[data-role="more"]');
    }

    function apply() {
      var query = search ? search.value.trim().toLowerCase() : "";
      var type = typeSelect ? typeSelect.value : "";
      var licence = licenceSelect ? licenceSelect.value : "";
      var matched = 0, shown = 0;
      for (var k = 0; k < order.length; k++) {
        var i = order[k];
        var match = (!query || texts[i].indexOf(query) !== -1) &&
          (!type || types[i] === type) && (!licence || licences[i] === licence);
        if (match) { matched++; }
        var visible = match && (showAll || matched <= LIMIT);
        if (visible) { shown++; }
        if (rows[i].hidden === visible) { rows[i].hidden = !visible; }
      }
      if (count) {
        count.textContent = matched + " of " + rows.length + " components" +
          (shown < matched ? " (showing the first " + shown + ")" : "");
      }
      if (more) { more.hidden = shown >= matched; }
    }

    var collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });
    var sortColumn = -1, ascending = true;
    var sorted = {};  /* column -> ascending row order, computed once */
    function sortBy(column) {
      ascending = column === sortColumn ? !ascending : true;
      sortColumn = column;
      var base = sorted[column];
      if (!base) {
        var keys = rows.map(function (row) {
          var cell = row.cells[column];
          return cell ? cell.textContent : "";
        });
        base = rows.map(function (_, i) { return i; });
        base.sort(function (a, b) { return collator.compare(keys[a], keys[b]) || a - b; });
        sorted[column] = base;
      }
      order = ascending ? base : base.slice().reverse();
      /* reorder while the body is detached: one layout instead of one per moved row */
      var parent = body.parentNode, next = body.nextSibling;
      parent.removeChild(body);
      for (var i = 0; i < order.length; i++) { body.appendChild(rows[order[i]]); }
      parent.insertBefore(body, next);
      apply();
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
    if (more) { more.addEventListener("click", function () { showAll = true; apply(); }); }
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
