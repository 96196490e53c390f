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
  // Elements with the same URL share one decoded image, so one decode() per
  // URL is enough. Cards repeat the same icons many times, and each call
  // queues a request in the compositor.
  //
  // A loaded image under 1 MiB decoded needs no decode() call, because
  // Chrome decodes it while it rasters. Only larger images may be drawn
  // without their pixels until an asynchronous decode ends (checker-imaging).
  // Skipping the small ones cut this wait from 23-25 to 17-19 ms for fancy
  // (go run ./bench -styles fancy,egenshin -requests 30, 2 cores).
  // NOTE: 1 MiB is cc's default checker-imaging threshold as remembered, not
  // read in Chromium 156's source. The golden tests draw every icon.
  const smallImageBytes = 1 << 20;
  const urls = new Set();
  const decoded = [];
  for (const image of images) {
    const url = image.currentSrc || image.src;
    if (!urls.has(url)) {
      urls.add(url);
      if (image.complete && image.naturalWidth * image.naturalHeight * 4 < smallImageBytes) {
        continue;
      }
      decoded.push(image.decode().catch(() => {}));
    } else if (!image.complete) {
      decoded.push(loaded(image));
    }
  }
  for (const url of cssImageURLs()) {
    if (urls.has(url)) {
      continue;
    }
    urls.add(url);
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

  // loaded resolves when an image has loaded or failed.
  function loaded(image) {
    return new Promise((resolve) => {
      image.addEventListener('load', resolve, { once: true });
      image.addEventListener('error', resolve, { once: true });
    });
  }

  // cssImageURLs returns the URLs that the page's style sheets and style
  // attributes name in url() and that the page may draw. Loading them
  // through an Image shares the decoded image with the style, which the
  // load event does not always wait for. Reading the rules once is cheap.
  // Reading computed styles instead, three per element, took 20 to 50 ms
  // of main-thread time for the fancy card of 750 elements (Chromium 156).
  function cssImageURLs() {
    const urls = new Set();
    const pattern = /url\(\s*(['"]?)(.*?)\1\s*\)/g;
    const collect = (text, base) => {
      for (const match of text.matchAll(pattern)) {
        try {
          urls.add(new URL(match[2], base).href);
        } catch {
          // A URL that does not parse cannot load either.
        }
      }
    };

    const visit = (rules, base) => {
      for (const rule of rules) {
        if (rule.styleSheet) {
          visitSheet(rule.styleSheet); // @import
        } else if (rule instanceof CSSStyleRule) {
          if (rule.style.cssText.includes('url(') && mayMatch(rule.selectorText)) {
            collect(rule.style.cssText, base);
          }
          visit(rule.cssRules, base); // nested rules
        } else if (rule.cssRules && !(rule instanceof CSSKeyframesRule)) {
          visit(rule.cssRules, base); // @media, @supports, @layer, @container
        }
      }
    };
    const visitSheet = (sheet) => {
      let rules;
      try {
        rules = sheet.cssRules;
      } catch {
        return; // a sheet from another origin cannot be read
      }
      visit(rules, sheet.href || document.baseURI);
    };

    for (const sheet of document.styleSheets) {
      visitSheet(sheet);
    }
    // Inline styles, including custom properties that rules use with var().
    for (const element of document.querySelectorAll('[style]')) {
      collect(element.getAttribute('style'), document.baseURI);
    }
    return urls;
  }

  // mayMatch reports whether a selector can match an element of the page.
  // It errs towards true: pseudo-elements and selectors that
  // querySelector cannot test count as a match.
  function mayMatch(selector) {
    const plain = selector.replace(/::?(before|after|marker|first-line|first-letter|placeholder|backdrop|file-selector-button)\b/g, '');
    try {
      return document.querySelector(plain || '*') !== null;
    } catch {
      return true;
    }
  }
}
