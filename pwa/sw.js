// Servio field app service worker: the app shell from a versioned cache, never the API.
const VERSION = "__VERSION__";
const SHELL = __ASSETS__;
const CACHE = `servio-shell-${VERSION}`;

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      for (const url of SHELL) {
        const response = await fetch(url, { credentials: "same-origin", cache: "no-cache" });
        if (response.ok && !response.redirected) await cache.put(url, response);
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

self.addEventListener("message", (event) => {
  if (event.data === "SKIP_WAITING") self.skipWaiting();
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/api/")) return;
  if (url.pathname === "/field") {
    event.respondWith(networkFirst(request, "/field"));
  } else if (SHELL.includes(url.pathname)) {
    event.respondWith(cacheFirst(request, url.pathname));
  }
});

async function networkFirst(request, key) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok && !response.redirected) await cache.put(key, response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match(key);
    if (cached) return cached;
    throw error;
  }
}

async function cacheFirst(request, key) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(key);
  return cached || fetch(request);
}

// Background Sync: wake an open app to send its outbox.
self.addEventListener("sync", (event) => {
  if (event.tag !== "servio-outbox") return;
  event.waitUntil(
    (async () => {
      for (const client of await self.clients.matchAll({ type: "window" })) {
        client.postMessage("FLUSH");
      }
    })(),
  );
});
