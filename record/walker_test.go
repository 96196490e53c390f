package record

import "testing"

func TestParseInteger(t *testing.T) {
	tests := []struct {
		text   string
		want   int
		wantOK bool
	}{
		{"90", 90, true},
		{"-7", -7, true},
		{"-0", 0, true},
		{"90.0", 90, true},
		{"9e1", 90, true},
		{"9.0E+1", 90, true},
		{"900e-1", 90, true},
		{"0.000", 0, true},
		{"0e999999999999", 0, true},
		{"1e400", maxMagnitude, true},
		{"-1e400", -maxMagnitude, true},
		{"99999999999999999999", maxMagnitude, true},
		{"1e99999999999999999999", maxMagnitude, true},
		{"90.5", 0, false},
		{"1e-1", 0, false},
		{"1e-400", 0, false},
		{"1.0000000000000000001", 0, false},
		{"1e-99999999999999999999", 0, false},
	}
	for _, tt := range tests {
		got, ok := parseInteger(tt.text)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("parseInteger(%q) = %d, %v; want %d, %v", tt.text, got, ok, tt.want, tt.wantOK)
		}
	}
}

func TestJoinKey(t *testing.T) {
	tests := []struct{ path, key, want string }{
		{"", "retcode", "retcode"},
		{"data", "stats", "data.stats"},
		{"data.stats", "a b", `data.stats["a b"]`},
		{"data.stats", "", `data.stats[""]`},
		{"data.stats", "x\"y", `data.stats["x\"y"]`},
	}
	for _, tt := range tests {
		if got := joinKey(tt.path, tt.key); got != tt.want {
			t.Errorf("joinKey(%q, %q) = %q, want %q", tt.path, tt.key, got, tt.want)
		}
	}
}
