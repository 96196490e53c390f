package record

import (
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

const (
	// maxCount bounds every counter so that formatted values stay short.
	maxCount = 999_999_999
	// maxUnknownOculi bounds the oculus keys outside oculusTable.
	maxUnknownOculi = 16
	maxRoundID      = 100

	oculusSuffix = "culus_number"
)

var figureLabels = map[string]label{
	"active_day_number":      {"活跃天数", "Days Active"},
	"achievement_number":     {"成就达成数", "Achievements"},
	"avatar_number":          {"获得角色数", "Characters"},
	"way_point_number":       {"解锁传送点", "Waypoints"},
	"domain_number":          {"解锁秘境", "Domains"},
	"full_fetter_avatar_num": {"满好感角色数", "Max Friendship"},
	"spiral_abyss":           {"深境螺旋", "Spiral Abyss"},
}

// chestTable lists the chest counters in display order.
var chestTable = []struct {
	key, kind string
	label     label
}{
	{"common_chest_number", "common", label{"普通宝箱", "Common Chests"}},
	{"exquisite_chest_number", "exquisite", label{"精致宝箱", "Exquisite Chests"}},
	{"precious_chest_number", "precious", label{"珍贵宝箱", "Precious Chests"}},
	{"luxurious_chest_number", "luxurious", label{"华丽宝箱", "Luxurious Chests"}},
	{"magic_chest_number", "remarkable", label{"奇馈宝箱", "Remarkable Chests"}},
}

// oculusTable lists the known oculus counters in game order. A total of 0
// means the collectable total still grows with patches.
var oculusTable = []struct {
	key, element string
	label        label
	total        int
}{
	{"anemoculus_number", "Anemo", label{"风神瞳", "Anemoculi"}, 66},
	{"geoculus_number", "Geo", label{"岩神瞳", "Geoculi"}, 131},
	{"electroculus_number", "Electro", label{"雷神瞳", "Electroculi"}, 181},
	{"dendroculus_number", "Dendro", label{"草神瞳", "Dendroculi"}, 271},
	{"hydroculus_number", "Hydro", label{"水神瞳", "Hydroculi"}, 271},
	{"pyroculus_number", "Pyro", label{"火神瞳", "Pyroculi"}, 0},
	{"moonoculus_number", "Moon", label{"月神瞳", "Moonoculi"}, 0},
}

// decodeStats reads data.stats. Figures keep their key and label even when
// the body lacks them, so a card can show the label with a placeholder.
func decodeStats(w *walker, n node, lang string) Stats {
	o, _ := w.object(n)

	s := Stats{
		ActiveDays:     countFigure(w, o, "active_day_number", lang),
		Achievements:   countFigure(w, o, "achievement_number", lang),
		Characters:     countFigure(w, o, "avatar_number", lang),
		Waypoints:      countFigure(w, o, "way_point_number", lang),
		Domains:        countFigure(w, o, "domain_number", lang),
		FullFriendship: countFigure(w, o, "full_fetter_avatar_num", lang),
	}
	s.SpiralAbyss, s.AbyssAttempted = abyssFigure(w, o, lang)
	s.Chests = decodeChests(w, o, lang)
	s.Oculi = decodeOculi(w, o, lang)
	s.Theater = decodeTheater(w, o.field("role_combat"))

	return s
}

func countFigure(w *walker, o object, key, lang string) Figure {
	f := Figure{Key: key, Label: figureLabels[key].in(lang)}

	count, ok := w.integer(o.field(key))
	if ok {
		f.Number = clamp(count, 0, maxCount)
		f.Value = strconv.Itoa(f.Number)
		f.Present = true
	}

	return f
}

// abyssFigure reads spiral_abyss, a floor-chamber string like "12-3". A "-"
// or an empty string means the player has not attempted it this season.
func abyssFigure(w *walker, o object, lang string) (Figure, bool) {
	const key = "spiral_abyss"

	f := Figure{Key: key, Label: figureLabels[key].in(lang)}

	raw, ok := w.text(o.field(key))
	if !ok {
		return f, false
	}

	f.Value = cleanText(raw, maxShortRunes)
	f.Present = true
	attempted := f.Value != "" && f.Value != "-"
	if f.Value == "" {
		f.Value = "-"
	}

	return f, attempted
}

func decodeChests(w *walker, o object, lang string) []Counter {
	var chests []Counter
	for _, chest := range chestTable {
		count, ok := w.integer(o.field(chest.key))
		if !ok {
			continue
		}

		chests = append(chests, Counter{
			Key:   chest.key,
			Kind:  chest.kind,
			Label: chest.label.in(lang),
			Count: clamp(count, 0, maxCount),
		})
	}

	return chests
}

// decodeOculi reads every key ending in "culus_number": the known ones in
// game order, then up to maxUnknownOculi others sorted by key.
func decodeOculi(w *walker, o object, lang string) []Oculus {
	var oculi []Oculus
	known := make(map[string]bool, len(oculusTable))
	for _, entry := range oculusTable {
		known[entry.key] = true

		count, ok := w.integer(o.field(entry.key))
		if !ok {
			continue
		}

		oculi = append(oculi, newOculus(entry.key, entry.element, entry.label.in(lang), count, entry.total))
	}

	var unknown []string
	for key := range o.fields {
		if strings.HasSuffix(key, oculusSuffix) && !known[key] {
			unknown = append(unknown, key)
		}
	}

	// Sorting before reading makes the first type error, and so the
	// reported path, the same on every run.
	slices.Sort(unknown)
	for _, key := range unknown[:min(len(unknown), maxUnknownOculi)] {
		count, ok := w.integer(o.field(key))
		if !ok {
			continue
		}

		cleanKey := cleanText(key, maxNameRunes)
		oculi = append(oculi, newOculus(cleanKey, "", oculusLabel(cleanKey), count, 0))
	}

	return oculi
}

func newOculus(key, element, label string, count, total int) Oculus {
	count = clamp(count, 0, maxCount)

	return Oculus{
		Key:      key,
		Element:  element,
		Label:    label,
		Count:    count,
		Total:    total,
		Complete: total > 0 && count >= total,
	}
}

// oculusLabel derives a label from an unknown key in both languages, since
// no translation exists yet: "frostoculus_number" -> "Frostoculi".
func oculusLabel(key string) string {
	name := strings.TrimSuffix(key, "_number")
	name = strings.TrimSpace(strings.ReplaceAll(name, "_", " "))
	if base, ok := strings.CutSuffix(name, "us"); ok {
		name = base + "i"
	}

	if name == "" {
		return "Oculi"
	}

	first, size := utf8.DecodeRuneInString(name)

	return string(unicode.ToUpper(first)) + name[size:]
}

// decodeTheater reads role_combat, the Imaginarium Theater summary.
func decodeTheater(w *walker, n node) *Theater {
	o, ok := w.object(n)
	if !ok {
		return nil
	}

	unlocked, _ := w.boolean(o.field("is_unlock"))
	round, _ := w.integer(o.field("max_round_id"))
	hasData, _ := w.boolean(o.field("has_data"))

	return &Theater{Unlocked: unlocked, MaxRoundID: clamp(round, 0, maxRoundID), HasData: hasData}
}
