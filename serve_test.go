package main

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestServeBusyPortStartsNoChrome checks that a port in use fails the start
// before Chrome runs, so no Chrome profile or temp dir is left behind.
func TestServeBusyPortStartsNoChrome(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()

	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	t.Setenv("IGS_DATA_DIR", filepath.Join(tmp, "data"))

	err = serve([]string{"-addr", busy.Addr().String()})
	if err == nil || !strings.Contains(err.Error(), "listen on "+busy.Addr().String()) {
		t.Fatalf("serve error = %v, want one naming the busy address", err)
	}
	// The pool starts Chrome in the background, so a start that slipped
	// through gets time to leave its directories.
	time.Sleep(2 * time.Second)
	left, err := os.ReadDir(tmp)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range left {
		if e.Name() != "data" {
			t.Errorf("temp dir contains %s after the failed start", e.Name())
		}
	}
}
