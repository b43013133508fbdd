/* Socializioz service worker.
 *
 * Caches only the static app shell: the offline page, icons and manifest (precached), and the
 * content-hashed JS/CSS of the Reflex build under /assets/ (cached when first fetched; a hashed
 * name never changes content, so cache-first is safe). Page navigations go to the network and
 * fall back to the offline page when it can't be reached; page HTML is never stored, nor is any
 * API, auth, OAuth, sandbox, upload or websocket traffic, nor anything but same-origin GETs.
 * Bump VERSION when a precached file changes: activate deletes every other sz-* cache.
 */
const VERSION = 'v1';
const SHELL_CACHE = 'sz-shell-' + VERSION;
const STATIC_CACHE = 'sz-static-' + VERSION;
const OFFLINE_URL = '/offline.html';
const PRECACHE = [
  OFFLINE_URL,
  '/manifest.webmanifest',
  '/favicon.svg',
  '/icon-192.png',
  '/icon-512.png',
  '/icon-maskable-512.png',
  '/apple-touch-icon.png',
];
const HASHED_BUILD_FILE = /^\/assets\/[\w.-]+-[\w-]{6,}\.(?:js|css|woff2?|ttf)$/;
const NEVER_CACHED = [/^\/_event/, /^\/_upload/, /^\/auth\//, /^\/oauth\//, /^\/sandbox\//, /^\/ping\/?$/, /^\/_health/, /^\/env\.json$/, /^\/api\//];
const MAX_STATIC_ENTRIES = 400;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(SHELL_CACHE).then((cache) => cache.addAll(PRECACHE)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  const current = new Set([SHELL_CACHE, STATIC_CACHE]);
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('sz-') && !current.has(k)).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (NEVER_CACHED.some((pattern) => pattern.test(url.pathname))) return;

  if (request.mode === 'navigate') {
    // Network only: signed-in pages are per user. Offline, show the offline page instead.
    event.respondWith(fetch(request).catch(() => caches.match(OFFLINE_URL)));
    return;
  }
  if (PRECACHE.includes(url.pathname) && !url.search) {
    event.respondWith(caches.match(url.pathname).then((hit) => hit || fetch(request)));
    return;
  }
  if (HASHED_BUILD_FILE.test(url.pathname) && !url.search) {
    event.respondWith(cacheFirst(request));
  }
  // Anything else: the browser's default, untouched.
});

async function cacheFirst(request) {
  const cache = await caches.open(STATIC_CACHE);
  const hit = await cache.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok && response.type === 'basic') {
    await cache.put(request, response.clone());
    trim(cache);
  }
  return response;
}

async function trim(cache) {
  // Old builds' hashed files pile up across deploys; keep the most recent ones.
  const keys = await cache.keys();
  await Promise.all(keys.slice(0, Math.max(0, keys.length - MAX_STATIC_ENTRIES)).map((key) => cache.delete(key)));
}
