package config

import (
	"io"
	"path/filepath"
	"strings"
	"testing"
)

func TestStyleSettings(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name        string
		args        []string
		env         map[string]string
		dev         bool
		preview     bool
		stylesDir   string
		wantErrText string
	}{
		{name: "defaults"},
		{name: "dev turns the preview on", env: map[string]string{"IGS_DEV": "1", "IGS_STYLES_DIR": dir}, dev: true, preview: true, stylesDir: dir},
		{name: "dev with the preview off", env: map[string]string{"IGS_DEV": "true", "IGS_PREVIEW": "0"}, dev: true},
		{name: "preview without dev", env: map[string]string{"IGS_PREVIEW": "yes"}, preview: true},
		{name: "flag wins over env", args: []string{"-preview=off"}, env: map[string]string{"IGS_DEV": "on"}, dev: true},
		// Boolean flags need no value, as in STYLES.md's "-dev -styles-dir
		// mystyles".
		{name: "bare dev flag", args: []string{"-dev", "-styles-dir", dir}, dev: true, preview: true, stylesDir: dir},
		{name: "bare preview flag", args: []string{"-preview"}, preview: true},
		{name: "dev flag set to false", args: []string{"-dev=false"}, env: map[string]string{"IGS_DEV": "1"}},
		{name: "value after bare dev flag", args: []string{"-dev", "false"}, wantErrText: `unexpected arguments: false (a boolean flag takes its value after "=": -dev=false)`},
		{name: "invalid dev flag", args: []string{"-dev=maybe"}, wantErrText: `-dev: expected 1, true, yes, on, 0, false, no or off, got "maybe"`},
		{name: "invalid dev", env: map[string]string{"IGS_DEV": "maybe"}, wantErrText: `IGS_DEV: expected 1, true, yes, on, 0, false, no or off, got "maybe"`},
		{name: "missing styles dir", env: map[string]string{"IGS_STYLES_DIR": filepath.Join(dir, "nope")}, wantErrText: "IGS_STYLES_DIR: expected an existing directory"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := Load(tc.args, func(k string) string { return tc.env[k] }, io.Discard)
			if tc.wantErrText != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErrText) {
					t.Fatalf("error = %v, want one containing %q", err, tc.wantErrText)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Styles.Dev != tc.dev {
				t.Errorf("Styles.Dev = %v, want %v", cfg.Styles.Dev, tc.dev)
			}
			if cfg.Preview != tc.preview {
				t.Errorf("Preview = %v, want %v", cfg.Preview, tc.preview)
			}
			if cfg.Styles.Dir != tc.stylesDir {
				t.Errorf("Styles.Dir = %q, want %q", cfg.Styles.Dir, tc.stylesDir)
			}
		})
	}
}
