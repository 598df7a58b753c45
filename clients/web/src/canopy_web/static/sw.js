// Canopy's service worker: drop-ins recorded without a connection are kept on the device and sent
// when it returns. Served at /sw.js (scope: the whole site) by pages/observations/, which puts
// the static files' version in VERSION.
//
// What it does, and nothing else:
// - a drop-in form's POST (/observations/new) that fails for want of a network (or that the
//   gateway answers 502 to 504) is kept in IndexedDB as sent (URL and form body, with its CSRF
//   token and Idempotency-Key), and answered with a page saying so;
// - kept drop-ins are replayed when the page says the connection is back (postMessage), on
//   Background Sync where the browser has it, and on the next page load. A replay is the same
//   request: the same Idempotency-Key, so one that had reached the server makes no second record;
// - the few static files those pages need are cached, so the "saved" page is styled offline.
// The replay sends the stored CSRF token, so a kept drop-in is only ever sent within the session it
// was written in; when that session has ended, it waits for its author to send it again by hand.
"use strict";

var VERSION = "__APP_VERSION__";
var CACHE = "canopy-static-" + VERSION;
var ASSETS = ["/static/app.css?v=" + VERSION, "/static/app.js?v=" + VERSION,
  "/static/observations.js?v=" + VERSION, "/static/htmx-2.0.8.min.js", "/static/favicon.svg"];
var DROP_IN_PATH = "/observations/new";
var REPLAY_HEADER = "X-Offline-Replay";
var DB_NAME = "canopy-offline";
var STORE = "drop-ins";
var SYNC_TAG = "canopy-drop-ins";
// The same policy as the server's pages (security.py): the "saved" page is answered from here.
var CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
  "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

self.addEventListener("install", function (event) {
  self.skipWaiting();
  // A missing file must not stop the worker installing: the queue matters more than the styling.
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(ASSETS); }).catch(function () {}));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("canopy-static-") === 0 && name !== CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

// ---- the queue (IndexedDB) -----------------------------------------------------------------------

function openDb() {
  return new Promise(function (resolve, reject) {
    var request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = function () { request.result.createObjectStore(STORE, { keyPath: "key" }); };
    request.onsuccess = function () { resolve(request.result); };
    request.onerror = function () { reject(request.error); };
  });
}

function withStore(mode, work) {
  return openDb().then(function (db) {
    return new Promise(function (resolve, reject) {
      var tx = db.transaction(STORE, mode);
      var result = work(tx.objectStore(STORE));
      tx.oncomplete = function () { db.close(); resolve(result && "result" in result ? result.result : result); };
      tx.onerror = function () { db.close(); reject(tx.error); };
    });
  });
}

function allItems() { return withStore("readonly", function (store) { return store.getAll(); }); }
function putItem(item) { return withStore("readwrite", function (store) { store.put(item); }); }
function removeItem(key) { return withStore("readwrite", function (store) { store.delete(key); }); }
function getItem(key) { return withStore("readonly", function (store) { return store.get(key); }); }

function fieldOf(body, name) {
  return new URLSearchParams(body).get(name) || "";
}

// Kept under its Idempotency-Key: the same drop-in sent twice while offline is kept once.
function keep(url, body) {
  var key = fieldOf(body, "idempotency_key") || String(Date.now());
  var item = { key: key, url: url, body: body, owner: fieldOf(body, "owner"),
    summary: fieldOf(body, "summary") || "A drop-in", saved_at: new Date().toISOString(),
    state: "waiting", message: "" };
  return putItem(item).then(function () {
    if (self.registration.sync) {
      return self.registration.sync.register(SYNC_TAG).catch(function () {});
    }
  }).then(function () { return item; });
}

function waitingFor(owner) {
  return allItems().then(function (items) {
    return items.filter(function (item) { return !owner || item.owner === owner; });
  });
}

// ---- replay ----------------------------------------------------------------------------------------

var replaying = null;

// One replay at a time in this worker; replays by the page, by sync and by a page load that overlap
// join the one under way (a second at once would be harmless too: the key makes one record).
function replayAll() {
  if (replaying) { return replaying; }
  replaying = replayItems().then(function (outcome) {
    replaying = null;
    return outcome;
  }, function (error) {
    replaying = null;
    throw error;
  });
  return replaying;
}

function replayItems() {
  var sent = [];
  var offline = false;
  return allItems().then(function (items) {
    var chain = Promise.resolve();
    items.forEach(function (item) {
      chain = chain.then(function () {
        if (offline || (item.state !== "waiting" && item.state !== "signed_out")) { return; }
        return sendOne(item).then(function (result) {
          if (result === "offline") { offline = true; }
          if (result && result.url) { sent.push({ summary: item.summary, url: result.url, owner: item.owner }); }
        });
      });
    });
    return chain;
  }).then(function () {
    return tell({ type: "queue-changed", sent: sent });
  }).then(function () {
    return { sent: sent.length, offline: offline };
  });
}

function sendOne(item) {
  var headers = { "Content-Type": "application/x-www-form-urlencoded" };
  headers[REPLAY_HEADER] = "1";
  return fetch(item.url, { method: "POST", body: item.body, headers: headers, credentials: "same-origin",
    redirect: "follow" }).then(function (response) {
    if (response.status === 201) {
      return response.json().then(function (created) {
        return removeItem(item.key).then(function () { return { url: created.url }; });
      });
    }
    if (response.redirected && new URL(response.url).pathname === "/sign-in") {
      return update(item, "signed_out", "You were signed out before it could be sent. Sign in, then send it.");
    }
    if (response.status === 400) {
      // The CSRF token kept with it belongs to a session that has ended.
      return update(item, "expired", "Your sign-in ended before it could be sent. Send it now, or open it to check it.");
    }
    if (response.status >= 500 || response.status === 429) { return "offline"; }  // try again later
    return response.json().catch(function () { return {}; }).then(function (answer) {
      var reasons = Object.keys(answer.errors || {}).map(function (name) {
        return answer.errors[name].join("; ");
      });
      return update(item, "refused", (answer.message || "It was not accepted.") +
        (reasons.length ? " (" + reasons.join("; ") + ")" : ""));
    });
  }, function () { return "offline"; });
}

function update(item, state, message) {
  item.state = state;
  item.message = message;
  return putItem(item);
}

function tell(message) {
  return self.clients.matchAll({ includeUncontrolled: true, type: "window" }).then(function (clients) {
    clients.forEach(function (client) { client.postMessage(message); });
  });
}

self.addEventListener("sync", function (event) {
  if (event.tag === SYNC_TAG) {
    event.waitUntil(replayAll().then(function (outcome) {
      if (outcome.offline) { throw new Error("still offline"); }  // the browser tries again later
    }));
  }
});

self.addEventListener("message", function (event) {
  var data = event.data || {};
  var port = event.ports && event.ports[0];
  var answer = function (value) { if (port) { port.postMessage(value); } };
  if (data.type === "replay") {
    event.waitUntil(replayAll().then(answer, function () { answer({ sent: 0, offline: true }); }));
  } else if (data.type === "queue") {
    event.waitUntil(waitingFor(data.owner).then(function (items) {
      answer({ items: items.map(function (item) {
        return { key: item.key, summary: item.summary, saved_at: item.saved_at, state: item.state, message: item.message };
      }) });
    }));
  } else if (data.type === "take") {
    // Its author sends it again by hand (a new session, or to correct it): it leaves the queue and
    // goes back on the page; were the connection to drop again, it would be kept again.
    event.waitUntil(getItem(data.key).then(function (item) {
      if (!item || item.owner !== data.owner) { answer({ item: null }); return; }
      return removeItem(item.key).then(function () { answer({ item: { url: item.url, body: item.body } }); });
    }));
  }
});

// ---- fetch -----------------------------------------------------------------------------------------

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.method === "POST" && url.pathname === DROP_IN_PATH && !request.headers.get(REPLAY_HEADER)) {
    event.respondWith(sendOrKeep(request));
    return;
  }
  if (request.method !== "GET") { return; }
  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(fetch(request).then(function (response) {
      if (response.ok && ASSETS.indexOf(url.pathname + url.search) >= 0) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
      }
      return response;
    }, function () {
      return caches.match(request).then(function (found) { return found || Response.error(); });
    }));
    return;
  }
  if (request.mode === "navigate") {
    // A page loaded: the connection is there, so whatever is waiting is sent now.
    event.waitUntil(replayAll().catch(function () {}));
  }
});

// Sent on, or kept when there is no network, or when the gateway answers that the platform cannot
// be reached just now (502 to 504): either way nothing was recorded, and a replay later is safe.
function sendOrKeep(request) {
  var copy = request.clone();
  var keepIt = function () {
    return copy.text().then(function (body) {
      return keep(request.url, body);
    }).then(function (item) {
      return waitingFor(item.owner);
    }).then(function (items) {
      return savedPage(items);
    });
  };
  return fetch(request).then(function (response) {
    return response.status >= 502 && response.status <= 504 ? keepIt() : response;
  }, keepIt);
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, function (c) {
    return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
  });
}

function countText(count) {
  return count === 1 ? "1 drop-in waiting to be sent" : count + " drop-ins waiting to be sent";
}

function savedPage(items) {
  var owner = items.length ? items[0].owner : "";
  var list = items.map(function (item) {
    return "<li>" + escapeHtml(item.summary) + "</li>";
  }).join("");
  var html = "<!doctype html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\">" +
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" +
    "<meta name=\"offline-queue\" content=\"" + escapeHtml(owner) + "\">" +
    "<title>Saved on this device – Canopy</title>" +
    "<link rel=\"icon\" href=\"/static/favicon.svg\" type=\"image/svg+xml\">" +
    "<link rel=\"stylesheet\" href=\"/static/app.css?v=" + VERSION + "\">" +
    "<script src=\"/static/app.js?v=" + VERSION + "\" defer></script>" +
    "<script src=\"/static/observations.js?v=" + VERSION + "\" defer></script></head><body>" +
    "<header class=\"site\"><div class=\"bar\"><a class=\"brand\" href=\"/\">Canopy</a></div></header>" +
    "<main id=\"content\" tabindex=\"-1\"><h1>Saved on this device</h1>" +
    "<p class=\"notice\" role=\"status\" data-saved-offline>Saved on this device, it will be sent when you are back online.</p>" +
    "<p>Keep this phone or tablet: the drop-in is on it until it is sent. You need not stay on this page.</p>" +
    "<section class=\"offline-queue\" data-offline-queue aria-labelledby=\"offline-queue-title\">" +
    "<h2 id=\"offline-queue-title\">Waiting on this device</h2>" +
    "<p class=\"queue-count\" data-queue-count role=\"status\">" + countText(items.length) + "</p>" +
    "<ul class=\"queue-list\" data-queue-list>" + list + "</ul></section>" +
    "<div class=\"queue-sent\" data-queue-sent aria-live=\"polite\"></div>" +
    "<p class=\"actions\"><a class=\"button\" href=\"" + DROP_IN_PATH + "\">Record another drop-in</a>" +
    "<a href=\"/observations/made\">Observations I made</a></p></main></body></html>";
  return new Response(html, { status: 200, headers: { "Content-Type": "text/html; charset=utf-8",
    "Cache-Control": "no-store", "Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff" } });
}
