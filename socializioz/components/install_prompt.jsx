import { useEffect, useState } from "react";
import { Button, Card, Flex, IconButton, Text } from "@radix-ui/themes";

// assets/pwa.js keeps the browser's beforeinstallprompt event on window.__szInstallEvent and
// fires 'sz-installable' whenever it changes. We show the prompt only while that event exists,
// outside standalone mode, and until the person dismisses it once (remembered in localStorage).
const DISMISSED_KEY = "sz-install-dismissed";

function standalone() {
  return window.matchMedia("(display-mode: standalone)").matches || window.navigator.standalone === true;
}

function dismissed() {
  try { return localStorage.getItem(DISMISSED_KEY) === "1"; } catch (e) { return false; }
}

export function InstallPrompt({ title, body, installLabel, dismissLabel }) {
  const [offer, setOffer] = useState(null);

  useEffect(() => {
    const update = () => setOffer(!standalone() && !dismissed() ? window.__szInstallEvent || null : null);
    update();
    window.addEventListener("sz-installable", update);
    return () => window.removeEventListener("sz-installable", update);
  }, []);

  if (!offer) return null;

  const install = async () => {
    offer.prompt();
    try { await offer.userChoice; } catch (e) {}
    window.__szInstallEvent = null; // the browser's offer can be used once
    setOffer(null);
  };
  const dismiss = () => {
    try { localStorage.setItem(DISMISSED_KEY, "1"); } catch (e) {}
    setOffer(null);
  };

  return (
    <Card id="install-prompt" role="region" aria-label={title} className="sz-install-prompt" size="2">
      <Flex align="center" gap="3">
        <img src="/icon-192.png" alt="" width="40" height="40" style={{ borderRadius: "0.6rem", flexShrink: 0 }} />
        <Flex direction="column" gap="1" style={{ flex: 1, minWidth: 0 }}>
          <Text size="2" weight="bold">{title}</Text>
          <Text size="1" color="gray">{body}</Text>
        </Flex>
        <Button id="install-accept" onClick={install}>{installLabel}</Button>
        <IconButton id="install-dismiss" variant="ghost" color="gray" aria-label={dismissLabel} title={dismissLabel} onClick={dismiss}>
          <svg width="15" height="15" viewBox="0 0 15 15" aria-hidden="true"><path d="M3.5 3.5l8 8m0-8l-8 8" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" /></svg>
        </IconButton>
      </Flex>
    </Card>
  );
}
