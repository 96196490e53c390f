package record

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
)

// dataKeys are the keys that mark a bare data object, posted without the
// {retcode, message, data} wrapper.
var dataKeys = []string{"avatars", "stats", "world_explorations", "homes", "role"}

// Decode parses a request body, either the whole index response
// {retcode, message, data} or the data object alone, and returns the
// normalised record with labels in lang: "zh-CN" or "en", where any other
// value means "zh-CN".
//
// Errors: *NotJSONError, which matches ErrNotJSON, when the body is not one
// JSON object,
// *UpstreamError when the wrapper's retcode is not 0, and *FieldError for the
// first field of the wrong type or for a body without data. Paths in a
// FieldError start at "data" for both body forms. Null and absent fields are
// not errors, and unknown keys are ignored.
func Decode(body []byte, lang string) (*Record, error) {
	root, err := parseObject(body)
	if err != nil {
		return nil, err
	}

	w := &walker{}
	data, err := unwrap(w, root)
	if err != nil {
		return nil, err
	}

	r := decodeData(w, data, normaliseLang(lang))
	if w.err != nil {
		return nil, w.err
	}

	return r, nil
}

// parseObject decodes body into a generic tree, keeping numbers as
// json.Number so that integer checks see the original text.
func parseObject(body []byte) (map[string]any, error) {
	bom := []byte("\xef\xbb\xbf")
	skipped := 0
	if bytes.HasPrefix(body, bom) {
		body, skipped = body[len(bom):], len(bom)
	}

	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()

	var root any
	if err := dec.Decode(&root); err != nil {
		e := notJSON(err)
		if e.Offset > 0 {
			e.Offset += int64(skipped) // count from the start of the body as sent
		}
		return nil, e
	}

	// The type comes first: a top-level array is the problem to report,
	// whatever follows it.
	object, ok := root.(map[string]any)
	if !ok {
		return nil, &NotJSONError{Reason: NotJSONNotObject, Kind: kindOf(root)}
	}

	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, &NotJSONError{Reason: NotJSONTrailing}
	}

	return object, nil
}

// notJSON classifies an error of the JSON decoder.
func notJSON(err error) *NotJSONError {
	var syntax *json.SyntaxError
	switch {
	case errors.Is(err, io.EOF):
		return &NotJSONError{Reason: NotJSONEmpty, err: err}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return &NotJSONError{Reason: NotJSONTruncated, err: err}
	case errors.As(err, &syntax) && strings.Contains(syntax.Error(), "max depth"):
		return &NotJSONError{Reason: NotJSONTooDeep, err: err}
	case errors.As(err, &syntax):
		return &NotJSONError{Reason: NotJSONSyntax, Offset: syntax.Offset, err: err}
	}
	return &NotJSONError{Reason: NotJSONSyntax, err: err}
}

// unwrap returns the data object of the body: its data field when that is
// not null, else the body itself when one of dataKeys is not null in it.
func unwrap(w *walker, root map[string]any) (object, error) {
	top := object{fields: root}

	if err := checkRetcode(w, top); err != nil {
		return object{}, err
	}

	dataNode := top.field("data")
	if dataNode.val != nil {
		data, _ := w.object(dataNode)
		if w.err != nil {
			return object{}, w.err
		}

		return data, nil
	}

	for _, key := range dataKeys {
		if root[key] != nil {
			return object{path: "data", fields: root}, nil
		}
	}

	return object{}, &FieldError{Path: "data", Expected: "object", Got: "missing"}
}

// checkRetcode returns an *UpstreamError when the wrapper's retcode is not 0.
func checkRetcode(w *walker, top object) error {
	retcode, _ := w.integer(top.field("retcode"))
	if w.err != nil {
		return w.err
	}

	if retcode == 0 {
		return nil
	}

	// The message matters only here, and a message of the wrong type should
	// not hide the upstream failure, so it is read without a type check.
	message, _ := top.fields["message"].(string)

	return &UpstreamError{Retcode: retcode, Message: cleanText(message, maxMessageRunes)}
}

func decodeData(w *walker, data object, lang string) *Record {
	r := &Record{Lang: lang}

	r.Player = decodePlayer(w, data.field("role"))
	r.Stats = decodeStats(w, data.field("stats"), lang)
	r.Characters = decodeCharacters(w, data.field("avatars"), lang)
	r.Regions = decodeRegions(w, data.field("world_explorations"), lang, r.Stats.Oculi)
	r.Home = decodeHome(w, data.field("homes"))

	r.CharacterCount = len(r.Characters)
	if r.Stats.Characters.Present {
		r.CharacterCount = max(r.Stats.Characters.Number, len(r.Characters))
	}

	r.MissingCharacters = r.CharacterCount - len(r.Characters)

	return r
}
