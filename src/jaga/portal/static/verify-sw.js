/* jaga: the verify page's service worker, so that /v checks a certificate with no network at all.

   Registered by verify.js with the scope /v. At install it keeps the page and the files it needs; after
   that, the page is fetched from the network first (fresh keys, fresh form token) and from this cache
   only when the network fails; the versioned static files are served from the cache. The fragment that
   holds the certificate is never part of a request, so nothing of it is ever cached or sent. */
"use strict";
const VERSION = new URL(self.location.href).searchParams.get("v") || "0";
const CACHE = `jaga-verify-${VERSION}`;
const PAGE = "/v";
const ASSETS = ["portal.css", "verify.css", "verify.js", "favicon.svg"].map((name) => `/static/${name}?v=${VERSION}`);

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll([PAGE, ...ASSETS])).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith("jaga-verify-") && n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && url.pathname === PAGE) {
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok) {
            const copy = response.clone();
            caches.open(CACHE).then((cache) => cache.put(request, copy));
          }
          return response;
        })
        .catch(() => caches.match(request).then((hit) => hit || caches.match(PAGE))),
    );
    return;
  }
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
  }
  // Everything else (the status, the log's tiles) goes to the network, and fails offline as it should.
});
