// Karta's service worker: the app shell works without a connection. Pages (navigations) come
// from the network and, offline, from the last shell seen; built files (/assets/, hashed names)
// come from the cache first. The data is not cached here: the app keeps its last answers and the
// changes not yet sent on the device itself (web/src/lib/offline.ts). API, approval pages and
// the local panel always go to the network.
const CACHE = "karta-shell-v1";
const SHELL = "/";
const MANIFEST = "/.vite/manifest.json";
const NETWORK_ONLY = ["/api/", "/approve/", "/local/"];

/** The shell and every built file the manifest lists (lazy pages included), so that none is missing offline. */
async function precache() {
  const cache = await caches.open(CACHE);
  await cache.add(new Request(SHELL, { cache: "no-cache" }));
  const response = await fetch(MANIFEST, { cache: "no-cache" });
  if (!response.ok) return;
  const manifest = await response.json();
  const files = new Set();
  for (const chunk of Object.values(manifest)) {
    if (chunk.file) files.add(`/${chunk.file}`);
    for (const css of chunk.css ?? []) files.add(`/${css}`);
  }
  for (const file of files) if (!(await cache.match(file))) await cache.add(file).catch(() => undefined);
}

self.addEventListener("install", (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (NETWORK_ONLY.some((prefix) => url.pathname.startsWith(prefix))) return;

  if (request.mode === "navigate") {
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok) {
            const copy = response.clone();
            // the newest shell, and the files of a newly deployed build, for the next offline start
            event.waitUntil(caches.open(CACHE).then((cache) => cache.put(SHELL, copy)).then(() => precache().catch(() => undefined)));
          }
          return response;
        })
        .catch(async () => (await caches.match(SHELL)) ?? Response.error()),
    );
    return;
  }

  if (url.pathname.startsWith("/assets/")) {
    event.respondWith(
      caches.match(request).then(
        (hit) =>
          hit ??
          fetch(request).then((response) => {
            if (response.ok) {
              const copy = response.clone();
              event.waitUntil(caches.open(CACHE).then((cache) => cache.put(request, copy)));
            }
            return response;
          }),
      ),
    );
  }
});
