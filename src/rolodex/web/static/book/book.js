// The address book's progressive enhancements. Everything works without this file:
// it adds search as you type, "/" to search, arrow keys in the list, more rows
// without a reload, rows added and removed in the edit form, and the undo timer.
(function () {
  "use strict";

  function people() {
    return Array.prototype.slice.call(document.querySelectorAll(".person-link"));
  }

  // "/" focuses the search box (unless typing somewhere already); arrows move in the list.
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" ||
      target.tagName === "SELECT" || target.isContentEditable);
    if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
      var search = document.getElementById("q");
      if (search) {
        event.preventDefault();
        search.focus();
        search.select();
      }
      return;
    }
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    var links = people();
    if (!links.length) return;
    var inSearch = target && target.id === "q";
    var index = links.indexOf(target);
    if (index === -1 && !inSearch) return;
    event.preventDefault();
    var next = index === -1 ? 0 : index + (event.key === "ArrowDown" ? 1 : -1);
    if (next < 0) {
      var box = document.getElementById("q");
      if (box) box.focus();
      return;
    }
    links[Math.min(next, links.length - 1)].focus();
  });

  // Search as you type: fetch the results part of the page and swap it in.
  var form = document.getElementById("book-search");
  var results = document.getElementById("results");
  var timer = null;
  var pending = null;

  function query() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) {
      if (value !== "") params.append(key, value);
    });
    return params;
  }

  function load(params, append) {
    params.set("fragment", "1");
    if (pending) pending.abort();
    pending = new AbortController();
    return fetch("/book?" + params.toString(), {
      credentials: "same-origin", signal: pending.signal
    }).then(function (response) {
      return response.text();
    }).then(function (html) {
      var holder = document.createElement("div");
      holder.innerHTML = html;
      if (!append) {
        results.innerHTML = html;
      } else {
        var list = document.getElementById("people");
        var more = results.querySelector(".more");
        if (more) more.remove();
        holder.querySelectorAll(".person").forEach(function (row) { list.appendChild(row); });
        var newMore = holder.querySelector(".more");
        if (newMore) results.appendChild(newMore);
      }
      params.delete("fragment");
      if (!append) {
        var shown = params.toString();
        history.replaceState(null, "", "/book" + (shown ? "?" + shown : ""));
      }
    }).catch(function () { /* aborted or offline: the plain form still works */ });
  }

  if (form && results) {
    var box = document.getElementById("q");
    box.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { load(query(), false); }, 200);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearTimeout(timer);
      load(query(), false);
    });
    form.querySelectorAll("[data-autosubmit-field]").forEach(function (field) {
      field.addEventListener("change", function () { load(query(), false); });
    });
    results.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("[data-more]");
      if (!link) return;
      event.preventDefault();
      more(link);
    });

    // Infinite scroll: when the "More contacts" link comes near the screen, the next
    // page is appended (one request at a time); the link itself stays for keyboards.
    var loadingMore = false;
    var watcher = null;
    function more(link) {
      if (loadingMore) return;
      loadingMore = true;
      link.textContent = "Loading more…";
      var url = new URL(link.href, location.href);
      load(url.searchParams, true).then(function () {
        loadingMore = false;
        watchMore();
      });
    }
    function watchMore() {
      if (!watcher) return;
      watcher.disconnect();
      var link = results.querySelector("[data-more]");
      if (link) watcher.observe(link);
    }
    if ("IntersectionObserver" in window) {
      watcher = new IntersectionObserver(function (entries) {
        entries.forEach(function (entry) {
          if (entry.isIntersecting) more(entry.target);
        });
      }, { rootMargin: "600px 0px" });
      watchMore();
      new MutationObserver(function () {
        if (!loadingMore) watchMore();
      }).observe(results, { childList: true });
    }
  }

  // Ticking a contact opens the "tag the ticked contacts" bar.
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box || box.name !== "ids" || !box.checked) return;
    var wrap = document.getElementById("bulk-wrap");
    if (wrap) wrap.open = true;
  });

  // The book switcher opens the chosen book at once.
  document.querySelectorAll("form[data-autosubmit] select").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });

  // Undo: count down, then hide the banner when the window has passed.
  var undo = document.querySelector(".undo[data-undo-seconds]");
  if (undo) {
    var left = parseInt(undo.getAttribute("data-undo-seconds"), 10);
    var note = undo.querySelector(".undo-time");
    var tick = setInterval(function () {
      left -= 1;
      if (note) note.textContent = "You can undo for " + left + " more second" + (left === 1 ? "" : "s") + ".";
      if (left <= 0) {
        clearInterval(tick);
        undo.hidden = true;
      }
    }, 1000);
  }

  // The edit form: add a row by copying an empty one, remove a row at once.
  document.querySelectorAll("fieldset.repeat").forEach(function (fieldset) {
    var rows = fieldset.querySelector(".rows");
    var add = fieldset.querySelector(".add-row");
    var key = fieldset.getAttribute("data-list");
    var counter = 1000;

    function enhance(row) {
      var box = row.querySelector(".remove input[type=checkbox]");
      if (!box) return;
      var label = box.parentNode;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "link remove-row";
      button.textContent = label.textContent.trim();
      button.addEventListener("click", function () {
        var focusTo = add;
        row.remove();
        focusTo.focus();
      });
      label.hidden = true;
      label.parentNode.appendChild(button);
    }

    rows.querySelectorAll(".row").forEach(enhance);
    if (!add) return;
    add.addEventListener("click", function (event) {
      event.preventDefault();
      var template = document.getElementById("row-template-" + key);
      if (!template) return;
      counter += 1;
      var html = template.innerHTML.split("__i__").join(String(counter));
      var holder = document.createElement("div");
      holder.innerHTML = html.trim();
      var row = holder.firstElementChild;
      rows.appendChild(row);
      enhance(row);
      var first = row.querySelector("input:not([type=hidden]):not([type=checkbox])");
      if (first) first.focus();
    });
  });
})();
