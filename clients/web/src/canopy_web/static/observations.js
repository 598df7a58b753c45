// Observations' pages: the drop-in form (its action steps, a summary for the device's queue) and
// the drop-ins kept on this device by the service worker (static/sw.js): how many wait, sending
// them when the connection is back, and giving one back to its author to send by hand.
(function () {
  "use strict";

  document.documentElement.classList.add("js");
  var meta = document.querySelector('meta[name="offline-queue"]');
  var owner = meta ? meta.content : "";

  function ready(fn) {
    if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", fn); } else { fn(); }
  }

  // ---- the drop-in form ---------------------------------------------------------------------------

  function chosenText(select) {
    if (!select || select.selectedIndex < 0 || !select.value) { return ""; }
    return select.options[select.selectedIndex].text;
  }

  // A line the device's queue shows for this drop-in, should it have to be kept there.
  function summarise(form) {
    var field = form.querySelector("[data-summary]");
    if (!field) { return; }
    var teacher = chosenText(form.querySelector("[data-teacher]")) || "a teacher";
    var chosenForm = chosenText(document.querySelector("[data-form-choice]"));
    var day = form.querySelector('[name="observed_on"]');
    field.value = "Drop-in for " + teacher + (chosenForm ? " · " + chosenForm : "") + (day && day.value ? " · " + day.value : "");
  }

  // Action steps: one row shows, "Add another step" opens the next (without JavaScript all show).
  function setUpSteps(form) {
    var rows = Array.prototype.slice.call(form.querySelectorAll("[data-step-row]"));
    var button = form.querySelector("[data-add-step]");
    if (!button || rows.length < 2) { return; }
    var isEmpty = function (row) {
      return Array.prototype.every.call(row.querySelectorAll("input, textarea"), function (el) { return !el.value; }) &&
        !row.querySelector(".field-error");
    };
    rows.slice(1).forEach(function (row) { if (isEmpty(row)) { row.hidden = true; } });
    var update = function () { button.hidden = rows.every(function (row) { return !row.hidden; }); };
    button.addEventListener("click", function () {
      var next = rows.filter(function (row) { return row.hidden; })[0];
      if (next) {
        next.hidden = false;
        var first = next.querySelector("textarea, input");
        if (first) { first.focus(); }
      }
      update();
    });
    update();
  }

  document.addEventListener("submit", function (event) {
    if (event.target.matches && event.target.matches("[data-drop-in]")) { summarise(event.target); }
  }, true);

  // ---- the device's queue ---------------------------------------------------------------------------

  function worker() {
    if (!("serviceWorker" in navigator)) { return Promise.reject(new Error("no service worker")); }
    return navigator.serviceWorker.ready.then(function (registration) { return registration.active; });
  }

  function ask(message) {
    return worker().then(function (active) {
      return new Promise(function (resolve) {
        var channel = new MessageChannel();
        channel.port1.onmessage = function (event) { resolve(event.data); };
        active.postMessage(message, [channel.port2]);
      });
    });
  }

  function countText(count) {
    return count === 1 ? "1 drop-in waiting to be sent" : count + " drop-ins waiting to be sent";
  }

  function showQueue(items) {
    var panel = document.querySelector("[data-offline-queue]");
    if (!panel) { return; }
    var list = panel.querySelector("[data-queue-list]");
    var count = panel.querySelector("[data-queue-count]");
    panel.hidden = items.length === 0;
    count.textContent = countText(items.length);
    list.textContent = "";
    var canSend = !!document.querySelector('meta[name="csrf-token"]');
    items.forEach(function (item) {
      var li = document.createElement("li");
      var title = document.createElement("span");
      title.className = "queue-summary";
      title.textContent = item.summary;
      li.appendChild(title);
      var note = document.createElement("span");
      note.className = "queue-state";
      note.textContent = item.message || (item.state === "waiting" ? "Waiting for the connection." : "");
      li.appendChild(note);
      if (item.state !== "waiting" && canSend) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "secondary";
        button.dataset.sendKept = item.key;
        button.textContent = item.state === "refused" ? "Open it to correct it" : "Send it now";
        li.appendChild(button);
      }
      list.appendChild(li);
    });
  }

  function showSent(sent) {
    var box = document.querySelector("[data-queue-sent]");
    var mine = (sent || []).filter(function (item) { return item.owner === owner; });
    if (!box || !mine.length) { return; }
    mine.forEach(function (item) {
      var p = document.createElement("p");
      p.className = "notice";
      p.appendChild(document.createTextNode("Sent from this device: "));
      var link = document.createElement("a");
      link.href = item.url;
      link.textContent = item.summary;
      p.appendChild(link);
      box.appendChild(p);
    });
  }

  function refresh() {
    if (!owner) { return Promise.resolve(); }
    return ask({ type: "queue", owner: owner }).then(function (answer) { showQueue(answer.items || []); }, function () {});
  }

  function replay() {
    if (!owner || !navigator.onLine) { return; }
    ask({ type: "replay" }).then(refresh, function () {});
  }

  // A kept drop-in sent by its author: posted as the form it was, with this page's CSRF token
  // (its own belonged to a session that ended) and the same Idempotency-Key.
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-send-kept]") : null;
    if (!button) { return; }
    var token = document.querySelector('meta[name="csrf-token"]');
    ask({ type: "take", key: button.dataset.sendKept, owner: owner }).then(function (answer) {
      if (!answer.item) { refresh(); return; }
      var form = document.createElement("form");
      form.method = "post";
      form.action = answer.item.url;
      new URLSearchParams(answer.item.body).forEach(function (value, name) {
        var input = document.createElement("input");
        input.type = "hidden";
        input.name = name;
        input.value = name === "csrf_token" && token ? token.content : value;
        form.appendChild(input);
      });
      document.body.appendChild(form);
      form.submit();
    });
  });

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.addEventListener("message", function (event) {
      var data = event.data || {};
      if (data.type === "queue-changed") {
        showSent(data.sent);
        refresh();
      }
    });
  }
  window.addEventListener("online", replay);

  ready(function () {
    var form = document.querySelector("[data-drop-in]");
    if (form) { setUpSteps(form); }
    if (!("serviceWorker" in navigator) || !owner) { return; }
    navigator.serviceWorker.ready.then(function () {
      var note = document.querySelector("[data-offline-ready]");
      if (note) { note.hidden = false; }
      document.documentElement.dataset.offlineReady = "yes";
      refresh().then(replay);
    });
  });
})();
