package styles

// Manifest describes a style; it is read from style.json in the style folder.
type Manifest struct {
	// Name is the style id used in ?style=; it equals the folder name.
	Name        string   `json:"name"`
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Aliases     []string `json:"aliases,omitempty"`
	// Width is the card width in CSS pixels; the image is exactly this wide
	// at scale 1.
	Width int `json:"width"`
	// Widths overrides Width by the value of an enum parameter:
	// {"layout": {"portrait": 600}} makes ?layout=portrait 600 px wide.
	Widths map[string]map[string]int `json:"widths,omitempty"`
	// Selector names the element captured; "" means "#card".
	Selector string `json:"selector,omitempty"`
	// Template is the entry template file; "" means "card.html".
	Template string `json:"template,omitempty"`
	// JavaScript allows scripts in the page (a fresh document per render).
	JavaScript bool `json:"javascript,omitempty"`
	// Params lists the query parameters the style reads, beyond the output
	// parameters every style takes (type, quality, lang, scale).
	Params []Param `json:"params"`
	// Labels adds or overrides labels per language: Labels["en"]["title"].
	Labels map[string]map[string]string `json:"labels,omitempty"`
	// Samples names the bundled sample data sets to preview with.
	Samples []string `json:"samples,omitempty"`
}

// Param is one query parameter a style reads.
type Param struct {
	Name string `json:"name"`
	// Type is one of: string, int, bool, enum, url, avatar.
	// url takes http/https URLs; avatar takes a QQ number or an http/https URL.
	Type        string   `json:"type"`
	Default     any      `json:"default,omitempty"`
	Min         *int     `json:"min,omitempty"`
	Max         *int     `json:"max,omitempty"`
	MaxLen      int      `json:"max_len,omitempty"`
	Enum        []string `json:"enum,omitempty"`
	Aliases     []string `json:"aliases,omitempty"`
	Description string   `json:"description,omitempty"`
}
