package record

const (
	// maxHomes bounds data.homes. The game has four realms today.
	maxHomes     = 50
	maxHomeLevel = 100
)

// decodeHome reads data.homes: account-wide figures from the first entry and
// one Realm per entry, keeping the first of realms that share a name. It
// returns nil when the list holds no entry.
func decodeHome(w *walker, n node) *Home {
	var home *Home
	seen := make(map[string]bool)
	for _, item := range w.array(n, maxHomes) {
		o, ok := w.object(item)
		if !ok {
			continue
		}

		if home == nil {
			home = decodeHomeFigures(w, o)
		}

		name, _ := w.text(o.field("name"))
		icon, _ := w.text(o.field("icon"))
		realm := Realm{Name: cleanText(name, maxNameRunes), Icon: Image{Src: imageSrc(icon)}}
		if realm.Name != "" {
			if seen[realm.Name] {
				continue
			}

			seen[realm.Name] = true
		}

		home.Realms = append(home.Realms, realm)
	}

	return home
}

func decodeHomeFigures(w *walker, o object) *Home {
	level, _ := w.integer(o.field("level"))
	comfort, _ := w.integer(o.field("comfort_num"))
	comfortName, _ := w.text(o.field("comfort_level_name"))
	visits, _ := w.integer(o.field("visit_num"))
	items, _ := w.integer(o.field("item_num"))

	return &Home{
		Level:       clamp(level, 0, maxHomeLevel),
		Comfort:     clamp(comfort, 0, maxCount),
		ComfortName: cleanText(comfortName, maxNameRunes),
		Visits:      clamp(visits, 0, maxCount),
		Items:       clamp(items, 0, maxCount),
	}
}
