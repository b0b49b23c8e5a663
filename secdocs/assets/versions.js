/* secdocs: release selector in the header, built from the site's own versions.json.
 *
 * Material's built-in selector expects mike's layout (versions.json one level above the site), so
 * secdocs draws the same widget itself from <site>/versions.json and links each release to its
 * permanent page. Everything is created with DOM methods and textContent: no markup from data.
 */
(function () {
  "use strict";

  function siteBase() {
    var config = document.getElementById("__config");
    var base = ".";
    if (config) {
      try { base = JSON.parse(config.textContent).base || "."; } catch (e) { base = "."; }
    }
    return new URL(base.replace(/\/?$/, "/"), window.location.href);
  }

  function currentTag(base, versions) {
    var path = window.location.pathname;
    var releases = new URL("releases/", base).pathname;
    if (path.indexOf(releases) !== 0) { return null; }
    var rest = path.slice(releases.length).split("/")[0];
    if (rest === "latest") {
      var latest = versions.filter(function (v) { return v.aliases.indexOf("latest") !== -1; })[0];
      return latest ? latest.version : null;
    }
    return versions.some(function (v) { return v.version === rest; }) ? rest : null;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    node.className = className;
    if (text) { node.textContent = text; }
    return node;
  }

  function render(base, versions) {
    var topic = document.querySelector(".md-header__topic");
    if (!topic || !versions.length || topic.querySelector(".md-version")) { return; }
    var tag = currentTag(base, versions);
    var current = versions.filter(function (v) { return v.version === tag; })[0];
    var box = element("div", "md-version");
    var button = element("button", "md-version__current", current ? current.title : "Releases");
    button.setAttribute("aria-label", "Select release");
    box.appendChild(button);
    var list = element("ul", "md-version__list");
    versions.forEach(function (v) {
      var item = element("li", "md-version__item");
      var link = element("a", "md-version__link", v.title);
      link.href = new URL("releases/" + encodeURIComponent(v.version) + "/", base).href;
      if (v.aliases.length) { link.appendChild(element("span", "md-version__alias", v.aliases[0])); }
      item.appendChild(link);
      list.appendChild(item);
    });
    box.appendChild(list);
    topic.appendChild(box);
  }

  function valid(data) {
    return Array.isArray(data) && data.every(function (v) {
      return v && typeof v.version === "string" && typeof v.title === "string" &&
        Array.isArray(v.aliases);
    });
  }

  function start() {
    var base = siteBase();
    fetch(new URL("versions.json", base).href, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : []; })
      .then(function (data) { if (valid(data)) { render(base, data); } })
      .catch(function () { /* no selector without versions.json */ });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
