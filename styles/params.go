package styles

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Parameter types a manifest may declare.
const (
	TypeString = "string"
	TypeInt    = "int"
	TypeBool   = "bool"
	TypeEnum   = "enum"
	TypeURL    = "url"
	TypeAvatar = "avatar"
)

// defaultMaxLen caps string parameters that declare no max_len.
const defaultMaxLen = 64

// maxURLLen caps url and avatar parameters.
const maxURLLen = 2048

// namePattern is the form of style and parameter names.
var namePattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,31}$`)

// qqPattern is a QQ number: 5 to 12 digits.
var qqPattern = regexp.MustCompile(`^[1-9][0-9]{4,11}$`)

// Avatar is the parsed value of an avatar parameter: a QQ number or a URL.
type Avatar struct {
	QQ  string
	URL string
}

// ParseParams reads the parameters the style declares from query. An empty
// value counts as absent; unknown parameters are ignored. Strings longer
// than their max_len are cut, since they are display text.
func (s *Style) ParseParams(query url.Values) (map[string]any, error) {
	params := make(map[string]any, len(s.Params))
	for _, p := range s.Params {
		name, raw := lookupParam(query, p)
		if raw == "" {
			if p.Default != nil {
				params[p.Name] = normalizeDefault(p.Default)
			}
			continue
		}

		value, err := p.parse(raw)
		if err != nil {
			return nil, &ParamError{Name: name, Value: truncateRunes(raw, 80), Param: p}
		}
		params[p.Name] = value
	}
	return params, nil
}

// lookupParam returns the first non-empty value of the parameter or one of
// its aliases, with the name it was found under.
func lookupParam(query url.Values, p Param) (string, string) {
	for _, name := range append([]string{p.Name}, p.Aliases...) {
		if v := strings.TrimSpace(query.Get(name)); v != "" {
			return name, v
		}
	}
	return p.Name, ""
}

func (p Param) parse(raw string) (any, error) {
	switch p.Type {
	case TypeString:
		return truncateRunes(raw, p.maxLen()), nil
	case TypeInt:
		n, err := strconv.Atoi(raw)
		if err != nil || (p.Min != nil && n < *p.Min) || (p.Max != nil && n > *p.Max) {
			return nil, errors.New(p.Expected())
		}
		return n, nil
	case TypeBool:
		b, err := strconv.ParseBool(raw)
		if err != nil {
			return nil, errors.New(p.Expected())
		}
		return b, nil
	case TypeEnum:
		if !slices.Contains(p.Enum, raw) {
			return nil, errors.New(p.Expected())
		}
		return raw, nil
	case TypeURL:
		if !isWebURL(raw) {
			return nil, errors.New(p.Expected())
		}
		return raw, nil
	case TypeAvatar:
		if qqPattern.MatchString(raw) {
			return Avatar{QQ: raw}, nil
		}
		if !isWebURL(raw) {
			return nil, errors.New(p.Expected())
		}
		return Avatar{URL: raw}, nil
	}
	return nil, fmt.Errorf("a value of type %s", p.Type)
}

// Expected describes the accepted form in English, e.g. "an integer from 1 to 200".
func (p Param) Expected() string {
	switch p.Type {
	case TypeInt:
		return p.intForm()
	case TypeBool:
		return "true or false"
	case TypeEnum:
		return "one of " + strings.Join(p.Enum, ", ")
	case TypeURL:
		return "an http or https URL"
	case TypeAvatar:
		return "a QQ number or an http or https URL"
	}
	return "text"
}

func (p Param) maxLen() int {
	if p.MaxLen > 0 {
		return p.MaxLen
	}
	return defaultMaxLen
}

func (p Param) intForm() string {
	switch {
	case p.Min != nil && p.Max != nil:
		return fmt.Sprintf("an integer from %d to %d", *p.Min, *p.Max)
	case p.Min != nil:
		return fmt.Sprintf("an integer of at least %d", *p.Min)
	case p.Max != nil:
		return fmt.Sprintf("an integer of at most %d", *p.Max)
	}
	return "an integer"
}

// normalizeDefault turns JSON numbers of a manifest default into int.
func normalizeDefault(v any) any {
	if f, ok := v.(float64); ok {
		return int(f)
	}
	return v
}

func isWebURL(raw string) bool {
	if len(raw) > maxURLLen {
		return false
	}
	u, err := url.Parse(raw)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// validate checks a manifest read from folder dir. samples lists the known
// sample data sets; nil accepts any name.
func (m *Manifest) validate(dir string, samples []string) error {
	var errs []error
	if m.Name != dir {
		errs = append(errs, fmt.Errorf("name %q must equal the folder name %q", m.Name, dir))
	}
	if !namePattern.MatchString(m.Name) {
		errs = append(errs, fmt.Errorf("name %q must match %s", m.Name, namePattern))
	}
	for _, alias := range m.Aliases {
		if !namePattern.MatchString(alias) {
			errs = append(errs, fmt.Errorf("alias %q must match %s", alias, namePattern))
		}
	}
	if m.Width < 1 || m.Width > maxWidth {
		errs = append(errs, fmt.Errorf("width %d must be from 1 to %d", m.Width, maxWidth))
	}

	seen := map[string]bool{}
	for i, p := range m.Params {
		if err := p.validate(); err != nil {
			errs = append(errs, fmt.Errorf("params[%d] %q: %w", i, p.Name, err))
		}
		if seen[p.Name] {
			errs = append(errs, fmt.Errorf("params[%d]: duplicate name %q", i, p.Name))
		}
		seen[p.Name] = true
	}

	for i, name := range m.Samples {
		if samples != nil && !slices.Contains(samples, name) {
			errs = append(errs, fmt.Errorf("samples[%d]: unknown sample %q; known samples: %s", i, name, strings.Join(samples, ", ")))
		}
	}

	for param, byValue := range m.Widths {
		idx := slices.IndexFunc(m.Params, func(p Param) bool { return p.Name == param })
		if idx < 0 || m.Params[idx].Type != TypeEnum {
			errs = append(errs, fmt.Errorf("widths: %q must name an enum parameter", param))
			continue
		}
		for value, w := range byValue {
			if !slices.Contains(m.Params[idx].Enum, value) || w < 1 || w > maxWidth {
				errs = append(errs, fmt.Errorf("widths.%s.%s: %d must be a listed value with a width from 1 to %d", param, value, w, maxWidth))
			}
		}
	}
	return errors.Join(errs...)
}

func (p Param) validate() error {
	if !namePattern.MatchString(p.Name) {
		return fmt.Errorf("name must match %s", namePattern)
	}
	switch p.Type {
	case TypeString, TypeInt, TypeBool, TypeURL, TypeAvatar:
	case TypeEnum:
		if len(p.Enum) == 0 {
			return errors.New("an enum needs a non-empty enum list")
		}
	default:
		return fmt.Errorf("type %q must be one of string, int, bool, enum, url, avatar", p.Type)
	}
	if p.Default == nil {
		return nil
	}
	raw := fmt.Sprint(normalizeDefault(p.Default))
	if _, err := p.parse(raw); err != nil {
		return fmt.Errorf("default %q: expected %v", raw, err)
	}
	return nil
}
