package main

import (
	"net/url"
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
