package record

import (
	"cmp"
	"slices"
	"strings"
)

const (
	// maxCharacters bounds data.avatars. Entries past it are ignored.
	maxCharacters = 1000

	// maxCharacterLevel is the highest character level the game has.
	maxCharacterLevel = 100
	maxFriendship     = 10
	maxConstellation  = 6

	// specialRarity is the rarity the body gives Aloy: a 5-star with a look
	// of its own.
	specialRarity = 105
)

// travelerIDs are the ids of the two player characters, whose friendship is
// always 0.
var travelerIDs = map[int]bool{10000005: true, 10000007: true}

// elementInfo describes one element with its CSS hex colour.
type elementInfo struct {
	name  string
	label label
	color string
}

var (
	elementNone = elementInfo{"None", label{"无", "None"}, "#9a9a9a"}

	// elements is keyed by the lower-case English name the body uses.
	elements = map[string]elementInfo{
		"pyro":    {"Pyro", label{"火", "Pyro"}, "#ff3e3e"},
		"hydro":   {"Hydro", label{"水", "Hydro"}, "#2f5fff"},
		"anemo":   {"Anemo", label{"风", "Anemo"}, "#1fd3a0"},
		"electro": {"Electro", label{"雷", "Electro"}, "#a200ff"},
		"dendro":  {"Dendro", label{"草", "Dendro"}, "#2fb33c"},
		"cryo":    {"Cryo", label{"冰", "Cryo"}, "#00ccff"},
		"geo":     {"Geo", label{"岩", "Geo"}, "#ffc400"},
	}
)

// ElementColor returns the CSS colour of an element name in any case; grey
// for None or an unknown element. Cards and Character.Color share it.
func ElementColor(element string) string {
	return lookupElement(element).color
}

// lookupElement returns the element for a body value. An unknown or empty
// value becomes None.
func lookupElement(name string) elementInfo {
	if e, ok := elements[strings.ToLower(name)]; ok {
		return e
	}

	return elementNone
}

// decodeCharacters reads data.avatars, keeping the first of entries that
// share an id, and sorts the result with compareByLevel.
func decodeCharacters(w *walker, n node, lang string) []Character {
	var characters []Character
	seen := make(map[int]bool)
	for _, item := range w.array(n, maxCharacters) {
		o, ok := w.object(item)
		if !ok {
			continue
		}

		c, hasID := decodeCharacter(w, o, lang)
		if hasID {
			if seen[c.ID] {
				continue
			}

			seen[c.ID] = true
		}

		characters = append(characters, c)
	}

	slices.SortStableFunc(characters, compareByLevel)

	return characters
}

func decodeCharacter(w *walker, o object, lang string) (Character, bool) {
	id, hasID := w.integer(o.field("id"))
	name, _ := w.text(o.field("name"))
	elementName, _ := w.text(o.field("element"))
	level, _ := w.integer(o.field("level"))
	rarity, _ := w.integer(o.field("rarity"))
	friendship, _ := w.integer(o.field("fetter"))
	constellation, _ := w.integer(o.field("actived_constellation_num"))
	icon, _ := w.text(o.field("image"))

	element := lookupElement(cleanText(elementName, maxShortRunes))
	traveler := travelerIDs[id]

	c := Character{
		ID:             id,
		Name:           cleanText(name, maxNameRunes),
		Element:        element.name,
		ElementLabel:   element.label.in(lang),
		Color:          element.color,
		Level:          clamp(level, 0, maxCharacterLevel),
		Traveler:       traveler,
		Friendship:     clamp(friendship, 0, maxFriendship),
		ShowFriendship: !traveler,
		Constellation:  clamp(constellation, 0, maxConstellation),
		Icon:           Image{Src: imageSrc(icon)},
	}
	c.Rarity, c.Special = normaliseRarity(rarity)

	return c, hasID
}

// normaliseRarity maps Aloy's 105 to a special 5 and clamps the rest to 0-5.
func normaliseRarity(raw int) (rarity int, special bool) {
	if raw == specialRarity {
		return 5, true
	}

	return clamp(raw, 0, 5), false
}

// compareByLevel orders characters by level, rarity and friendship, all
// descending, then by id.
func compareByLevel(a, b Character) int {
	return cmp.Or(
		cmp.Compare(b.Level, a.Level),
		cmp.Compare(b.Rarity, a.Rarity),
		cmp.Compare(b.Friendship, a.Friendship),
		cmp.Compare(a.ID, b.ID),
	)
}

// compareByRarity orders characters for showcase cards: rarity rank, then
// constellation, level and friendship, all descending, then by id.
func compareByRarity(a, b Character) int {
	return cmp.Or(
		cmp.Compare(rarityRank(b), rarityRank(a)),
		cmp.Compare(b.Constellation, a.Constellation),
		cmp.Compare(b.Level, a.Level),
		cmp.Compare(b.Friendship, a.Friendship),
		cmp.Compare(a.ID, b.ID),
	)
}

// rarityRank puts the traveler and Aloy between 4-star and 3-star characters,
// so that the traveler (owned by every player) and Aloy (a free gift) do not
// crowd out the characters a player pulled.
func rarityRank(c Character) int {
	if c.Traveler || c.Special {
		return 7
	}

	return 2 * c.Rarity
}

// CharactersByRarity returns a copy of r.Characters sorted for showcase
// cards: 5-star first, then 4-star, then the traveler and Aloy. Within a
// rank it orders by constellation, level and friendship, all descending, then by id.
func (r *Record) CharactersByRarity() []Character {
	characters := slices.Clone(r.Characters)
	slices.SortStableFunc(characters, compareByRarity)

	return characters
}
