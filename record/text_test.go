package record

import (
	"strings"
	"testing"
)

func TestCleanText(t *testing.T) {
	tests := []struct {
		in    string
		limit int
		want  string
	}{
		{"  plain  ", 64, "plain"},
		{"a\nb\tc", 64, "a b c"},
		{"a\x00b\x1bc\x7f", 64, "abc"},
		{"\u202eevil\u2066", 64, "evil"},
		{"\ufeffbom", 64, "bom"},
		{"旅行者", 2, "旅行"},
		{"ab   cd", 3, "ab"},
		{"emoji 👩\u200d💻", 64, "emoji 👩\u200d💻"},
	}
	for _, tt := range tests {
		if got := cleanText(tt.in, tt.limit); got != tt.want {
			t.Errorf("cleanText(%q, %d) = %q, want %q", tt.in, tt.limit, got, tt.want)
		}
	}
}

func TestImageSrc(t *testing.T) {
	long := "https://example.test/" + strings.Repeat("a", maxURLBytes)
	tests := []struct{ in, want string }{
		{"https://example.test/a.png", "https://example.test/a.png"},
		{" http://example.test/a.png ", "http://example.test/a.png"},
		{"HTTPS://example.test/a.png", "HTTPS://example.test/a.png"},
		{"https://example.test/图.png", "https://example.test/图.png"},
		{"", ""},
		{"javascript:alert(1)", ""},
		{"data:image/png;base64,AAAA", ""},
		{"file:///etc/passwd", ""},
		{"ftp://example.test/a.png", ""},
		{"//example.test/a.png", ""},
		{"/relative.png", ""},
		{"http:///nohost.png", ""},
		{"http://:80/nohost.png", ""},
		{"https://example.test/a b.png", ""},
		{"https://example.test/a\x00.png", ""},
		{long, ""},
	}
	for _, tt := range tests {
		if got := imageSrc(tt.in); got != tt.want {
			t.Errorf("imageSrc(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFormatPercent(t *testing.T) {
	tests := []struct {
		perMille int
		want     string
	}{
		{0, "0"}, {1, "0.1"}, {10, "1"}, {563, "56.3"}, {990, "99"}, {999, "99.9"}, {1000, "100"},
	}
	for _, tt := range tests {
		if got := formatPercent(tt.perMille); got != tt.want {
			t.Errorf("formatPercent(%d) = %q, want %q", tt.perMille, got, tt.want)
		}
	}
}

func TestOculusLabel(t *testing.T) {
	tests := []struct{ key, want string }{
		{"frostoculus_number", "Frostoculi"},
		{"culus_number", "Culi"},
		{"new_oculus_number", "New oculi"},
		{"éculus_number", "Éculi"},
	}
	for _, tt := range tests {
		if got := oculusLabel(tt.key); got != tt.want {
			t.Errorf("oculusLabel(%q) = %q, want %q", tt.key, got, tt.want)
		}
	}
}
