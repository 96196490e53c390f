package record

// Record is the normalised game record that every card style receives.
// Lists are sorted, de-duplicated by id and clamped; sub-regions are folded
// into their parent region; labels are in the request language.
type Record struct {
	// Lang is the label language: LangZH ("zh-CN") or LangEN ("en").
	Lang string

	// Player is nil when the body has no role object.
	Player *Player

	Stats Stats

	// Characters is sorted by level, then rarity, then friendship, all
	// descending, then by id ascending. See also CharactersByRarity.
	Characters []Character

	// CharacterCount is stats.avatar_number, or len(Characters) when the body
	// lacks it or gives less. MissingCharacters is CharacterCount minus
	// len(Characters): showcase bodies list only 8 characters.
	CharacterCount    int
	MissingCharacters int

	// Regions holds top-level regions sorted by id, sub-regions folded in.
	Regions []Region

	// Home is nil when the body has no homes.
	Home *Home
}

// Player is the role object of the body.
type Player struct {
	Nickname string
	// Region is the server id or display name as the body gives it.
	Region string
	// Level is the adventure rank (clamped to 0-100); HasLevel is false when
	// the body lacks it.
	Level    int
	HasLevel bool
	// WorldLevel follows from Level (0-8), 0 when HasLevel is false.
	WorldLevel int
	// HeadIcon is the profile picture; its Src is empty when absent.
	HeadIcon Image
}

// Stats holds the figures of data.stats. Figure.Present, the list lengths and
// a nil Theater mark what the body lacks, so that a card can leave it out.
// Counts are clamped to 0-999999999.
type Stats struct {
	ActiveDays   Figure
	Achievements Figure
	Characters   Figure // avatar_number
	Waypoints    Figure
	Domains      Figure
	// FullFriendship is full_fetter_avatar_num (newer bodies).
	FullFriendship Figure

	// SpiralAbyss is like "12-3", with Value "-" when the body gives an empty
	// string; AbyssAttempted is false for "-" or empty.
	SpiralAbyss    Figure
	AbyssAttempted bool

	// Chests lists the chest counters present, in the order common,
	// exquisite, precious, luxurious, remarkable (magic_chest_number).
	Chests []Counter

	// Oculi lists every key ending in "culus_number", known elements first in
	// game order (anemo, geo, electro, dendro, hydro, pyro, moon), then at
	// most 16 unknown keys sorted by key.
	Oculi []Oculus

	// Theater is role_combat (Imaginarium Theater); nil when absent.
	Theater *Theater
}

// Figure is one labelled figure. Key and Label are set even when the body
// lacks the figure; Present is false then.
type Figure struct {
	Key     string // the JSON key, e.g. "active_day_number"
	Label   string // in the request language
	Value   string // formatted for display, e.g. "404" or "12-3"
	Number  int    // numeric value, 0 for non-numeric figures
	Present bool
}

// Counter is a chest counter.
type Counter struct {
	Key   string // e.g. "common_chest_number"
	Kind  string // common, exquisite, precious, luxurious, remarkable
	Label string
	Count int
}

// Oculus is one oculus collection counter.
type Oculus struct {
	Key     string // e.g. "anemoculus_number"
	Element string // Anemo, Geo, Electro, Dendro, Hydro, Pyro, Moon, or "" when unknown
	// Label is e.g. "风神瞳" / "Anemoculi"; for an unknown key it is derived
	// from the key in both languages ("frostoculus_number" -> "Frostoculi").
	Label string
	Count int
	// Total is the known collectable total, 0 when unknown (pyro, moon, new keys).
	Total    int
	Complete bool // Total > 0 && Count >= Total
}

// Theater is the Imaginarium Theater summary.
type Theater struct {
	Unlocked   bool
	MaxRoundID int
	HasData    bool
}

// Character is one entry of data.avatars.
type Character struct {
	ID   int
	Name string
	// Element is the English element name (Pyro, Hydro, Anemo, Electro,
	// Dendro, Cryo, Geo), or None when the body gives none or an unknown one;
	// ElementLabel is in the request language.
	Element      string
	ElementLabel string
	// Color is the element colour as a CSS hex string, e.g. "#ff3e3e".
	Color string
	Level int
	// Rarity is 4 or 5 in practice, clamped to 0-5 (0 when absent); Aloy's
	// 105 becomes 5 with Special set.
	Rarity  int
	Special bool // rarity 105 (Aloy): a 5-star look of its own
	// Traveler is true for ids 10000005 and 10000007.
	Traveler bool
	// Friendship is 0-10; ShowFriendship is false for the traveler, whose
	// friendship is always 0.
	Friendship     int
	ShowFriendship bool
	// Constellation is 0-6.
	Constellation int
	Icon          Image
}

// Region is one world_explorations entry.
type Region struct {
	ID int
	// Name is the body's name, or the known name in the request language
	// when the body gives none.
	Name string
	// PerMille is exploration_percentage clamped to 0-1000; Percent is
	// PerMille/10 formatted with one decimal, e.g. "100" or "56.3".
	PerMille int
	Percent  string
	// Type is Reputation, Offering or TypeUnknow as the body gives it.
	Type string
	// Level is the reputation level when Type is Reputation and level > 0
	// (clamped to 100).
	Level    int
	HasLevel bool
	// Offerings lists offerings with level > 0.
	Offerings []Offering
	Icon      Image
	// Subregions are the regions whose parent_id leads to this region, sorted
	// by id; a body without parent_id uses the known parent of the id.
	// Subregions never hold Subregions of their own.
	Subregions []Region
	// Oculus is a copy of the region's oculus counter from Stats.Oculi; nil
	// when the region has none or the body lacks the key.
	Oculus *Oculus
}

// Offering is a region's offering (Frostbearing Tree, Sacred Sakura, ...).
type Offering struct {
	Name  string
	Level int
}

// Home is the Serenitea Pot summary. Every homes entry repeats the
// account-wide figures, so they come from the first entry.
type Home struct {
	Level       int
	Comfort     int
	ComfortName string
	Visits      int
	Items       int
	// Realms has one entry per homes entry, without repeated names.
	Realms []Realm
}

// Realm is one unlocked Serenitea Pot realm.
type Realm struct {
	Name string
	Icon Image
}

// Image is a remote image named by the body or a request parameter.
// Src is the original URL, which Decode leaves empty unless the body gives an
// absolute http or https URL. The asset pipeline fills URL with a root-relative
// URL that Chrome may load, and sets OK when the image was fetched. When the
// fetch failed or Src is empty, URL is "" and the template draws a
// placeholder.
type Image struct {
	Src string
	URL string
	OK  bool
}
