// Servio field app service worker: the app shell from a versioned cache, never the API.
// The server fills in VERSION (a hash of the shell's files) and the shell's [url, sha256]
// pairs when it serves /sw.js, so every deploy that changes the shell is a new worker,
// which waits until the page says so.
const VERSION = "__VERSION__";
const ASSETS = __ASSETS__;
const SHELL = ASSETS.map(([url]) => url);
const CACHE = `servio-shell-${VERSION}`;
const PAGE = "/field";

async function sha256(response) {
  const hash = await crypto.subtle.digest("SHA-256", await response.clone().arrayBuffer());
  return [...new Uint8Array(hash)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

// A file of this release: the copy the page just loaded when it is the right one (no second
// download), else from the server; a file of another release (a deploy in between) fails.
async function fetchAsset(url, hash) {
  const options = { credentials: "same-origin" };
  if (hash) {
    const known = await fetch(url, { ...options, cache: "force-cache" });
    if (known.ok && !known.redirected && (await sha256(known)) === hash) return known;
  }
  const fresh = await fetch(url, { ...options, cache: hash ? "reload" : "no-cache" });
  if (!fresh.ok || fresh.redirected) throw new Error(`${url}: ${fresh.status}`);
  if (hash && (await sha256(fresh)) !== hash) throw new Error(`${url}: another release`);
  return fresh;
}

// Everything or nothing: a half-filled cache (say, /field answered by the login page because
// the session ended) must never take over; the install fails and is tried again later.
self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      try {
        for (const [url, hash] of ASSETS) await cache.put(url, await fetchAsset(url, hash));
      } catch (error) {
        await caches.delete(CACHE);
        throw error;
      }
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith("servio-shell-") && name !== CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

// The page's "Reload" on the update banner.
self.addEventListener("message", (event) => {
  if (event.data === "SKIP_WAITING") self.skipWaiting();
});

// The shell cache-first (it changes only with a new worker); everything else, /api/ above
// all, goes to the network untouched.
self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/api/")) return;
  const key = url.pathname === PAGE ? PAGE : SHELL.includes(url.pathname) ? url.pathname : null;
  if (key) event.respondWith(fromShell(request, key));
});

async function fromShell(request, key) {
  const cached = await caches.match(key, { cacheName: CACHE });
  return cached || fetch(request);
}

// Background Sync (Chromium): ask an open app to send its outbox and wait for its answer;
// a failed round makes the browser try again later. With no app open, the next start sends.
self.addEventListener("sync", (event) => {
  if (event.tag !== "servio-outbox") return;
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: "window" });
      const answers = windows.map((client) => new Promise((resolve) => {
        const channel = new MessageChannel();
        const timer = setTimeout(() => resolve(false), 60000);
        channel.port1.onmessage = (message) => {
          clearTimeout(timer);
          resolve(Boolean(message.data?.ok));
        };
        client.postMessage({ type: "FLUSH" }, [channel.port2]);
      }));
      const results = await Promise.all(answers);
      if (results.length && !results.some(Boolean)) throw new Error("the outbox is not empty yet");
    })(),
  );
});

// Web Push: the server sends {title, body, url, tag, id}; show it, and tell open pages so
// their bell counts again.
self.addEventListener("push", (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = { body: event.data ? event.data.text() : "" };
  }
  event.waitUntil(
    (async () => {
      await self.registration.showNotification(data.title || "Servio", {
        body: data.body || "",
        tag: data.tag || undefined,
        icon: "/static/icons/icon-192.png",
        badge: "/static/icons/icon-192.png",
        data: { url: data.url || "/notifications", id: data.id || null },
      });
      for (const client of await self.clients.matchAll({ type: "window" })) {
        client.postMessage({ type: "NOTIFIED" });
      }
    })(),
  );
});

// A tap on the notification opens its page: an open window of the app goes there, else a
// new one. Only pages of this server are opened.
self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const wanted = new URL(event.notification.data?.url || "/notifications", self.location.origin);
  const target = wanted.origin === self.location.origin ? wanted : new URL("/notifications", self.location.origin);
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
      const same = windows.find((client) => client.url === target.href);
      if (same) return same.focus().catch(() => same);
      const ours = windows.find((client) => new URL(client.url).origin === self.location.origin);
      if (ours && "navigate" in ours) {
        const moved = await ours.navigate(target.href);
        if (moved) return moved.focus().catch(() => moved);
      }
      return self.clients.openWindow(target.href);
    })(),
  );
});
