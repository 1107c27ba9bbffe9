// gloss: what makes a page easier to read and to leave. Every part only adds to a page that
// works without it.
// 1. Search: `/` or Ctrl-K (or the header button) opens a dialog over gloss's index in
//    <base>search/ (read by search.js, loaded on first use); arrows move through the results,
//    Enter opens one.
// 2. Previews: citations, wikilinks and theme links show a card (from the JSON the page
//    carries) on hover, on keyboard focus or on a first tap; Escape closes it.
// 3. Contents: the section being read is marked; on narrow screens the list starts folded.
(function () {
  "use strict";
  var base = document.body.getAttribute("data-base") || "/";

  // ---- 1. Search ------------------------------------------------------------------------
  var dialog = document.getElementById("search-dialog");
  var opener = document.getElementById("search-open");
  if (dialog && opener && typeof dialog.showModal === "function") {
    var form = dialog.querySelector("form");
    var input = document.getElementById("search-input");
    var list = document.getElementById("search-results");
    var status = document.getElementById("search-status");
    var index = null, loading = null, run = 0;
    // Each result shown costs a request for its excerpt: ten keep a query small on a big site.
    var SHOWN = 10;

    var load = function () {
      if (!loading) {
        loading = import(base + "search.js").then(function (s) {
          return s.init(base).then(function () {
            index = s;
            return s.filters();
          }).then(function (filters) {
            ["theme", "decade"].forEach(function (name) {
              var select = form.elements[name];
              if (!select) return;
              Object.keys((filters && filters[name]) || {}).sort().forEach(function (value) {
                var option = document.createElement("option");
                option.value = value;
                option.textContent = value;
                select.appendChild(option);
              });
            });
          });
        }).catch(function () {
          status.textContent = "The search index could not be loaded.";
        });
      }
      return loading;
    };

    var filters = function () {
      var out = {};
      ["kind", "theme", "decade"].forEach(function (name) {
        var select = form.elements[name];
        if (select && select.value) out[name] = select.value;
      });
      return out;
    };

    var show = function (results, query, total) {
      list.textContent = "";
      results.forEach(function (r) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = r.url;
        var short = r.meta && r.meta.short;
        a.textContent = short ? short + " — " + r.meta.title : (r.meta && r.meta.title) || r.url;
        li.appendChild(a);
        if (r.meta && r.meta.kind) {
          var kind = document.createElement("span");
          kind.className = "result-kind";
          kind.textContent = r.meta.kind;
          li.appendChild(kind);
        }
        if (r.excerpt) {
          var p = document.createElement("p");
          p.innerHTML = r.excerpt; // search.js's excerpt: escaped text with <mark> around matches
          li.appendChild(p);
        }
        list.appendChild(li);
      });
      var what = query ? " for “" + query + "”" : "";
      status.textContent = total === 0 ? "No results" + what + "."
        : total + (total === 1 ? " result" : " results") + what +
          (total > results.length ? " (the first " + results.length + " shown)." : ".");
    };

    var search = function () {
      var query = input.value.trim(), mine = ++run, chosen = filters();
      if (!query && !Object.keys(chosen).length) {
        list.textContent = "";
        status.textContent = "";
        return;
      }
      load().then(function () {
        if (!index) return null;
        return index.debouncedSearch(query, chosen, 150, { limit: SHOWN, excerptLength: 22 });
      }).then(function (found) {
        if (found && mine === run) show(found.results, query, found.total);
      });
    };

    var open = function () {
      if (dialog.open) return;
      dialog.showModal();
      input.focus();
      input.select();
      load();
    };

    opener.hidden = false;
    opener.addEventListener("click", open);
    document.querySelectorAll("[data-search-open]").forEach(function (b) {
      b.closest("[hidden]") && (b.closest("[hidden]").hidden = false);
      b.addEventListener("click", open);
    });
    document.getElementById("search-close").addEventListener("click", function () { dialog.close(); });
    dialog.addEventListener("click", function (e) { if (e.target === dialog) dialog.close(); });
    input.addEventListener("input", search);
    form.addEventListener("change", search);
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var first = list.querySelector("a");
      if (first) location.href = first.href;
    });
    dialog.addEventListener("keydown", function (e) {
      if (e.key === "Escape") {
        // Closes at once (a search field's own Escape would only clear it first).
        e.preventDefault();
        dialog.close();
        return;
      }
      if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
      var links = Array.prototype.slice.call(list.querySelectorAll("a"));
      if (!links.length) return;
      var at = links.indexOf(document.activeElement);
      if (e.target !== input && at < 0) return; // arrows keep their meaning in the selects
      e.preventDefault();
      var next = e.key === "ArrowDown" ? at + 1 : at - 1;
      if (next < 0) input.focus();
      else links[Math.min(next, links.length - 1)].focus();
    });
    document.addEventListener("keydown", function (e) {
      var t = e.target, typing = t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
      if ((e.key === "k" || e.key === "K") && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        open();
      } else if (e.key === "/" && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
        e.preventDefault();
        open();
      }
    });
  }

  // ---- 2. Previews ----------------------------------------------------------------------
  // The script element, not any element of that id: a note's HTML may hold an id of its own.
  var data = document.querySelector("script#gloss-previews");
  var cards = {};
  try { cards = data ? JSON.parse(data.textContent) : {}; } catch (e) { cards = {}; }
  var card = null, current = null, hideTimer = 0, showTimer = 0, touched = false;

  var build = function (c) {
    var el = document.createElement("div");
    var add = function (tag, cls, text, html) {
      var x = document.createElement(tag);
      x.className = cls;
      if (html) x.innerHTML = html; else x.textContent = text;
      el.appendChild(x);
    };
    add("p", "preview-kind", c.kind + (c.short ? " · " + c.short : ""));
    if (c.reference) add("p", "preview-ref", "", c.reference); // built by gloss, escaped
    else add("p", "preview-title", c.title);
    if (c.themes && c.themes.length) {
      var more = c.themes.length > 3 ? " and " + (c.themes.length - 3) + " more" : "";
      add("p", "preview-themes", "Themes: " + c.themes.slice(0, 3).join(", ") + more);
    }
    if (c.text) add("p", "preview-text", c.text);
    if (touched) add("p", "preview-themes", "Tap the link again to open it.");
    return el;
  };

  var hide = function () {
    clearTimeout(showTimer);
    if (!card) return;
    card.remove();
    if (current) current.removeAttribute("aria-describedby");
    card = null;
    current = null;
  };

  var place = function (link) {
    var r = link.getBoundingClientRect(), w = card.offsetWidth, h = card.offsetHeight;
    var left = Math.max(8, Math.min(r.left, document.documentElement.clientWidth - w - 8));
    var below = r.bottom + 6, top = below + h > innerHeight && r.top - h - 6 > 0 ? r.top - h - 6 : below;
    card.style.left = left + scrollX + "px";
    card.style.top = top + scrollY + "px";
  };

  var showFor = function (link) {
    var c = cards[link.getAttribute("data-preview")];
    if (!c) return;
    hide();
    card = document.createElement("div");
    card.className = "preview-card";
    card.id = "gloss-preview";
    card.setAttribute("role", "tooltip");
    card.appendChild(build(c));
    card.addEventListener("mouseenter", function () { clearTimeout(hideTimer); });
    card.addEventListener("mouseleave", function () { hideTimer = setTimeout(hide, 200); });
    (document.getElementById("main") || document.body).appendChild(card);
    current = link;
    link.setAttribute("aria-describedby", "gloss-preview");
    place(link);
  };

  var here = location.pathname;
  document.querySelectorAll("main a[href]").forEach(function (a) {
    var url;
    try { url = new URL(a.href, location.href); } catch (e) { return; }
    if (url.origin !== location.origin || url.pathname === here || !cards[url.pathname]) return;
    if (a.closest(".search-dialog, .backlinks, .members, .toc")) return;
    a.setAttribute("data-preview", url.pathname);
    a.removeAttribute("title"); // the card replaces the browser's tooltip
    a.addEventListener("mouseenter", function () {
      clearTimeout(hideTimer);
      showTimer = setTimeout(function () { showFor(a); }, 200);
    });
    a.addEventListener("mouseleave", function () {
      clearTimeout(showTimer);
      hideTimer = setTimeout(hide, 250);
    });
    a.addEventListener("focus", function () { showFor(a); });
    a.addEventListener("blur", function () { if (current === a) hide(); });
    a.addEventListener("pointerdown", function (e) { touched = e.pointerType === "touch"; });
    a.addEventListener("click", function (e) {
      if (touched && current !== a) {
        e.preventDefault();
        showFor(a);
      }
    });
  });
  document.addEventListener("keydown", function (e) { if (e.key === "Escape" && card) hide(); });
  document.addEventListener("pointerdown", function (e) {
    if (card && !card.contains(e.target) && !(current && current.contains(e.target))) hide();
  });
  addEventListener("resize", hide);

  // ---- 3. Contents ----------------------------------------------------------------------
  var toc = document.getElementById("toc-details");
  if (toc) {
    if (matchMedia("(max-width: 71.99rem)").matches) toc.open = false;
    var links = {};
    toc.querySelectorAll("a[href^='#']").forEach(function (a) { links[decodeURIComponent(a.hash.slice(1))] = a; });
    if ("IntersectionObserver" in window) {
      var seen = new IntersectionObserver(function (entries) {
        entries.forEach(function (en) {
          if (!en.isIntersecting || !links[en.target.id]) return;
          Object.keys(links).forEach(function (id) { links[id].removeAttribute("aria-current"); });
          links[en.target.id].setAttribute("aria-current", "true");
        });
      }, { rootMargin: "0px 0px -70% 0px" });
      Object.keys(links).forEach(function (id) {
        var h = document.getElementById(id);
        if (h) seen.observe(h);
      });
    }
  }
})();
