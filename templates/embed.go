// Package templates embeds the bundled card styles, one folder per style.
//
// Each folder holds style.json, card.html and the style's CSS and images;
// package styles loads them. Adding a folder adds a style without a Go change.
package templates

import "embed"

// FS holds every style folder. The pattern skips names that start with "_"
// or ".", which keeps the golden images in _testdata out of the binary.
//
//go:embed *
var FS embed.FS
