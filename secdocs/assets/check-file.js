/* secdocs "Check a file": SHA-256 of a file the reader picks or drops, computed in the browser in
 * slices (a 1 GB file is never held whole: Web Crypto has no streaming digest), then looked up in
 * the site's check-file index. Shipped with secdocs; loads nothing from another origin. */
(function () {
  "use strict";

  var K = new Uint32Array([
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
  ]);

  /** Incremental SHA-256 (FIPS 180-4): update() with any number of byte arrays, then hex(). */
  function Sha256() {
    this.h = new Uint32Array([
      0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19
    ]);
    this.w = new Uint32Array(64);
    this.block = new Uint8Array(64);
    this.used = 0;
    this.length = 0; // bytes, exact up to 2^53
  }

  Sha256.prototype.compress = function (bytes, offset) {
    var w = this.w, h = this.h, i, t1, t2, s0, s1;
    for (i = 0; i < 16; i++) {
      var j = offset + i * 4;
      w[i] = (bytes[j] << 24) | (bytes[j + 1] << 16) | (bytes[j + 2] << 8) | bytes[j + 3];
    }
    for (i = 16; i < 64; i++) {
      s0 = ((w[i - 15] >>> 7) | (w[i - 15] << 25)) ^ ((w[i - 15] >>> 18) | (w[i - 15] << 14)) ^
        (w[i - 15] >>> 3);
      s1 = ((w[i - 2] >>> 17) | (w[i - 2] << 15)) ^ ((w[i - 2] >>> 19) | (w[i - 2] << 13)) ^
        (w[i - 2] >>> 10);
      w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
    }
    var a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
    for (i = 0; i < 64; i++) {
      s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      t1 = (k + s1 + ((e & f) ^ (~e & g)) + K[i] + w[i]) | 0;
      s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      t2 = (s0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      k = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += k;
  };

  Sha256.prototype.update = function (bytes) {
    var i = 0, n = bytes.length;
    this.length += n;
    if (this.used) {
      while (this.used < 64 && i < n) this.block[this.used++] = bytes[i++];
      if (this.used < 64) return this;
      this.compress(this.block, 0);
      this.used = 0;
    }
    for (; i + 64 <= n; i += 64) this.compress(bytes, i);
    while (i < n) this.block[this.used++] = bytes[i++];
    return this;
  };

  Sha256.prototype.hex = function () {
    var bits = this.length * 8;
    var tail = new Uint8Array(this.used < 56 ? 64 - this.used : 128 - this.used);
    tail[0] = 0x80;
    var hi = Math.floor(bits / 0x100000000), lo = bits >>> 0;
    var m = tail.length;
    tail[m - 8] = hi >>> 24; tail[m - 7] = hi >>> 16; tail[m - 6] = hi >>> 8; tail[m - 5] = hi;
    tail[m - 4] = lo >>> 24; tail[m - 3] = lo >>> 16; tail[m - 2] = lo >>> 8; tail[m - 1] = lo;
    var length = this.length;
    this.update(tail);
    this.length = length;
    var out = "";
    for (var i = 0; i < 8; i++) out += (this.h[i] >>> 0).toString(16).padStart(8, "0");
    return out;
  };

  var SLICE = 4 * 1024 * 1024;

  /** SHA-256 of a File/Blob, read SLICE bytes at a time; progress(done, total) after each. */
  function digestFile(file, progress) {
    var hash = new Sha256(), offset = 0;
    function next() {
      if (offset >= file.size) return Promise.resolve(hash.hex());
      var end = Math.min(offset + SLICE, file.size);
      return file.slice(offset, end).arrayBuffer().then(function (buffer) {
        hash.update(new Uint8Array(buffer));
        offset = end;
        if (progress) progress(offset, file.size);
        return next();
      });
    }
    return next();
  }

  window.secdocsSha256 = { Sha256: Sha256, digestFile: digestFile };
})();

/* The "Check a file" page: builds its result with DOM text nodes only (names come from evidence). */
(function () {
  "use strict";

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function show(out, file, hex, matches) {
    out.replaceChildren();
    var digest = el("p");
    digest.append("SHA-256 of " + file.name + ": ", el("code", "secdocs-digest", hex));
    if (!matches || !matches.length) {
      var none = el("div", "admonition failure secdocs-check-result");
      none.append(el("p", "admonition-title", "No match"),
        el("p", "", "This file matches nothing published on this site. It is not a file of " +
          "any release listed here, or it was changed after it was published."), digest);
      out.append(none);
      return;
    }
    matches.forEach(function (m) {
      var ok = m.status === "verified";
      var box = el("div", "admonition " + (ok ? "success" : "warning") + " secdocs-check-result");
      box.append(el("p", "admonition-title", "Match: " + m.name + " of release " + m.tag));
      var where = el("p");
      var a = el("a", "", "release " + m.tag);
      a.href = m.url;
      where.append("Published as " + m.role + " in ", a, ".");
      box.append(where, digest.cloneNode(true));
      if (m.facts.length) {
        var list = el("ul");
        m.facts.forEach(function (f) {
          var li = el("li");
          li.append(el("span", "secdocs-badge secdocs-" + f.status, f.status), " " + f.kind + ": " + f.text);
          list.append(li);
        });
        box.append(el("p", "", "Verified when the site was built:"), list);
      } else {
        box.append(el("p", "", "No signature, provenance or checksum covers this file."));
      }
      out.append(box);
    });
  }

  function setup(root) {
    if (root.dataset.secdocsReady) return;
    root.dataset.secdocsReady = "1";
    var data = JSON.parse(root.dataset.secdocsCheck || "{}");
    var input = root.querySelector("[data-role=file]");
    var progress = root.querySelector("[data-role=progress]");
    var out = root.querySelector("[data-role=result]");
    function check(file) {
      if (!file) return;
      out.replaceChildren();
      progress.textContent = "Computing the SHA-256 of " + file.name + "…";
      window.secdocsSha256.digestFile(file, function (done, total) {
        progress.textContent = "Computing the SHA-256 of " + file.name + ": " +
          Math.floor(done * 100 / (total || 1)) + "%";
      }).then(function (hex) {
        progress.textContent = "";
        show(out, file, hex, data[hex]);
      }, function (error) {
        progress.textContent = "Could not read " + file.name + ": " + error;
      });
    }
    input.addEventListener("change", function () { check(input.files[0]); });
    root.addEventListener("dragover", function (e) { e.preventDefault(); });
    root.addEventListener("drop", function (e) {
      e.preventDefault();
      if (e.dataTransfer && e.dataTransfer.files.length) check(e.dataTransfer.files[0]);
    });
  }

  function init() {
    document.querySelectorAll("[data-secdocs-check]").forEach(setup);
  }
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(init);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
