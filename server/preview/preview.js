// Scripts of the preview pages: live reload, the rendered image, the height
// of the page frame, the zoom and the parameter form.
'use strict';

(() => {
  const body = document.body;
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  // watch requests the version of what the page shows. The server keeps the
  // request open until the version changes, and then the page reloads. Outside
  // development mode the server replies live: false and watching stops.
  async function watch(url, version) {
    for (;;) {
      try {
        const res = await fetch(`${url}?since=${encodeURIComponent(version)}`, { cache: 'no-store' });
        const state = await res.json();
        if (!state.live) {
          return;
        }
        if (state.version !== version) {
          location.reload();
          return;
        }
      } catch {
        await sleep(1000);
      }
    }
  }

  // loadImage fetches the rendered card, so that an error shows as text
  // instead of a broken image.
  async function loadImage() {
    const img = document.getElementById('image');
    if (!img) {
      return;
    }
    const info = document.getElementById('image-info');
    const errorBox = document.getElementById('image-error');
    body.dataset.image = 'loading';
    info.textContent = 'rendering…';
    try {
      const res = await fetch(img.dataset.src, { cache: 'no-store' });
      if (!res.ok) {
        const reply = await res.json().catch(() => ({ error: `${res.status} ${res.statusText}` }));
        errorBox.textContent = reply.error;
        errorBox.hidden = false;
        img.hidden = true;
        info.textContent = 'failed';
        body.dataset.image = 'error';
        return;
      }
      const blob = await res.blob();
      img.src = URL.createObjectURL(blob);
      await img.decode();
      info.textContent = `${res.headers.get('X-Image-Size')} px · ${Math.round(blob.size / 1024)} KiB · ${res.headers.get('X-Render-Time')}`;
      body.dataset.image = 'ready';
    } catch (err) {
      errorBox.textContent = String(err);
      errorBox.hidden = false;
      body.dataset.image = 'error';
    }
  }

  // fitFrame makes the frame as tall as the filled page, which is on the
  // same origin.
  function fitFrame() {
    const frame = document.getElementById('page');
    if (!frame) {
      return;
    }
    // The document of a frame is at least as tall as the frame, so the
    // frame shrinks to 1 px before the height is measured.
    const fit = () => {
      const doc = frame.contentDocument;
      if (doc && doc.documentElement) {
        frame.style.height = '1px';
        frame.style.height = `${doc.documentElement.scrollHeight}px`;
      }
      body.dataset.page = 'ready';
    };
    frame.addEventListener('load', fit);
    if (frame.contentDocument && frame.contentDocument.readyState === 'complete') {
      fit();
    }
  }

  // setUpZoom scales both panes. "fit" makes the two cards fit side by
  // side in the window, at most at their own size.
  function setUpZoom() {
    const select = document.getElementById('zoom');
    const panes = document.querySelector('.panes');
    if (!select || !panes) {
      return;
    }
    const apply = () => {
      let zoom = Number(select.value);
      if (select.value === 'fit') {
        const width = Number(panes.dataset.width) || 1;
        zoom = Math.min(1, Math.max(0.1, (panes.clientWidth - 40) / (2 * width)));
      }
      document.documentElement.style.setProperty('--zoom', String(zoom));
    };
    select.value = localStorage.getItem('igs-preview-zoom') || 'fit';
    apply();
    select.addEventListener('change', () => {
      localStorage.setItem('igs-preview-zoom', select.value);
      apply();
    });
    window.addEventListener('resize', apply);
  }

  // Every change of a select renders again; text inputs wait for Enter or
  // the button.
  function setUpForm() {
    const form = document.getElementById('params');
    if (!form) {
      return;
    }
    for (const select of form.querySelectorAll('select')) {
      select.addEventListener('change', () => form.requestSubmit());
    }
  }

  setUpZoom();
  setUpForm();
  fitFrame();
  loadImage();
  if (body.dataset.live === 'true') {
    watch(body.dataset.watch, body.dataset.version);
  }
})();
