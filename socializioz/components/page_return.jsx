import { useEffect, useRef } from "react";

// Calls `onReturn` when the browser shows this page again from its back-forward cache (Safari does
// this when a person comes back from the platform's consent page or the app switcher): the page's
// JavaScript did not reload, so what it shows must be read again.
export function PageReturn({ onReturn }) {
  const back = useRef(onReturn);
  back.current = onReturn;
  useEffect(() => {
    const shown = (event) => {
      if (event.persisted && back.current) back.current();
    };
    window.addEventListener("pageshow", shown);
    return () => window.removeEventListener("pageshow", shown);
  }, []);
  return null;
}
