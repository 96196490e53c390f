// Package renderer turns a filled HTML page into an image of its card, using a
// pool of reusable tabs in one headless Chrome.
//
// # Concurrency model
//
// A Pool owns one Chrome process and Config.PoolSize tabs. Each tab renders
// one job at a time. Idle tabs wait in a channel, and a render takes one,
// uses it alone and puts it back. Admission is a counting semaphore of
// PoolSize+QueueSize tokens, taken without waiting, so a full pool rejects a
// render at once with ErrQueueFull. A caller that prepares a job slowly, such
// as the server fetching a card's images, takes its token first with Reserve.
// Every render has a deadline:
// Config.Timeout or the caller's, whichever ends first.
//
// Each tab loads a blank page from the pool's loopback origin once. A render
// replaces that page's document (Page.setDocumentContent), so relative URLs
// resolve to the origin and the renderer's memory cache serves repeated
// assets, and no navigation or new tab is on the request path. A page that
// could leave scripts running makes its tab reload the blank page in the
// background before its next render.
//
// A tab whose render failed is closed and its slot refilled in the
// background. When Chrome dies, or after Config.RestartAfter renders, a new
// Chrome starts next to the old one. Its tabs replace the old tabs as these
// come back, and the old Chrome closes after its last tab. Renders in flight
// in a crashed Chrome fail with ErrUnavailable.
//
// # Network seal
//
// Chrome reaches nothing but the loopback origin, which serves a blank page
// and the caller's assets. Three layers enforce it. A proxy port rejects every
// connection except to the origin, and the host resolver resolves no name.
// Fetch interception in every tab fails requests for other origins. A
// Content-Security-Policy on the blank page, which the replaced documents
// keep, blocks them inside the page. Only the proxy stops preconnects and
// speculation-rules prefetches, because these happen outside the page and its
// interception. The tests check each layer on its own.
package renderer
