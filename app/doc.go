// Package app wires the service together: config in, a running HTTP server
// with its Chrome pool, asset pipeline, styles and image store out.
//
// main and the end-to-end tests build the service the same way through New.
package app
