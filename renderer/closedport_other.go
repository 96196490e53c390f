//go:build !unix

package renderer

import (
	"fmt"
	"io"
	"net"
)

// reserveClosedPort returns a loopback port that was free a moment ago.
//
// NOTE: without the unix socket calls the port cannot be held closed, so
// another program could start listening on it. The Fetch interception and
// the page policy still block requests.
func reserveClosedPort() (int, io.Closer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, nil, fmt.Errorf("find a free port: %w", err)
	}

	port := ln.Addr().(*net.TCPAddr).Port
	if err := ln.Close(); err != nil {
		return 0, nil, fmt.Errorf("free port %d: %w", port, err)
	}
	return port, nopCloser{}, nil
}

type nopCloser struct{}

func (nopCloser) Close() error { return nil }
