package record

import (
	"errors"
	"strings"
	"testing"
)

func TestDecodeNotJSON(t *testing.T) {
	bodies := []string{
		"",
		"nope",
		"{",
		`{"data":{}} {}`,
		`[1, 2]`,
		`"data"`,
		`null`,
		`42`,
	}
	for _, body := range bodies {
		r, err := Decode([]byte(body), "en")
		if !errors.Is(err, ErrNotJSON) {
			t.Errorf("Decode(%q) error = %v, want ErrNotJSON", body, err)
		}

		if r != nil {
			t.Errorf("Decode(%q) record = %+v, want nil", body, r)
		}
	}
}

func TestDecodeNotJSONReason(t *testing.T) {
	tests := []struct {
		body       string
		wantReason string
		wantOffset int64
		wantKind   string
	}{
		{"", NotJSONEmpty, 0, ""},
		{" \n\t", NotJSONEmpty, 0, ""},
		{`{"data":`, NotJSONTruncated, 0, ""},
		{`{"data" 1}`, NotJSONSyntax, 9, ""},
		{"\xef\xbb\xbf{\"a\":nope}", NotJSONSyntax, 10, ""}, // counted with the byte order mark
		{strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000), NotJSONTooDeep, 0, ""},
		{`{"data":{}} {}`, NotJSONTrailing, 0, ""},
		{`[1, 2]`, NotJSONNotObject, 0, "array"},
		{`[1] x`, NotJSONNotObject, 0, "array"},
		{`null`, NotJSONNotObject, 0, "null"},
	}
	for _, tt := range tests {
		_, err := Decode([]byte(tt.body), "en")
		var notJSON *NotJSONError
		if !errors.As(err, &notJSON) {
			t.Errorf("Decode(%.30q) error = %v (%T), want *NotJSONError", tt.body, err, err)
			continue
		}
		if notJSON.Reason != tt.wantReason || notJSON.Offset != tt.wantOffset || notJSON.Kind != tt.wantKind {
			t.Errorf("Decode(%.30q) = reason %q offset %d kind %q, want %q %d %q",
				tt.body, notJSON.Reason, notJSON.Offset, notJSON.Kind, tt.wantReason, tt.wantOffset, tt.wantKind)
		}
	}
}

func TestDecodeUpstreamError(t *testing.T) {
	tests := []struct {
		body        string
		wantRetcode int
		wantMessage string
	}{
		{`{"retcode":-100,"message":"您的登录状态已失效","data":null}`, -100, "您的登录状态已失效"},
		{`{"retcode":10102,"message":"Data is not public","data":{"avatars":[]}}`, 10102, "Data is not public"},
		{`{"retcode":1034,"message":42}`, 1034, ""},
		{`{"retcode":5,"message":" line\nbreak\u0000 "}`, 5, "line break"},
	}
	for _, tt := range tests {
		_, err := Decode([]byte(tt.body), "zh-CN")

		var upstream *UpstreamError
		if !errors.As(err, &upstream) {
			t.Errorf("Decode(%s) error = %v, want *UpstreamError", tt.body, err)
			continue
		}

		if upstream.Retcode != tt.wantRetcode || upstream.Message != tt.wantMessage {
			t.Errorf("Decode(%s) = retcode %d message %q, want %d %q",
				tt.body, upstream.Retcode, upstream.Message, tt.wantRetcode, tt.wantMessage)
		}
	}
}

func TestUpstreamErrorMessage(t *testing.T) {
	err := &UpstreamError{Retcode: -100, Message: "not logged in"}

	want := `upstream response has retcode -100: "not logged in"`
	if err.Error() != want {
		t.Errorf("Error() = %q, want %q", err.Error(), want)
	}
}

func TestDecodeFieldErrors(t *testing.T) {
	tests := []struct {
		name string
		body string
		want FieldError
	}{
		{"empty object", `{}`, FieldError{"data", "object", "missing", ""}},
		{"wrapper without data", `{"retcode":0,"message":"OK"}`, FieldError{"data", "object", "missing", ""}},
		{"null data", `{"retcode":0,"data":null}`, FieldError{"data", "object", "missing", ""}},
		{"only null data keys", `{"role":null}`, FieldError{"data", "object", "missing", ""}},
		{"data array", `{"retcode":0,"data":[]}`, FieldError{"data", "object", "array", ""}},
		{"retcode string", `{"retcode":"0","data":{}}`, FieldError{"retcode", "integer", "string", `"0"`}},
		{"retcode fraction", `{"retcode":0.5,"data":{}}`, FieldError{"retcode", "integer", "number", "0.5"}},
		{"avatars object", `{"data":{"avatars":{"id":1}}}`, FieldError{"data.avatars", "array", "object", ""}},
		{"avatars number in data-only body", `{"avatars":5}`, FieldError{"data.avatars", "array", "number", "5"}},
		{
			"avatar level string",
			`{"data":{"avatars":[{"id":1},{"id":2},{"id":3,"level":"90"}]}}`,
			FieldError{"data.avatars[2].level", "integer", "string", `"90"`},
		},
		{
			"avatar level fraction",
			`{"data":{"avatars":[{"id":1,"level":90.5}]}}`,
			FieldError{"data.avatars[0].level", "integer", "number", "90.5"},
		},
		{"avatar entry number", `{"data":{"avatars":[{"id":1},7]}}`, FieldError{"data.avatars[1]", "object", "number", "7"}},
		{"avatar name number", `{"data":{"avatars":[{"name":12}]}}`, FieldError{"data.avatars[0].name", "string", "number", "12"}},
		{
			"avatar image boolean",
			`{"data":{"avatars":[{"image":true}]}}`,
			FieldError{"data.avatars[0].image", "string", "boolean", "true"},
		},
		{
			"first error wins",
			`{"data":{"avatars":[{"id":1},{"fetter":"x"},{"id":"y"}]}}`,
			FieldError{"data.avatars[1].fetter", "integer", "string", `"x"`},
		},
		{"abyss number", `{"data":{"stats":{"spiral_abyss":12}}}`, FieldError{"data.stats.spiral_abyss", "string", "number", "12"}},
		{"stats array", `{"data":{"stats":[]}}`, FieldError{"data.stats", "object", "array", ""}},
		{
			"chest string",
			`{"data":{"stats":{"magic_chest_number":"45"}}}`,
			FieldError{"data.stats.magic_chest_number", "integer", "string", `"45"`},
		},
		{
			"unknown oculus key string",
			`{"data":{"stats":{"frost oculus_number":"3"}}}`,
			FieldError{`data.stats["frost oculus_number"]`, "integer", "string", `"3"`},
		},
		{
			"theater flag string",
			`{"data":{"stats":{"role_combat":{"is_unlock":"true"}}}}`,
			FieldError{"data.stats.role_combat.is_unlock", "boolean", "string", `"true"`},
		},
		{"role array", `{"data":{"role":[]}}`, FieldError{"data.role", "object", "array", ""}},
		{"role level string", `{"data":{"role":{"level":"60"}}}`, FieldError{"data.role.level", "integer", "string", `"60"`}},
		{
			"offering level boolean",
			`{"data":{"world_explorations":[{"id":4,"offerings":[{"level":1},{"level":false}]}]}}`,
			FieldError{"data.world_explorations[0].offerings[1].level", "integer", "boolean", "false"},
		},
		{
			"percentage string",
			`{"data":{"world_explorations":[{"id":1,"exploration_percentage":"100%"}]}}`,
			FieldError{"data.world_explorations[0].exploration_percentage", "integer", "string", `"100%"`},
		},
		{"homes object", `{"data":{"homes":{}}}`, FieldError{"data.homes", "array", "object", ""}},
		{"home name number", `{"data":{"homes":[{"name":3}]}}`, FieldError{"data.homes[0].name", "string", "number", "3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Decode([]byte(tt.body), "en")

			var fieldErr *FieldError
			if !errors.As(err, &fieldErr) {
				t.Fatalf("error = %v, want *FieldError", err)
			}

			if *fieldErr != tt.want {
				t.Errorf("error = %+v, want %+v", *fieldErr, tt.want)
			}

			if r != nil {
				t.Errorf("record = %+v, want nil", r)
			}
		})
	}
}

func TestFieldErrorMessage(t *testing.T) {
	tests := []struct {
		err  FieldError
		want string
	}{
		{
			FieldError{"data.avatars[2].level", "integer", "string", `"90"`},
			`invalid field data.avatars[2].level: expected integer, got string "90"`,
		},
		{FieldError{"data.role", "object", "array", ""}, "invalid field data.role: expected object, got array"},
		{FieldError{"data", "object", "missing", ""}, "missing field data: expected object"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}
