import { useEffect, useRef } from "react";

// Calls `onTick` every `everyMs` while the tab is visible (a hidden tab catches up when it is
// shown again: the page's own focus and visibility reloads do that).
export function Ticker({ everyMs, onTick }) {
  const tick = useRef(onTick);
  tick.current = onTick;
  useEffect(() => {
    const id = setInterval(() => {
      if (document.visibilityState === "visible" && tick.current) tick.current();
    }, everyMs);
    return () => clearInterval(id);
  }, [everyMs]);
  return null;
}
