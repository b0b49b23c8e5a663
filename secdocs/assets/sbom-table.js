/* secdocs: search, filter and sort for SBOM component tables.
 * The page carries the first rows as HTML (readable without this script) and the rest as JSON
 * data in <script type="application/json" data-secdocs-rows="TABLE-ID">. Rows from the data are
 * drawn only when they are to be shown, with createElement and textContent: the script never
 * parses data as HTML. Search, filters and sort run over every component, drawn or not.
 * One listener per control (no per-row listeners); input is debounced. At most LIMIT matching
 * rows are in the table at once; scrolling to its end draws LIMIT more, and "show all" lifts the
 * cap. */
(function () {
  "use strict";
  var LIMIT = 500;
  /* fields of a data row, as written by secdocs/sbom/render.py */
  var NAME = 0, VERSION = 1, TYPE = 2, PURL = 3, LICENCE = 4, FLAG = 5;
  var HASH_ALG = 6, HASH = 7, HASH_MORE = 8, SUPPLIER = 9;

  function debounce(fn, wait) {
    var timer = null;
    return function () {
      if (timer !== null) { clearTimeout(timer); }
      timer = setTimeout(function () { timer = null; fn(); }, wait);
    };
  }

  function cell(row, text) {
    var td = document.createElement("td");
    if (text) { td.textContent = text; }
    row.appendChild(td);
    return td;
  }

  function code(parent, text, title) {
    var el = document.createElement("code");
    el.textContent = text;
    if (title) { el.title = title; }
    parent.appendChild(el);
  }

  /* one <tr> from a data row, built like the HTML rows render.py writes */
  function draw(record) {
    var row = document.createElement("tr");
    row.setAttribute("data-type", record[TYPE]);
    row.setAttribute("data-licence", record[LICENCE] || "(none)");
    cell(row, record[NAME]);
    cell(row, record[VERSION]);
    cell(row, record[TYPE]);
    code(cell(row, ""), record[PURL]);
    var licence = cell(row, record[LICENCE] || "\u2014");
    if (record[FLAG]) {
      row.className = "secdocs-violation";
      licence.appendChild(document.createTextNode(" "));
      var flag = document.createElement("span");
      flag.className = "secdocs-flag";
      flag.title = record[FLAG];
      flag.textContent = "policy";
      licence.appendChild(flag);
    }
    var hash = cell(row, "");
    if (record[HASH_ALG]) {
      var digest = record[HASH];
      var short = digest.length > 16 ? digest.slice(0, 16) + "\u2026" : digest;
      code(hash, record[HASH_ALG] + ":" + short, record[HASH_ALG] + ": " + digest);
      if (record[HASH_MORE]) { hash.appendChild(document.createTextNode(record[HASH_MORE])); }
    }
    cell(row, record[SUPPLIER]);
    return row;
  }

  function readData(table) {
    var holder = document.querySelector('script[data-secdocs-rows="' + table.id + '"]');
    if (!holder) { return []; }
    try {
      var data = JSON.parse(holder.textContent);
      return Array.isArray(data) ? data : [];
    } catch (error) {
      return [];
    }
  }

  /* The rows in the HTML are readable as soon as the page is parsed; reading the data and wiring
   * the controls waits for the next task, so it never delays DOMContentLoaded. */
  function setup(table) {
    if (table.getAttribute("data-secdocs-ready") === "1") { return; }
    table.setAttribute("data-secdocs-ready", "1");
    setTimeout(function () { init(table); }, 0);
  }

  function init(table) {
    var controls = document.querySelector('[data-secdocs-controls="' + table.id + '"]');
    var body = table.tBodies[0];
    if (!body) { return; }
    /* rows[i]: the drawn <tr> of component i, or null until it is first shown */
    var rows = Array.prototype.slice.call(body.rows);
    var drawn = rows.length;
    var records = readData(table);
    var texts = [], types = [], licences = [];
    rows.forEach(function (row) {
      texts.push(row.textContent.toLowerCase());
      types.push(row.getAttribute("data-type") || "");
      licences.push(row.getAttribute("data-licence") || "");
    });
    records.forEach(function (record) {
      rows.push(null);
      texts.push([record[NAME], record[VERSION], record[TYPE], record[PURL],
        record[LICENCE] || "\u2014", record[HASH_ALG] ? record[HASH_ALG] + ":" : "",
        record[SUPPLIER]].join(" ").toLowerCase());
      types.push(record[TYPE] || "");
      licences.push(record[LICENCE] || "(none)");
    });
    var total = rows.length;
    var order = rows.map(function (_, i) { return i; });
    var search = null, typeSelect = null, licenceSelect = null, count = null, more = null;
    var showAll = false, limit = LIMIT, lastShown = 0, lastMatched = 0;
    if (controls) {
      controls.hidden = false;
      search = controls.querySelector('[data-role="search"]');
      typeSelect = controls.querySelector('[data-role="type"]');
      licenceSelect = controls.querySelector('[data-role="licence"]');
      count = controls.querySelector('[data-role="count"]');
      more = controls.querySelector('[data-role="more"]');
    }
    var rest = document.querySelector('[data-secdocs-rest="' + table.id + '"]');
    if (rest) { rest.hidden = true; }

    function row(i) {
      if (rows[i] === null) { rows[i] = draw(records[i - drawn]); }
      return rows[i];
    }

    /* the table holds exactly the shown rows, in order: rebuilt while detached from the page */
    function apply() {
      var query = search ? search.value.trim().toLowerCase() : "";
      var type = typeSelect ? typeSelect.value : "";
      var licence = licenceSelect ? licenceSelect.value : "";
      var matched = 0;
      var shown = [];
      for (var k = 0; k < order.length; k++) {
        var i = order[k];
        if ((!query || texts[i].indexOf(query) !== -1) &&
            (!type || types[i] === type) && (!licence || licences[i] === licence)) {
          matched++;
          if (showAll || shown.length < limit) { shown.push(i); }
        }
      }
      var parent = body.parentNode, next = body.nextSibling;
      parent.removeChild(body);
      while (body.firstChild) { body.removeChild(body.firstChild); }
      for (var j = 0; j < shown.length; j++) {
        var tr = row(shown[j]);
        tr.hidden = false;
        body.appendChild(tr);
      }
      parent.insertBefore(body, next);
      lastShown = shown.length;
      lastMatched = matched;
      if (count) {
        count.textContent = matched + " of " + total + " components" +
          (shown.length < matched ? " (showing the first " + shown.length + ")" : "");
      }
      if (more) { more.hidden = shown.length >= matched; }
    }

    function reset() { limit = LIMIT; apply(); }

    var collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });
    var sortColumn = -1, ascending = true;
    var sorted = {};  /* column -> ascending order of every component, computed once */
    function key(i, column) {
      if (rows[i] !== null && i < drawn) {
        var c = rows[i].cells[column];
        return c ? c.textContent : "";
      }
      var record = records[i - drawn];
      switch (column) {
        case 0: return record[NAME];
        case 1: return record[VERSION];
        case 2: return record[TYPE];
        case 3: return record[PURL];
        case 4: return record[LICENCE] || "\u2014";
        case 5: return record[HASH_ALG] ? record[HASH_ALG] + ":" + record[HASH].slice(0, 16) : "";
        default: return record[SUPPLIER];
      }
    }
    function sortBy(column) {
      ascending = column === sortColumn ? !ascending : true;
      sortColumn = column;
      var base = sorted[column];
      if (!base) {
        var keys = order.map(function (_, i) { return key(i, column); });
        base = keys.map(function (_, i) { return i; });
        base.sort(function (a, b) { return collator.compare(keys[a], keys[b]) || a - b; });
        sorted[column] = base;
      }
      order = ascending ? base : base.slice().reverse();
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
    var delayed = debounce(reset, 120);
    if (search) { search.addEventListener("input", delayed); }
    if (typeSelect) { typeSelect.addEventListener("change", reset); }
    if (licenceSelect) { licenceSelect.addEventListener("change", reset); }
    if (more) { more.addEventListener("click", function () { showAll = true; apply(); }); }
    /* draw the next rows when the end of the table scrolls into view */
    if (typeof IntersectionObserver !== "undefined" && table.parentNode) {
      var sentinel = document.createElement("div");
      sentinel.className = "secdocs-sbom-sentinel";
      table.parentNode.insertBefore(sentinel, table.nextSibling);
      new IntersectionObserver(function (entries) {
        if (entries[0].isIntersecting && !showAll && lastShown < lastMatched) {
          limit += LIMIT;
          apply();
        }
      }).observe(sentinel);
    }
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
