package main

import (
	"net/url"
	"path/filepath"
	"strings"
	"testing"
)

func TestRenderTypeFromOutput(t *testing.T) {
	tests := []struct {
		out, given, want string
		wantErr          bool
	}{
		{"card.png", "", "png", false},
		{"card.WEBP", "", "webp", false},
		{"card.jpeg", "jpg", "jpg", false},
		{"card", "", "", false},
		{"card.png", "jpg", "", true},
		{"card.gif", "", "", true},
	}
	for _, tt := range tests {
		q := url.Values{}
		if tt.given != "" {
			q.Set("type", tt.given)
		}
		err := typeFromOutput(q, tt.out)
		if (err != nil) != tt.wantErr {
			t.Errorf("-o %s with type %q: error = %v, want error %v", tt.out, tt.given, err, tt.wantErr)
			continue
		}
		if got := q.Get("type"); !tt.wantErr && got != tt.want {
			t.Errorf("-o %s with type %q: type = %q, want %q", tt.out, tt.given, got, tt.want)
		}
	}
}

func TestRenderRejectsMissingOutputDir(t *testing.T) {
	out := filepath.Join(t.TempDir(), "missing", "card.png")
	err := renderFile([]string{"-style", "text", "-o", out})
	if err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("error = %v, want one naming the missing directory", err)
	}
}
