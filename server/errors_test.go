package server

import (
	"fmt"
	"strings"
	"testing"

	"github.com/igs-dev/igs/renderer"
)

func TestTooTallMessageNamesFixes(t *testing.T) {
	tests := []struct {
		lang   string
		fixes  []string
		want   []string
		absent []string
	}{
		{"zh-CN", nil, []string{"20000", "16384"}, []string{"scale", "jpg", "max_chara", "请"}},
		{"zh-CN", []string{fixScale, fixType}, []string{"降低 scale", "改用 jpg"}, []string{"max_chara"}},
		{"en", []string{fixMaxChara}, []string{"20000", "max_chara"}, []string{"scale", "jpg"}},
	}
	for _, tt := range tests {
		tall := &renderer.TooTallError{Height: 20000, Limit: 16384}
		err := fmt.Errorf("render fancy: %w", &cardTooTallError{TooTallError: tall, fixes: tt.fixes})
		f := describe(err, tt.lang)
		if f.retcode != RetBadInput {
			t.Errorf("%s %v: retcode = %d, want %d", tt.lang, tt.fixes, f.retcode, RetBadInput)
		}
		for _, w := range tt.want {
			if !strings.Contains(f.message, w) {
				t.Errorf("%s %v: message %q lacks %q", tt.lang, tt.fixes, f.message, w)
			}
		}
		for _, a := range tt.absent {
			if strings.Contains(f.message, a) {
				t.Errorf("%s %v: message %q has %q, which does not apply", tt.lang, tt.fixes, f.message, a)
			}
		}
	}
}
