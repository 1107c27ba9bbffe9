// Filters the bibliography by theme, type and decade using data attributes on each entry.
// Without JavaScript the full list simply stays visible.
(function () {
  var form = document.getElementById("bib-filters");
  if (!form) return;
  var items = Array.prototype.slice.call(document.querySelectorAll(".bibliography > li"));
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
      section.hidden = !section.querySelector("li:not([hidden])");
    });
    document.getElementById("bib-count").textContent = shown + " of " + items.length + " entries";
  }
  form.addEventListener("change", apply);
  form.hidden = false;
  apply();
})();
