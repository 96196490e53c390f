package assets

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestDefaultConfigValid(t *testing.T) {
	if err := DefaultConfig().Validate(); err != nil {
		t.Errorf("DefaultConfig().Validate() = %v", err)
	}
}

func TestValidateReportsEveryField(t *testing.T) {
	cfg := Config{
		Budget:     -time.Second,
		MaxBytes:   0,
		MaxSide:    -1,
		MaxPixels:  0,
		AllowHosts: []string{"127.0.0.1", "127.0.0.1:8080", "bad host", "10.0.0.0/33", "localhost"},
		CacheBytes: -5,
		FailureTTL: -time.Second,
		Parallel:   0,
	}

	err := cfg.Validate()
	if err == nil {
		t.Fatal("Validate() = nil for an invalid config")
	}

	msg := err.Error()
	wants := []string{
		`Budget: expected a positive duration such as "3s", got "-1s"`,
		"MaxBytes: expected a positive number of bytes, got 0",
		"MaxSide: expected a positive number of pixels, got -1",
		"MaxPixels: expected a positive number of pixels, got 0",
		"CacheBytes: expected at least MaxBytes (0) so that one image fits, got -5",
		`FailureTTL: expected a duration of 0 or more such as "30s", got "-1s"`,
		"Parallel: expected a number from 1 to 256, got 0",
		`AllowHosts[1]: expected a host name, IP address or CIDR prefix without port, got "127.0.0.1:8080"`,
		`AllowHosts[2]: expected a host name, IP address or CIDR prefix without port, got "bad host"`,
		`AllowHosts[3]: expected a host name, IP address or CIDR prefix without port, got "10.0.0.0/33"`,
	}
	for _, want := range wants {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q; got:\n%s", want, msg)
		}
	}

	if lines := strings.Count(msg, "\n") + 1; lines != len(wants) {
		t.Errorf("error has %d lines, want %d:\n%s", lines, len(wants), msg)
	}
}

func TestNewRejectsInvalidConfig(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Parallel = 1000
	if _, err := New(cfg, nil); err == nil || !strings.Contains(err.Error(), "Parallel") {
		t.Errorf("New err = %v, want one naming Parallel", err)
	}
}

func TestNewCopiesAllowHosts(t *testing.T) {
	cfg := DefaultConfig()
	cfg.AllowHosts = []string{"127.0.0.1"}
	p, err := New(cfg, nil)
	if err != nil {
		t.Fatalf("New: %v", err)
	}

	cfg.AllowHosts[0] = "changed"
	if p.cfg.AllowHosts[0] != "127.0.0.1" {
		t.Errorf("pipeline AllowHosts changed with the caller's slice")
	}
}

func TestClientIgnoresProxyEnvironment(t *testing.T) {
	p, err := New(DefaultConfig(), nil)
	if err != nil {
		t.Fatalf("New: %v", err)
	}

	transport, ok := p.client.Transport.(*http.Transport)
	if !ok {
		t.Fatalf("transport is %T, want *http.Transport", p.client.Transport)
	}

	if transport.Proxy != nil {
		t.Error("transport.Proxy is set, want nil so that HTTP_PROXY cannot route fetches")
	}

	if transport.DialContext == nil {
		t.Error("transport.DialContext is nil, want the address guard")
	}
}
