// The views of the whole review, made usable with a script (they read without one): the
// synthesis matrix sorted and filtered, and the graph of citations and links zoomed, panned and highlighted.
(function () {
  "use strict";

  var form = document.getElementById("matrix-controls");
  if (form) {
    var body = document.querySelector("#matrix tbody");
    var rows = Array.prototype.slice.call(body.rows);
    var empty = document.getElementById("matrix-empty");
    var number = function (row, name) { return Number(row.getAttribute("data-" + name)); };
    var orders = {
      author: function (a, b) { return number(a, "order") - number(b, "order"); },
      year: function (a, b) { return number(a, "year") - number(b, "year") || number(a, "order") - number(b, "order"); },
      themes: function (a, b) { return number(b, "themes") - number(a, "themes") || number(a, "order") - number(b, "order"); }
    };
    var apply = function () {
      var type = form.elements.type.value, decade = form.elements.decade.value, shown = 0;
      rows.sort(orders[form.elements.sort.value] || orders.author);
      var fragment = document.createDocumentFragment();
      rows.forEach(function (row) {
        var ok = (!type || row.getAttribute("data-type") === type) &&
          (!decade || row.getAttribute("data-decade") === decade);
        row.hidden = !ok;
        if (ok) shown++;
        fragment.appendChild(row);
      });
      body.appendChild(fragment);
      empty.hidden = shown > 0;
      document.getElementById("matrix-count").textContent = shown === rows.length
        ? rows.length + (rows.length === 1 ? " source" : " sources")
        : shown + " of " + rows.length + (rows.length === 1 ? " source" : " sources");
    };
    form.addEventListener("change", apply);
    form.addEventListener("reset", function () { setTimeout(apply, 0); });
    form.hidden = false;
    apply();
  }

  var svg = document.getElementById("graph");
  if (svg) {
    var full = svg.viewBox.baseVal;
    var home = [full.x, full.y, full.width, full.height];
    var view = home.slice();
    var show = function () { svg.setAttribute("viewBox", view.map(function (v) { return Math.round(v * 10) / 10; }).join(" ")); };
    var zoom = function (factor, cx, cy) {
      var w = Math.min(home[2] * 2, Math.max(home[2] / 12, view[2] * factor));
      var h = w * home[3] / home[2];
      if (cx === undefined) { cx = view[0] + view[2] / 2; cy = view[1] + view[3] / 2; }
      view = [cx - (cx - view[0]) * w / view[2], cy - (cy - view[1]) * h / view[3], w, h];
      show();
    };
    var tools = document.getElementById("graph-tools");
    tools.hidden = false;
    tools.addEventListener("click", function (e) {
      var what = e.target.getAttribute("data-zoom");
      if (what === "in") zoom(0.7);
      else if (what === "out") zoom(1 / 0.7);
      else if (what === "reset") { view = home.slice(); show(); }
    });
    // The point of the drawing under a pointer event.
    var point = function (e) {
      var r = svg.getBoundingClientRect();
      return [view[0] + (e.clientX - r.left) / r.width * view[2], view[1] + (e.clientY - r.top) / r.height * view[3]];
    };
    // Ctrl (or ⌘) and the wheel zoom; the wheel alone scrolls the page, as everywhere else.
    svg.addEventListener("wheel", function (e) {
      if (!e.ctrlKey && !e.metaKey) return;
      e.preventDefault();
      var p = point(e);
      zoom(e.deltaY > 0 ? 1.15 : 1 / 1.15, p[0], p[1]);
    }, { passive: false });
    var drag = null;
    svg.addEventListener("pointerdown", function (e) {
      if (e.pointerType !== "mouse" || e.button !== 0 || e.target.closest("a")) return;
      drag = { x: e.clientX, y: e.clientY, view: view.slice() };
      svg.classList.add("is-panning");
      svg.setPointerCapture(e.pointerId);
    });
    svg.addEventListener("pointermove", function (e) {
      if (!drag) return;
      var r = svg.getBoundingClientRect();
      view[0] = drag.view[0] - (e.clientX - drag.x) / r.width * view[2];
      view[1] = drag.view[1] - (e.clientY - drag.y) / r.height * view[3];
      show();
    });
    var stop = function () { drag = null; svg.classList.remove("is-panning"); };
    svg.addEventListener("pointerup", stop);
    svg.addEventListener("pointercancel", stop);

    // Hovering or focusing a note lights up its lines and its neighbours.
    var nodes = {};
    svg.querySelectorAll(".node").forEach(function (n) { nodes[n.getAttribute("data-id")] = n; });
    var edges = Array.prototype.slice.call(svg.querySelectorAll(".edges path"));
    var lit = [];
    var clear = function () {
      lit.forEach(function (el) { el.classList.remove("is-near"); });
      lit = [];
      svg.classList.remove("is-focused");
    };
    var light = function (node) {
      clear();
      var id = node.getAttribute("data-id");
      var near = function (el) { el.classList.add("is-near"); lit.push(el); };
      near(node);
      edges.forEach(function (e) {
        // A kind of line the legend hides leads to no neighbour.
        if (!e.getClientRects().length) return;
        var from = e.getAttribute("data-from"), to = e.getAttribute("data-to");
        if (from === id || to === id) {
          near(e);
          near(nodes[from === id ? to : from]);
        }
      });
      svg.classList.add("is-focused");
    };
    Object.keys(nodes).forEach(function (id) {
      var node = nodes[id];
      node.addEventListener("mouseenter", function () { light(node); });
      node.addEventListener("focus", function () { light(node); });
      node.addEventListener("mouseleave", clear);
      node.addEventListener("blur", clear);
    });
  }
})();
