// Package styles loads card styles and fills their templates.
//
// A style is a folder holding style.json (its Manifest), an entry template
// (card.html unless the manifest names another), more *.html partials, CSS
// and images. Load reads every folder of a file system once, checks the
// manifest and parses the templates, so a broken style is reported with its
// file and line at start-up and skipped while the others serve. Open adds
// the folders of a styles directory on disk to the embedded ones: read into
// memory once, or in development mode checked for changes on every lookup
// and reloaded folder by folder. A Registry is safe for concurrent use.
package styles
