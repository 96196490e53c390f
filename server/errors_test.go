package server

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/igs-dev/igs/record"
	"github.com/igs-dev/igs/renderer"
	"github.com/igs-dev/igs/styles"
)

func TestTooTallMessageNamesFixes(t *testing.T) {
	tests := []struct {
		lang   string
		fixes  []string
		want   []string
		absent []string
	}{
		{"zh-CN", nil, []string{"20000", "16384", "减少请求中的角色数量"}, []string{"scale", "jpg", "max_chara"}},
		{"zh-CN", []string{fixScale, fixType}, []string{"scale 降为 1", "，或改用 jpg"}, []string{"max_chara"}},
		{"en", []string{fixScaleAndType}, []string{"scale=1 with jpg"}, []string{"max_chara"}},
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

func TestNotJSONMessageSaysWhy(t *testing.T) {
	tests := []struct {
		body string
		lang string
		want string
	}{
		{"", "zh-CN", "请求体为空"},
		{`{"data":`, "zh-CN", "不完整"},
		{`{"data" 1}`, "zh-CN", "第 9 字节处有语法错误"},
		{strings.Repeat("[", 20_000), "zh-CN", "嵌套层数过多"},
		{`{} {}`, "zh-CN", "多余内容"},
		{`[1]`, "zh-CN", "实际是数组"},
		{`null`, "zh-CN", "实际是 null"},
		{"", "en", "empty"},
		{`{"data" 1}`, "en", "syntax error at byte 9"},
		{strings.Repeat("[", 20_000), "en", "too many levels deep"},
		{`"text"`, "en", "got a string"},
	}
	for _, tt := range tests {
		_, err := record.Decode([]byte(tt.body), tt.lang)
		f := describe(fmt.Errorf("decode body: %w", err), tt.lang)
		if f.retcode != RetBadInput || !strings.Contains(f.message, tt.want) {
			t.Errorf("%s %.20q: retcode %d, message %q; want %d and %q", tt.lang, tt.body, f.retcode, f.message, RetBadInput, tt.want)
		}
	}
}

func TestTallFixesOnlyWhatFits(t *testing.T) {
	plain := &styles.Style{}
	counted := &styles.Style{Manifest: styles.Manifest{Params: []styles.Param{{Name: "max_chara"}}}}
	tests := []struct {
		name  string
		style *styles.Style
		out   output
		tall  renderer.TooTallError
		want  []string
	}{
		{
			"jpg over the height cap at any scale", plain, output{Format: "jpeg", Scale: 2},
			renderer.TooTallError{Height: 17843, Limit: 16384, ScaleOneLimit: 16384, JPEGLimit: 16384, ScaleOneJPEGLimit: 16384},
			nil,
		},
		{
			"webp over the height cap", plain, output{Format: "webp", Scale: 1},
			renderer.TooTallError{Height: 17843, Limit: 16383, ScaleOneLimit: 16383, JPEGLimit: 16384, ScaleOneJPEGLimit: 16384},
			nil,
		},
		{
			"either change fits", counted, output{Format: "webp", Scale: 2},
			renderer.TooTallError{Height: 12554, Limit: 8191, ScaleOneLimit: 16383, JPEGLimit: 16384, ScaleOneJPEGLimit: 16384},
			[]string{fixScale, fixType, fixMaxChara},
		},
		{
			"only both changes fit", plain, output{Format: "webp", Scale: 3},
			renderer.TooTallError{Height: 12000, Limit: 5461, ScaleOneLimit: 10000, JPEGLimit: 10000, ScaleOneJPEGLimit: 16384},
			[]string{fixScaleAndType},
		},
		{
			"only fewer characters fit", counted, output{Format: "webp", Scale: 2},
			renderer.TooTallError{Height: 81200, Limit: 8191, ScaleOneLimit: 16383, JPEGLimit: 16384, ScaleOneJPEGLimit: 16384},
			[]string{fixMaxChara},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tallFixes(tt.style, tt.out, &tt.tall); !slices.Equal(got, tt.want) {
				t.Errorf("fixes = %v, want %v", got, tt.want)
			}
		})
	}
}
