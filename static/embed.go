package static

import "embed"

// FS contains the shared art served under /static/. The background's SVG
// source is left out, so only the rasterised JPEG is served.
//
//go:embed css icons img bg/*.jpg
var FS embed.FS
