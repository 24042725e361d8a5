/*
 * Service worker of the ranger field page: the page and its files come from the cache when
 * there is no signal, so a ranger can open it and queue a report on the hillside. API calls
 * always go to the network; the page keeps unsent reports in IndexedDB itself.
 */
const CACHE = 'field-v1';

async function precache() {
  const cache = await caches.open(CACHE);
  const res = await fetch('/field', { cache: 'no-cache' });
  const html = await res.clone().text();
  await cache.put('/field', res);
  const assets = [
    ...html.matchAll(/(?:src|href)="(\/(?:assets\/[^"]+|field\.webmanifest|favicon\.svg))"/g),
  ].map((m) => m[1]);
  await cache.addAll([...new Set(assets)]);
}

self.addEventListener('install', (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/socket.io')) return;
  if (event.request.mode === 'navigate' && url.pathname.startsWith('/field')) {
    // Network first (a new build shows at once), the cached page without signal.
    event.respondWith(
      fetch(event.request)
        .then((res) => {
          const copy = res.clone();
          caches.open(CACHE).then((c) => c.put('/field', copy));
          return res;
        })
        .catch(() => caches.match('/field')),
    );
    return;
  }
  if (
    url.pathname.startsWith('/assets/') ||
    url.pathname === '/field.webmanifest' ||
    url.pathname === '/favicon.svg'
  ) {
    // Hashed files never change: the cache first.
    event.respondWith(
      caches.match(event.request).then(
        (hit) =>
          hit ??
          fetch(event.request).then((res) => {
            const copy = res.clone();
            caches.open(CACHE).then((c) => c.put(event.request, copy));
            return res;
          }),
      ),
    );
  }
});
