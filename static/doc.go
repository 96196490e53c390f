// Package static embeds the shared art every card style may use: the base
// stylesheet, element, oculus, chest and stat icons, character and avatar
// placeholders, and the bundled default background.
//
// Files are served under /static/ with their paths inside this folder, for
// example /static/icons/element-pyro.svg. The default background
// bg/default.jpg is rasterised from bg/default.svg, which is kept beside it
// for regeneration and not embedded.
package static
