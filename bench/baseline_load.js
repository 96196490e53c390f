// Waits for the fonts, then returns the box of the card as a
// Page.captureScreenshot clip. Runtime.evaluate calls it with the CSS selector
// of the card, after the load event, and awaits the promise.
async (selector) => {
  await document.fonts.ready;

  const box = document.querySelector(selector).getBoundingClientRect();
  const x = Math.round(box.left + window.scrollX);
  const y = Math.round(box.top + window.scrollY);
  return { x, y, width: Math.round(box.width), height: Math.round(box.bottom + window.scrollY) - y, scale: 1 };
}
