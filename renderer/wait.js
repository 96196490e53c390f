// Waits until the document, its images and its fonts are ready to paint, then
// returns the box of the card element in document coordinates. Runtime.evaluate
// calls it with the CSS selector of the card and awaits the promise.
async (selector) => {
  // Layout starts the loads of web fonts and CSS images.
  document.documentElement.getBoundingClientRect();

  if (document.readyState !== 'complete') {
    await new Promise((resolve) => window.addEventListener('load', resolve, { once: true }));
  }

  // After Page.setDocumentContent, readyState can read 'complete' while a
  // linked stylesheet still loads. Each sheet is awaited on its own, so the
  // card is never measured unstyled.
  await Promise.all(Array.from(document.querySelectorAll('link[rel~="stylesheet"]')).map(sheetLoaded));
  document.documentElement.getBoundingClientRect();

  // A lazy image below the first screen would never load, because the
  // viewport grows to the card only after this script.
  const images = Array.from(document.images);
  for (const image of images) {
    if (image.loading === 'lazy') {
      image.loading = 'eager';
    }
  }

  // decode() waits for the load, then for the decode, so the capture paints
  // no empty box. A broken or blocked image rejects, and is drawn broken.
  const decoded = images.map((image) => image.decode().catch(() => {}));
  for (const url of cssImageURLs()) {
    const image = new Image();
    image.src = url;
    decoded.push(image.decode().catch(() => {}));
  }
  await Promise.all(decoded);
  await document.fonts.ready;

  let card;
  try {
    card = document.querySelector(selector);
  } catch {
    return { error: 'invalid selector' };
  }
  if (!card) {
    return { error: 'no element' };
  }

  const box = card.getBoundingClientRect();
  return { x: box.left + window.scrollX, y: box.top + window.scrollY, width: box.width, height: box.height };

  // sheetLoaded resolves when a linked stylesheet has loaded or failed.
  function sheetLoaded(link) {
    if (link.sheet) {
      return null;
    }
    return new Promise((resolve) => {
      link.addEventListener('load', resolve, { once: true });
      link.addEventListener('error', resolve, { once: true });
    });
  }

  // cssImageURLs returns the URLs of the images that computed styles use, of
  // elements and of their ::before and ::after boxes. Loading them through an
  // Image shares the decoded image with the style, which the load event does
  // not always wait for.
  function cssImageURLs() {
    const urls = new Set();
    const pattern = /url\(\s*(['"]?)(.*?)\1\s*\)/g;
    const collect = (style) => {
      for (const value of [style.backgroundImage, style.borderImageSource, style.maskImage, style.listStyleImage]) {
        if (value && value !== 'none') {
          for (const match of value.matchAll(pattern)) {
            urls.add(match[2]);
          }
        }
      }
    };
    for (const element of document.querySelectorAll('*')) {
      collect(getComputedStyle(element));
      collect(getComputedStyle(element, '::before'));
      collect(getComputedStyle(element, '::after'));
    }
    return urls;
  }
}
