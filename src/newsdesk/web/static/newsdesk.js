// newsdesk keyboard shortcuts and in-place star/read toggles. Everything also works without it.
(function () {
  "use strict";

  var selected = -1;

  function items() { return Array.prototype.slice.call(document.querySelectorAll(".item")); }

  function select(index) {
    var list = items();
    if (!list.length) { return; }
    index = Math.max(0, Math.min(list.length - 1, index));
    if (list[selected]) { list[selected].classList.remove("is-selected"); }
    selected = index;
    var item = list[index];
    item.classList.add("is-selected");
    var link = item.querySelector("a.open");
    if (link) { link.focus({ preventScroll: true }); }
    item.scrollIntoView({ block: "nearest" });
  }

  // The article the shortcuts act on: the selected river item, or the open article page.
  function current() {
    var list = items();
    if (list[selected]) { return list[selected]; }
    return document.querySelector(".story");
  }

  function labels(form, kind, on) {
    if (kind === "star") { return on ? "Unstar" : "Star"; }
    if (form.closest(".story-item")) { return on ? "Mark unread" : "Mark story read"; }
    return on ? "Mark unread" : "Mark read";
  }

  function applyState(form, on) {
    var kind = form.getAttribute("data-kind");
    var box = form.closest(".item, .story");
    form.querySelector("input[name=value]").value = on ? "0" : "1";
    var button = form.querySelector("button");
    button.textContent = labels(form, kind, on);
    button.setAttribute("aria-pressed", on ? "true" : "false");
    if (box) { box.classList.toggle(kind === "star" ? "is-starred" : "is-read", on); }
    if (box && kind === "read") {
      var badge = box.querySelector(".unread-badge");
      if (badge) { badge.hidden = on; }
    }
  }

  function send(form) {
    var body = new URLSearchParams(new FormData(form));
    return fetch(form.action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    }).then(function (state) {
      var kind = form.getAttribute("data-kind");
      applyState(form, kind === "star" ? state.starred : state.read);
      return state;
    });
  }

  function toggle(kind) {
    var box = current();
    if (!box) { return; }
    var form = box.querySelector("form.js-toggle[data-kind=" + kind + "]");
    if (form) { send(form).catch(function () { form.submit(); }); }
  }

  function openCurrent() {
    var box = current();
    if (!box) { return; }
    var link = box.classList.contains("story") ? box.querySelector(".original a") : box.querySelector("a.open");
    if (link) { window.location.href = link.href; }
  }

  function help() {
    var dialog = document.getElementById("help");
    if (dialog && !dialog.open) { dialog.showModal(); }
  }

  function typing(target) {
    var name = target && target.tagName;
    return name === "INPUT" || name === "TEXTAREA" || name === "SELECT" || (target && target.isContentEditable);
  }

  // The list last shown (its address and its articles' links, in order), so that on an
  // article j and k go on to the next and previous one and u goes back to the list.
  var LIST_KEY = "newsdesk.list";

  function rememberList() {
    var links = items().map(function (item) {
      var link = item.querySelector("a.open");
      return link ? link.getAttribute("href") : null;
    }).filter(Boolean);
    if (!links.length) { return; }
    try {
      window.sessionStorage.setItem(LIST_KEY, JSON.stringify({
        url: window.location.pathname + window.location.search, links: links
      }));
    } catch (e) { /* storage off: the keys still work within a page */ }
  }

  function rememberedList() {
    try { return JSON.parse(window.sessionStorage.getItem(LIST_KEY)) || null; } catch (e) { return null; }
  }

  // an article's page or a story's: j, k and u move through the list it was opened from
  function onArticle() { return !items().length && document.querySelector(".story, .coverage-page"); }

  function step(by) {
    if (!onArticle()) { select(selected < 0 && by < 0 ? 0 : selected + by); return; }
    var list = rememberedList();
    if (!list) { return; }
    var index = list.links.indexOf(window.location.pathname);
    var next = list.links[index + by];
    if (index >= 0 && next) { window.location.href = next; }
  }

  function backToList() {
    if (!onArticle()) { return; }
    var list = rememberedList();
    window.location.href = list ? list.url : "/";
  }

  // The sidebar as a drawer (narrow screens): opened by the Menu button, closed by its Close
  // button, Escape, a tap beside it or focus leaving it; focus goes in and comes back.
  var drawer = document.getElementById("sidebar");
  var menu = document.querySelector("[data-action=drawer]");
  var shade = document.querySelector(".drawer-shade");
  function drawerOpen() { return !!drawer && drawer.classList.contains("is-open"); }
  function openDrawer() {
    drawer.classList.add("is-open");
    document.body.classList.add("drawer-open");
    if (shade) { shade.hidden = false; }
    menu.setAttribute("aria-expanded", "true");
    var first = drawer.querySelector("[aria-current=page]") || drawer.querySelector("a, button");
    if (first) { first.focus(); }
  }
  function closeDrawer(refocus) {
    if (!drawerOpen()) { return; }
    drawer.classList.remove("is-open");
    document.body.classList.remove("drawer-open");
    if (shade) { shade.hidden = true; }
    menu.setAttribute("aria-expanded", "false");
    if (refocus) { menu.focus(); }
  }
  if (drawer && menu) {
    menu.addEventListener("click", function () {
      if (drawerOpen()) { closeDrawer(true); } else { openDrawer(); }
    });
    document.addEventListener("click", function (event) {
      if (event.target.closest("[data-action=drawer-close]")) { closeDrawer(true); }
    });
    document.addEventListener("focusin", function (event) {
      if (drawerOpen() && !drawer.contains(event.target) && event.target !== menu) {
        closeDrawer(false);
      }
    });
  }

  document.addEventListener("keydown", function (event) {
    if (drawerOpen()) {
      if (event.key === "Escape") { closeDrawer(true); event.preventDefault(); }
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) { return; }
    var dialog = document.getElementById("help");
    if (dialog && dialog.open) { return; }
    switch (event.key) {
      case "j": step(1); break;
      case "k": step(-1); break;
      case "u": backToList(); break;
      case "o": openCurrent(); break;
      case "s": toggle("star"); break;
      case "m": toggle("read"); break;
      case "/": {
        var search = document.getElementById("q") || document.getElementById("q-top");
        if (search) { search.focus(); search.select(); }
        break;
      }
      case "?": help(); break;
      default: return;
    }
    event.preventDefault();
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { event.preventDefault(); return; }
    if (form.classList.contains("js-toggle")) {
      event.preventDefault();
      send(form).catch(function () { form.submit(); });
    }
  });

  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-action=help]");
    if (target) { help(); }
    var copy = event.target.closest("[data-copy]");
    if (copy) { copyText(copy); }
  });

  // The Copy button beside a new token: the clipboard, or the text selected for Ctrl-C.
  function copyText(button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source) { return; }
    var range = document.createRange();
    range.selectNodeContents(source);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    var done = function () { button.textContent = "Copied"; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(source.textContent).then(done, function () {});
    } else if (document.execCommand && document.execCommand("copy")) {
      done();
    }
  }

  // Times in the reader's own zone: an absolute time (data-local="full") and a list's date of
  // an older article are written again by the browser; the exact time with the publisher's
  // offset stays on hover (the title the page came with).
  var FULL = { weekday: "long", day: "numeric", month: "long", year: "numeric",
               hour: "2-digit", minute: "2-digit", timeZoneName: "short" };
  var DAY = { day: "numeric", month: "short", year: "numeric" };
  var RELATIVE = /^(just now|any moment now|in .*|.* ago)$/;

  function localTimes() {
    var times = document.querySelectorAll("time[datetime]");
    var full, day;
    try {
      full = new Intl.DateTimeFormat("en-GB", FULL);
      day = new Intl.DateTimeFormat("en-GB", DAY);
    } catch (e) { return; }
    Array.prototype.forEach.call(times, function (node) {
      var moment = new Date(node.getAttribute("datetime"));
      if (isNaN(moment.getTime())) { return; }
      var kind = node.getAttribute("data-local");
      if (kind === "full") {
        node.textContent = full.format(moment);
      } else if (!RELATIVE.test(node.textContent.trim())) {
        node.textContent = day.format(moment);
      }
    });
  }

  localTimes();
  rememberList();

  // A page that answers a form (settings, sources) shows its own address, so that a reload or
  // a bookmark asks for the page again, not the form.
  var home = document.body && document.body.getAttribute("data-url");
  if (home && window.location.pathname !== home && window.history.replaceState) {
    window.history.replaceState(null, "", home);
  }

  // Clicking an item selects it, so the keys continue from there.
  document.addEventListener("focusin", function (event) {
    var item = event.target.closest && event.target.closest(".item");
    if (!item) { return; }
    var index = items().indexOf(item);
    if (index >= 0 && index !== selected) {
      var list = items();
      if (list[selected]) { list[selected].classList.remove("is-selected"); }
      selected = index;
      item.classList.add("is-selected");
    }
  });
})();
