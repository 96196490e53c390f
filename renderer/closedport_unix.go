//go:build unix

package renderer

import (
	"fmt"
	"io"
	"syscall"
)

// reserveClosedPort binds a TCP socket to a free port of 127.0.0.1 without
// listening on it, so that every connection to the port is refused at once.
// The port stays reserved, and closed, until the returned Closer runs.
func reserveClosedPort() (int, io.Closer, error) {
	// The fork lock keeps a concurrent exec from inheriting the socket
	// before it is marked close-on-exec.
	syscall.ForkLock.RLock()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
	if err == nil {
		syscall.CloseOnExec(fd)
	}
	syscall.ForkLock.RUnlock()
	if err != nil {
		return 0, nil, fmt.Errorf("create socket: %w", err)
	}

	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		_ = syscall.Close(fd)
		return 0, nil, fmt.Errorf("bind loopback socket: %w", err)
	}

	addr, err := syscall.Getsockname(fd)
	if err != nil {
		_ = syscall.Close(fd)
		return 0, nil, fmt.Errorf("read socket address: %w", err)
	}

	inet, ok := addr.(*syscall.SockaddrInet4)
	if !ok {
		_ = syscall.Close(fd)
		return 0, nil, fmt.Errorf("read socket address: unexpected type %T", addr)
	}
	return inet.Port, fdCloser(fd), nil
}

type fdCloser int

func (fd fdCloser) Close() error { return syscall.Close(int(fd)) }
