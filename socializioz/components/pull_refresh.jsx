import PullToRefresh from "react-simple-pull-to-refresh";

// The library wants a Promise; Reflex events are fire-and-forget, so resolve after a short pause.
export function PullRefresh({ onRefresh, children }) {
  const refresh = () => {
    if (onRefresh) onRefresh();
    return new Promise((resolve) => setTimeout(resolve, 700));
  };
  return (
    <PullToRefresh onRefresh={refresh} pullingContent="" resistance={2}>
      {children}
    </PullToRefresh>
  );
}
