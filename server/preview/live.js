// Reloads a filled card page opened on its own when a file of its style
// changes. Inside the preview page the outer page reloads instead.
'use strict';

(() => {
  const script = document.currentScript;
  if (!script || window.top !== window) {
    return;
  }
  const { style, version } = script.dataset;

  (async () => {
    for (;;) {
      try {
        const res = await fetch(`/preview/${style}/version?since=${encodeURIComponent(version)}`, { cache: 'no-store' });
        const state = await res.json();
        if (!state.live) {
          return;
        }
        if (state.version !== version) {
          location.reload();
          return;
        }
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  })();
})();
