// Staffgate's service worker: keeps the app shell and the clock check usable offline.
//
// Registered as /sw.js?build=<id>, where the id is a hash of every file below and of this
// worker (server/src/http/build_id.rs), so a new build installs a new worker, fills a new cache
// and deletes the old one.
//
// Online, everything comes from the network, checked with the server (`no-cache`), so a page
// of a new build never runs with the script or WebAssembly of an old one, even while the old
// worker is still in charge. The cache is only the fallback for when the network fails. Server
// functions and the time endpoint (/api/...) are never cached: offline they fail, and the
// pages say so instead of pretending to work.

const BUILD = new URL(self.location.href).searchParams.get("build") || "unversioned";
const CACHE = `staffgate-${BUILD}`;
// The build id in server/src/http/build_id.rs hashes every file of this list (a unit test
// there reads it): keep the two in step.
const SHELL = [
  "/clock",
  "/login",
  "/offline.html",
  "/pkg/staffgate.js",
  "/pkg/staffgate.wasm",
  "/pkg/staffgate.css",
  "/manifest.webmanifest",
  "/icon.svg",
];
// Pages that are served from the cache when the network is down.
const OFFLINE_PAGES = new Set(["/clock", "/login"]);

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      // Fetched without cookies: the cached pages are what a signed-out visitor sees.
      const requests = SHELL.map((url) => new Request(url, { credentials: "omit", cache: "reload" }));
      await cache.addAll(requests);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith("staffgate-") && name !== CACHE) {
          await caches.delete(name);
        }
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/api/")) return;
  if (request.mode === "navigate") {
    event.respondWith(pageFromNetworkFirst(request, url));
  } else if (SHELL.includes(url.pathname)) {
    event.respondWith(fileFromNetworkFirst(request, url));
  }
});

async function pageFromNetworkFirst(request, url) {
  try {
    return await fetch(request);
  } catch (offline) {
    const cache = await caches.open(CACHE);
    if (OFFLINE_PAGES.has(url.pathname)) {
      const page = await cache.match(url.pathname);
      if (page) return page;
    }
    return (await cache.match("/offline.html")) || Response.error();
  }
}

// The cache keeps the files of this worker's build as installed: a response from the network
// may already belong to a newer build (whose own worker caches it), and the cached pages must
// go with the cached script and WebAssembly.
async function fileFromNetworkFirst(request, url) {
  try {
    return await fetch(request, { cache: "no-cache" });
  } catch (offline) {
    const cache = await caches.open(CACHE);
    return (await cache.match(url.pathname)) || Response.error();
  }
}
