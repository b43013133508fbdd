import { useEffect, useRef } from "react";
import { driver } from "driver.js";
import "driver.js/dist/driver.css";

// Runs driver.js once when `run` turns true; `onFinish` fires when the person ends or skips it.
// Leaving the page mid-tour (the bottom bar, a link) removes its overlay without marking it done.
export function GuidedTour({ run, steps, nextLabel, prevLabel, doneLabel, onFinish }) {
  const finished = useRef(onFinish);
  finished.current = onFinish;
  useEffect(() => {
    if (!run) return undefined;
    const visible = (steps || []).filter((step) => {
      const el = document.querySelector(step.element);
      return el && el.getClientRects().length > 0;
    });
    if (visible.length === 0) return undefined;
    const tour = driver({
      steps: visible,
      showProgress: true,
      allowClose: true,
      nextBtnText: nextLabel,
      prevBtnText: prevLabel,
      doneBtnText: doneLabel,
      // Every ending a person causes (×, Escape, the overlay, Done) passes through
      // onDestroyStarted. onDestroyed is not enough: driver.js skips it when the popover is
      // closed before its 400 ms opening animation ends (or while the tab is hidden).
      onDestroyStarted: () => {
        if (finished.current) finished.current();
        tour.destroy();
      },
    });
    const timer = setTimeout(() => tour.drive(), 400);
    return () => {
      clearTimeout(timer);
      if (tour.isActive()) tour.destroy(); // leaving the page: destroy() skips onDestroyStarted
    };
  }, [run]);
  return null;
}
