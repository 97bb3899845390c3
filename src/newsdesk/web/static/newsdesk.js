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

  function labels(kind, on) {
    if (kind === "star") { return on ? "Unstar" : "Star"; }
    return on ? "Mark unread" : "Mark read";
  }

  function applyState(form, on) {
    var kind = form.getAttribute("data-kind");
    var box = form.closest(".item, .story");
    form.querySelector("input[name=value]").value = on ? "0" : "1";
    var button = form.querySelector("button");
    button.textContent = labels(kind, on);
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

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) { return; }
    var dialog = document.getElementById("help");
    if (dialog && dialog.open) { return; }
    switch (event.key) {
      case "j": select(selected + 1); break;
      case "k": select(selected < 0 ? 0 : selected - 1); break;
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
  });

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
