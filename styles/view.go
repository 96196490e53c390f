package styles

import (
	"fmt"

	"github.com/igs-dev/igs/record"
)

// View is the data every style template receives: the normalised game record
// plus the request's parameters. Templates never see raw JSON.
type View struct {
	*record.Record

	// UID is the uid parameter as display text ("" when absent).
	UID string
	// Nickname is the nickname parameter, else role.nickname, else "".
	Nickname string
	// Avatar is the avatar parameter (a QQ number or an http(s) URL), else
	// role.game_head_icon; OK is false when neither gave an image.
	Avatar record.Image
	// Background is bg_url when given and fetched, else the style's or the
	// bundled default background. Its URL is always set.
	Background record.Image

	// Params contains every parameter the style's manifest declares, parsed
	// to its type (string, int or bool), with the default when absent. A
	// parameter absent with no default is not in the map.
	Params map[string]any

	// L maps label keys to text in the request language: the shared labels
	// merged with the style manifest's own.
	L map[string]string

	// Style is the manifest of the style being rendered.
	Style *Manifest

	// Scale is the device scale factor of the render (1-3).
	Scale float64
}

// Label returns the label key in the view's language, filled with args by
// fmt.Sprintf when given. An unknown key returns the key itself.
func (v *View) Label(key string, args ...any) string {
	if v == nil {
		return key
	}
	text, ok := v.L[key]
	if !ok {
		return key
	}
	if len(args) > 0 {
		return fmt.Sprintf(text, args...)
	}
	return text
}
