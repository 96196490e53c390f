// Package server serves the HTTP API: it turns a posted game record into a
// card image and serves the stored images.
//
// Replies of the generator keep the original service's contract: HTTP 200
// with {retcode, message, use_time, url}, the retcode telling the failure
// kind. errors.go is the one place that maps an error to a retcode and a
// public message; the full error chain goes only to the log.
package server
