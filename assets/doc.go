// Package assets fetches the remote images that a card needs, checks and
// caches them in memory, and serves them to the sandboxed Chrome from our own
// loopback origin, so that Chrome itself never contacts another host.
//
// Fetching goes through an HTTP client whose dialer resolves every host
// itself and connects only to public addresses (or to those listed in
// Config.AllowHosts). The check runs on each dial, so neither a redirect nor
// a DNS answer that changes between lookups reaches a private address.
// A body must be a complete JPEG, PNG, GIF or WebP image within the byte,
// side and pixel limits. Its SHA-256 names it, so a served URL never changes
// content and Chrome may cache it for good.
//
// Concurrency: a Pipeline is safe for concurrent use. Requests for the same
// URL share one fetch, which runs with its own deadline (Config.Budget) so
// that a caller who leaves does not cancel it for the others. Blurred copies
// are computed on the first request for them and cached like fetched images.
package assets
