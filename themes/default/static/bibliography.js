// Filters the bibliography by theme, type and decade using data attributes on each entry, and
// keeps the choice in the address (?theme=<slug>&type=<type>&decade=1990s), so that a filtered
// list can be linked to and survives a reload. Without JavaScript the form stays hidden and the
// full list reads as it is.
(function () {
  "use strict";
  var form = document.getElementById("bib-filters");
  if (!form) return;
  var names = ["theme", "type", "decade"];
  var items = Array.prototype.slice.call(document.querySelectorAll(".bibliography > li"));
  var empty = document.getElementById("bib-empty");
  var bar = document.querySelector(".letter-bar");
  function fill(name, attr) {
    var select = form.elements[name];
    var seen = {};
    items.forEach(function (li) { seen[li.getAttribute(attr)] = true; });
    Object.keys(seen).sort().forEach(function (value) {
      var option = document.createElement("option");
      option.value = value;
      option.textContent = value;
      select.appendChild(option);
    });
  }
  fill("type", "data-type");
  fill("decade", "data-decade");

  function apply() {
    var theme = form.elements.theme.value, type = form.elements.type.value, decade = form.elements.decade.value;
    var shown = 0;
    items.forEach(function (li) {
      var ok = (!theme || (" " + li.getAttribute("data-themes")).indexOf(" " + theme + " ") >= 0) &&
        (!type || li.getAttribute("data-type") === type) &&
        (!decade || li.getAttribute("data-decade") === decade);
      li.hidden = !ok;
      if (ok) shown++;
    });
    document.querySelectorAll("section.letter").forEach(function (section) {
      var visible = !!section.querySelector(".bibliography > li:not([hidden])");
      section.hidden = !visible;
      var jump = bar && bar.querySelector('a[href="#' + section.querySelector("h2").id + '"]');
      if (jump) jump.hidden = !visible;
    });
    empty.hidden = shown > 0;
    if (bar) bar.hidden = shown === 0;
    var noun = items.length === 1 ? " entry" : " entries";
    document.getElementById("bib-count").textContent = shown === items.length
      ? items.length + noun : shown + " of " + items.length + noun;
  }

  function toUrl() {
    var params = new URLSearchParams(location.search);
    names.forEach(function (n) {
      var v = form.elements[n].value;
      if (v) params.set(n, v); else params.delete(n);
    });
    var query = params.toString();
    history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
  }

  function fromUrl() {
    var params = new URLSearchParams(location.search);
    names.forEach(function (n) {
      var select = form.elements[n], wanted = params.get(n) || "";
      var known = Array.prototype.some.call(select.options, function (o) { return o.value === wanted; });
      select.value = known ? wanted : "";
    });
  }

  form.addEventListener("change", function () { toUrl(); apply(); });
  form.addEventListener("reset", function () {
    setTimeout(function () { toUrl(); apply(); }, 0);
  });
  addEventListener("popstate", function () { fromUrl(); apply(); });
  fromUrl();
  form.hidden = false;
  apply();
})();
