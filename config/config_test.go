package config

import (
	"errors"
	"flag"
	"io"
	"strings"
	"testing"
	"time"
)

func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestLoadDefaults(t *testing.T) {
	cfg, err := Load(nil, envOf(nil), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Addr != ":8080" {
		t.Errorf("Addr = %q, want :8080", cfg.Addr)
	}
	if cfg.Storage.Dir != "data/images" {
		t.Errorf("Storage.Dir = %q, want data/images", cfg.Storage.Dir)
	}
	if cfg.Server.BodyLimit != 2<<20 {
		t.Errorf("BodyLimit = %d, want 2 MiB", cfg.Server.BodyLimit)
	}
	if cfg.Renderer.Timeout != 15*time.Second {
		t.Errorf("render timeout = %v, want 15s", cfg.Renderer.Timeout)
	}
	if cfg.Assets.Budget != 3*time.Second {
		t.Errorf("fetch budget = %v, want 3s", cfg.Assets.Budget)
	}
	if cfg.Renderer.PoolSize < 1 {
		t.Errorf("pool size = %d, want at least 1", cfg.Renderer.PoolSize)
	}
}

func TestLoadEnvironment(t *testing.T) {
	cfg, err := Load(nil, envOf(map[string]string{
		"IGS_ADDR":              "127.0.0.1:9000",
		"IGS_DATA_DIR":          "/tmp/igs",
		"IGS_POOL_SIZE":         "3",
		"IGS_RENDER_TIMEOUT":    "20s",
		"IGS_ASSET_ALLOW_HOSTS": "127.0.0.1, 10.0.0.0/8,images.local",
		"IGS_BODY_LIMIT":        "4MiB",
		"IGS_RETENTION":         "1h",
		"IGS_DISK_BUDGET":       "512MiB",
		"IGS_REPEAT_WINDOW":     "0",
		"IGS_LOG_LEVEL":         "debug",
		"IGS_LOG_FORMAT":        "json",
		"IGS_LOW_MEMORY":        "off",
	}), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Addr != "127.0.0.1:9000" {
		t.Errorf("Addr = %q", cfg.Addr)
	}
	if cfg.Storage.Dir != "/tmp/igs/images" {
		t.Errorf("Storage.Dir = %q", cfg.Storage.Dir)
	}
	if cfg.Renderer.PoolSize != 3 {
		t.Errorf("PoolSize = %d", cfg.Renderer.PoolSize)
	}
	if cfg.Renderer.Timeout != 20*time.Second {
		t.Errorf("Timeout = %v", cfg.Renderer.Timeout)
	}
	if got := strings.Join(cfg.Assets.AllowHosts, "|"); got != "127.0.0.1|10.0.0.0/8|images.local" {
		t.Errorf("AllowHosts = %q", got)
	}
	if cfg.Server.BodyLimit != 4<<20 {
		t.Errorf("BodyLimit = %d", cfg.Server.BodyLimit)
	}
	if cfg.Storage.MaxAge != time.Hour || cfg.Storage.MaxBytes != 512<<20 {
		t.Errorf("storage = %v, %d", cfg.Storage.MaxAge, cfg.Storage.MaxBytes)
	}
	if cfg.Server.RepeatWindow != 0 {
		t.Errorf("RepeatWindow = %v, want 0", cfg.Server.RepeatWindow)
	}
	if cfg.LogFormat != "json" || cfg.LogLevel.String() != "DEBUG" {
		t.Errorf("log = %s %s", cfg.LogFormat, cfg.LogLevel)
	}
	if cfg.Renderer.LowMemory {
		t.Errorf("LowMemory = true, want false from IGS_LOW_MEMORY=off")
	}
}

func TestFlagWinsOverEnvironment(t *testing.T) {
	cfg, err := Load([]string{"-addr", ":7000"}, envOf(map[string]string{"IGS_ADDR": ":9000"}), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Addr != ":7000" {
		t.Errorf("Addr = %q, want the flag's :7000", cfg.Addr)
	}
}

func TestLoadReportsEveryInvalidValue(t *testing.T) {
	_, err := Load([]string{"-quality-of-life"}, envOf(nil), io.Discard)
	if err == nil {
		t.Fatal("unknown flag accepted")
	}

	_, err = Load(nil, envOf(map[string]string{
		"IGS_POOL_SIZE":      "many",
		"IGS_RENDER_TIMEOUT": "15",
		"IGS_BODY_LIMIT":     "2 megabytes",
		"IGS_LOG_LEVEL":      "loud",
		"IGS_RETENTION":      "-1h",
	}), io.Discard)
	if err == nil {
		t.Fatal("invalid values accepted")
	}
	msg := err.Error()
	for _, want := range []string{
		`IGS_POOL_SIZE: expected an integer from 1 to 64, got "many"`,
		`IGS_RENDER_TIMEOUT: expected a non-negative Go duration`,
		`got "15"`,
		`IGS_BODY_LIMIT: expected a byte count`,
		`IGS_LOG_LEVEL: expected debug, info, warn or error, got "loud"`,
		`IGS_RETENTION`,
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q:\n%s", want, msg)
		}
	}
}

func TestLoadValidatesParts(t *testing.T) {
	_, err := Load(nil, envOf(map[string]string{
		"IGS_ADDR":          "8080",
		"IGS_QQ_AVATAR_URL": "ftp://x/{qq}",
	}), io.Discard)
	if err == nil {
		t.Fatal("invalid values accepted")
	}
	for _, want := range []string{"IGS_ADDR", `"8080"`, "IGS_QQ_AVATAR_URL"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%s", want, err)
		}
	}
}

func TestHelpFlag(t *testing.T) {
	var out strings.Builder
	_, err := Load([]string{"-h"}, envOf(nil), &out)
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("error = %v, want flag.ErrHelp", err)
	}
	if !strings.Contains(out.String(), "IGS_RENDER_TIMEOUT") {
		t.Errorf("help lacks the env names:\n%s", out.String())
	}
	// The preview's default follows -dev, which a fixed "false" would hide.
	if !strings.Contains(out.String(), "IGS_PREVIEW, default the value of -dev)") {
		t.Errorf("help does not say that the preview follows -dev:\n%s", out.String())
	}
}

func TestParseSize(t *testing.T) {
	tests := map[string]int64{"0": 0, "1024": 1024, "2MiB": 2 << 20, "512KiB": 512 << 10, "1GiB": 1 << 30, "7B": 7, "3 MiB": 3 << 20}
	for in, want := range tests {
		got, err := ParseSize(in)
		if err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "-1", "2MB", "x", "99999999999GiB"} {
		if _, err := ParseSize(bad); err == nil {
			t.Errorf("ParseSize(%q) accepted", bad)
		}
	}
	if got := FormatSize(2 << 20); got != "2MiB" {
		t.Errorf("FormatSize(2MiB) = %q", got)
	}
}
