package record

import (
	"cmp"
	"slices"
)

const (
	// maxRegions bounds data.world_explorations. Entries past it are ignored.
	maxRegions   = 200
	maxOfferings = 20
	maxPerMille  = 1000
	// maxRegionLevel bounds reputation and offering levels, which are 10 and
	// 50 at most in the game today.
	maxRegionLevel = 100
)

// regionInfo contains the game data for a region id: its names, its parent
// (0 for top level) and the stats key of its oculus ("" for none).
type regionInfo struct {
	name      label
	parent    int
	oculusKey string
}

var regionTable = map[int]regionInfo{
	1:  {label{"蒙德", "Mondstadt"}, 0, "anemoculus_number"},
	2:  {label{"璃月", "Liyue"}, 0, "geoculus_number"},
	3:  {label{"龙脊雪山", "Dragonspine"}, 0, ""},
	4:  {label{"稻妻", "Inazuma"}, 0, "electroculus_number"},
	5:  {label{"渊下宫", "Enkanomiya"}, 0, ""},
	6:  {label{"层岩巨渊", "The Chasm"}, 0, ""},
	7:  {label{"层岩巨渊·地下矿区", "The Chasm: Underground Mines"}, 6, ""},
	8:  {label{"须弥", "Sumeru"}, 0, "dendroculus_number"},
	9:  {label{"枫丹", "Fontaine"}, 0, "hydroculus_number"},
	10: {label{"沉玉谷", "Chenyu Vale"}, 0, ""},
	11: {label{"来歆山", "Mt. Laixin"}, 10, ""},
	12: {label{"沉玉谷·南陵", "Chenyu Vale: Southern Vale"}, 10, ""},
	13: {label{"沉玉谷·上谷", "Chenyu Vale: Upper Vale"}, 10, ""},
	14: {label{"旧日之海", "Sea of Bygone Eras"}, 0, ""},
	15: {label{"纳塔", "Natlan"}, 0, "pyroculus_number"},
	17: {label{"挪德卡莱", "Nod-Krai"}, 0, "moonoculus_number"},
}

// parsedRegion is a region before folding, with the parent id it names.
type parsedRegion struct {
	Region
	parent int
	hasID  bool
}

// decodeRegions reads data.world_explorations, keeps the first of entries
// that share an id, folds sub-regions into their parent and links each
// region's oculus counter from oculi.
func decodeRegions(w *walker, n node, lang string, oculi []Oculus) []Region {
	var parsed []parsedRegion
	seen := make(map[int]bool)
	for _, item := range w.array(n, maxRegions) {
		o, ok := w.object(item)
		if !ok {
			continue
		}

		r := decodeRegion(w, o, lang)
		if r.hasID {
			if seen[r.ID] {
				continue
			}

			seen[r.ID] = true
		}

		parsed = append(parsed, r)
	}

	regions := foldRegions(parsed)
	linkOculi(regions, oculi)

	return regions
}

func decodeRegion(w *walker, o object, lang string) parsedRegion {
	id, hasID := w.integer(o.field("id"))
	parent, hasParent := w.integer(o.field("parent_id"))
	name, _ := w.text(o.field("name"))
	perMille, _ := w.integer(o.field("exploration_percentage"))
	kind, _ := w.text(o.field("type"))
	level, _ := w.integer(o.field("level"))
	icon, _ := w.text(o.field("icon"))

	info, known := regionTable[id]
	if !hasParent && known {
		// Bodies from before sub-regions existed carry no parent_id.
		parent = info.parent
	}

	r := Region{
		ID:        id,
		Name:      cleanText(name, maxNameRunes),
		PerMille:  clamp(perMille, 0, maxPerMille),
		Type:      cleanText(kind, maxShortRunes),
		Offerings: decodeOfferings(w, o.field("offerings")),
		Icon:      Image{Src: imageSrc(icon)},
	}
	if r.Name == "" && known {
		r.Name = info.name.in(lang)
	}

	r.Percent = formatPercent(r.PerMille)
	if r.Type == "Reputation" && level > 0 {
		r.Level = clamp(level, 0, maxRegionLevel)
		r.HasLevel = true
	}

	return parsedRegion{Region: r, parent: parent, hasID: hasID}
}

// decodeOfferings reads a region's offerings, leaving out those at level 0.
func decodeOfferings(w *walker, n node) []Offering {
	var offerings []Offering
	for _, item := range w.array(n, maxOfferings) {
		o, ok := w.object(item)
		if !ok {
			continue
		}

		name, _ := w.text(o.field("name"))
		level, _ := w.integer(o.field("level"))
		if level <= 0 {
			continue
		}

		offerings = append(offerings, Offering{
			Name:  cleanText(name, maxNameRunes),
			Level: clamp(level, 0, maxRegionLevel),
		})
	}

	return offerings
}

// foldRegions moves every region whose ancestors are present into the
// Subregions of its top-level ancestor. The others remain top-level. Both
// levels are sorted by id.
func foldRegions(parsed []parsedRegion) []Region {
	index := make(map[int]int, len(parsed))
	for i, r := range parsed {
		if r.hasID {
			index[r.ID] = i
		}
	}

	roots := make([]int, len(parsed))
	position := make(map[int]int)
	var regions []Region
	for i := range parsed {
		roots[i] = rootOf(parsed, index, i)
		if roots[i] == i {
			position[i] = len(regions)
			regions = append(regions, parsed[i].Region)
		}
	}

	for i, root := range roots {
		if root != i {
			top := &regions[position[root]]
			top.Subregions = append(top.Subregions, parsed[i].Region)
		}
	}

	byID := func(a, b Region) int { return cmp.Compare(a.ID, b.ID) }
	for i := range regions {
		slices.SortStableFunc(regions[i].Subregions, byID)
	}

	slices.SortStableFunc(regions, byID)

	return regions
}

// rootOf follows parent ids from region i up to a region whose parent is 0
// or absent from the body. A region caught in a parent cycle, or leading into
// one, is its own root, so that it is shown at top level.
func rootOf(parsed []parsedRegion, index map[int]int, i int) int {
	visited := map[int]bool{i: true}
	current := i
	for {
		parent := parsed[current].parent
		next, ok := index[parent]
		if parent == 0 || !ok {
			return current
		}

		if visited[next] {
			return i
		}

		visited[next] = true
		current = next
	}
}

// linkOculi sets each region's Oculus from the counter its id maps to.
func linkOculi(regions []Region, oculi []Oculus) {
	for i := range regions {
		regions[i].Oculus = findOculus(regions[i].ID, oculi)
		linkOculi(regions[i].Subregions, oculi)
	}
}

func findOculus(regionID int, oculi []Oculus) *Oculus {
	key := regionTable[regionID].oculusKey
	if key == "" {
		return nil
	}

	for _, o := range oculi {
		if o.Key == key {
			return &o
		}
	}

	return nil
}
