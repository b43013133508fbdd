/* Registers the service worker and keeps the browser's install offer for the install prompt.
 * Loaded once from the document head (same origin, so it passes the Content-Security-Policy). */
(function () {
  if (window.__szPwa) return;
  window.__szPwa = true;

  if ('serviceWorker' in navigator && window.isSecureContext) {
    var register = function () { navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(function () {}); };
    if (document.readyState === 'complete') register(); else window.addEventListener('load', register);
  }

  // The browser offers installation once; keep the event so the in-app prompt can show it later
  // (components/install_prompt.jsx listens for 'sz-installable').
  window.addEventListener('beforeinstallprompt', function (event) {
    event.preventDefault();
    window.__szInstallEvent = event;
    window.dispatchEvent(new Event('sz-installable'));
  });
  window.addEventListener('appinstalled', function () {
    window.__szInstallEvent = null;
    window.dispatchEvent(new Event('sz-installable'));
  });
})();
