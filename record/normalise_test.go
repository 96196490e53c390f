package record

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestDecodeEmptyLists(t *testing.T) {
	r := mustDecode(t, `{"retcode":0,"data":{"role":null,"avatars":[],"stats":{},"world_explorations":[],"homes":[]}}`, "en")

	if r.Player != nil || r.Characters != nil || r.Regions != nil || r.Home != nil {
		t.Errorf("record = %+v, want no player, characters, regions or home", r)
	}

	if r.CharacterCount != 0 || r.MissingCharacters != 0 {
		t.Errorf("count %d, missing %d; want 0, 0", r.CharacterCount, r.MissingCharacters)
	}

	if r.Stats.Chests != nil || r.Stats.Oculi != nil || r.Stats.Theater != nil {
		t.Errorf("stats = %+v, want no chests, oculi or theater", r.Stats)
	}

	if f := r.Stats.Domains; f.Present || f.Key != "domain_number" || f.Label != "Domains" {
		t.Errorf("absent figure = %+v, want key and label set, not present", f)
	}

	if n := len(r.Images()); n != 0 {
		t.Errorf("len(Images()) = %d, want 0", n)
	}
}

func TestDecodeNullEntriesSkipped(t *testing.T) {
	r := mustDecode(t, `{"data":{"avatars":[null,{"id":1},null],"world_explorations":[null],"homes":[null]}}`, "en")

	if len(r.Characters) != 1 || r.Regions != nil || r.Home != nil {
		t.Errorf("record = %+v, want one character and nothing else", r)
	}
}

func TestDecodeRole(t *testing.T) {
	tests := []struct {
		name string
		body string
		want *Player
	}{
		{"null", `{"data":{"role":null,"avatars":[]}}`, nil},
		{"empty", `{"data":{"role":{}}}`, &Player{}},
		{
			"full",
			`{"data":{"role":{"nickname":" \u202eAether\n ","region":"cn_gf01","level":35,"game_head_icon":"https://example.test/h.png"}}}`,
			&Player{
				Nickname: "Aether", Region: "cn_gf01", Level: 35, HasLevel: true, WorldLevel: 4,
				HeadIcon: Image{Src: "https://example.test/h.png"},
			},
		},
		{"rank clamped", `{"data":{"role":{"level":1e9}}}`, &Player{Level: 100, HasLevel: true, WorldLevel: 8}},
		{"bad head icon", `{"data":{"role":{"game_head_icon":"javascript:alert(1)"}}}`, &Player{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := mustDecode(t, tt.body, "en")
			if !reflect.DeepEqual(r.Player, tt.want) {
				t.Errorf("Player = %+v, want %+v", r.Player, tt.want)
			}
		})
	}
}

func TestWorldLevel(t *testing.T) {
	tests := []struct{ rank, want int }{
		{0, 0}, {19, 0}, {20, 1}, {24, 1}, {25, 2}, {30, 3}, {35, 4},
		{40, 5}, {45, 6}, {50, 7}, {54, 7}, {55, 8}, {60, 8}, {100, 8},
	}
	for _, tt := range tests {
		if got := worldLevel(tt.rank); got != tt.want {
			t.Errorf("worldLevel(%d) = %d, want %d", tt.rank, got, tt.want)
		}
	}
}

func TestDecodeDuplicates(t *testing.T) {
	body := `{"data":{
		"avatars":[{"id":7,"level":80},{"id":7,"level":90},{"name":"a"},{"name":"b"}],
		"world_explorations":[{"id":1,"exploration_percentage":500},{"id":1,"exploration_percentage":900}],
		"homes":[
			{"level":10,"comfort_num":100,"name":"罗浮洞","icon":"https://example.test/1.png"},
			{"level":3,"comfort_num":5,"name":"罗浮洞"},
			{"name":"翠黛峰"}
		]}}`
	r := mustDecode(t, body, "zh-CN")

	if len(r.Characters) != 3 || findCharacter(t, r, 7).Level != 80 {
		t.Errorf("characters = %+v, want 3 with the first id 7 (level 80) kept and both id-less kept", r.Characters)
	}

	if len(r.Regions) != 1 || r.Regions[0].PerMille != 500 {
		t.Errorf("regions = %+v, want one region 1 at 500", r.Regions)
	}

	wantHome := &Home{
		Level: 10, Comfort: 100,
		Realms: []Realm{{Name: "罗浮洞", Icon: Image{Src: "https://example.test/1.png"}}, {Name: "翠黛峰"}},
	}
	if !reflect.DeepEqual(r.Home, wantHome) {
		t.Errorf("Home = %+v, want %+v", r.Home, wantHome)
	}
}

func TestDecodeClampsCharacters(t *testing.T) {
	body := `{"data":{"avatars":[
		{"id":1,"level":250,"fetter":12,"actived_constellation_num":9,"rarity":7},
		{"id":2,"level":-3,"fetter":-1,"actived_constellation_num":-2,"rarity":-4},
		{"id":3,"level":9e1,"rarity":4.0,"fetter":1e1}
	]}}`
	r := mustDecode(t, body, "en")

	tests := []struct {
		id                                       int
		level, friendship, constellation, rarity int
	}{
		{1, 100, 10, 6, 5},
		{2, 0, 0, 0, 0},
		{3, 90, 10, 0, 4},
	}
	for _, tt := range tests {
		c := findCharacter(t, r, tt.id)
		got := []int{c.Level, c.Friendship, c.Constellation, c.Rarity}
		want := []int{tt.level, tt.friendship, tt.constellation, tt.rarity}
		if !slices.Equal(got, want) {
			t.Errorf("character %d level, friendship, constellation, rarity = %v, want %v", tt.id, got, want)
		}
	}
}

func TestDecodeElements(t *testing.T) {
	tests := []struct {
		element                        string
		wantName, wantLabel, wantColor string
	}{
		{"Dendro", "Dendro", "草", "#2fb33c"},
		{"dendro", "Dendro", "草", "#2fb33c"},
		{"Geo", "Geo", "岩", "#ffc400"},
		{"Hydro", "Hydro", "水", "#2f5fff"},
		{"Anemo", "Anemo", "风", "#1fd3a0"},
		{"Pyro", "Pyro", "火", "#ff3e3e"},
		{"None", "None", "无", "#9a9a9a"},
		{"", "None", "无", "#9a9a9a"},
		{"Lunar", "None", "无", "#9a9a9a"},
	}
	for _, tt := range tests {
		r := mustDecode(t, fmt.Sprintf(`{"data":{"avatars":[{"id":1,"element":%q}]}}`, tt.element), "zh-CN")
		c := r.Characters[0]
		if c.Element != tt.wantName || c.ElementLabel != tt.wantLabel || c.Color != tt.wantColor {
			t.Errorf("element %q = %q %q %q, want %q %q %q",
				tt.element, c.Element, c.ElementLabel, c.Color, tt.wantName, tt.wantLabel, tt.wantColor)
		}
	}

	r := mustDecode(t, `{"data":{"avatars":[{"id":1,"element":"Cryo"}]}}`, "en")
	if got := r.Characters[0].ElementLabel; got != "Cryo" {
		t.Errorf("English element label = %q, want Cryo", got)
	}
}

func TestDecodeClampsPerMille(t *testing.T) {
	tests := []struct {
		perMille    string
		want        int
		wantPercent string
	}{
		{"1093", 1000, "100"},
		{"1000", 1000, "100"},
		{"999", 999, "99.9"},
		{"563", 563, "56.3"},
		{"990", 990, "99"},
		{"5", 5, "0.5"},
		{"0", 0, "0"},
		{"-20", 0, "0"},
		{"1e12", 1000, "100"},
	}
	for _, tt := range tests {
		r := mustDecode(t, `{"data":{"world_explorations":[{"id":99,"exploration_percentage":`+tt.perMille+`}]}}`, "en")
		region := r.Regions[0]
		if region.PerMille != tt.want || region.Percent != tt.wantPercent {
			t.Errorf("exploration_percentage %s = %d (%q), want %d (%q)",
				tt.perMille, region.PerMille, region.Percent, tt.want, tt.wantPercent)
		}
	}
}

func TestDecodeUnknownRegion(t *testing.T) {
	body := `{"data":{
		"stats":{"anemoculus_number":66},
		"world_explorations":[{"id":42,"parent_id":0,"name":"新地区","icon":"https://example.test/r.png",
			"exploration_percentage":120,"type":"Reputation","level":3}]}}`
	r := mustDecode(t, body, "en")

	want := []Region{{
		ID: 42, Name: "新地区", PerMille: 120, Percent: "12", Type: "Reputation", Level: 3, HasLevel: true,
		Icon: Image{Src: "https://example.test/r.png"},
	}}
	if !reflect.DeepEqual(r.Regions, want) {
		t.Errorf("Regions = %+v, want %+v", r.Regions, want)
	}
}

func TestDecodeRegionNameFallback(t *testing.T) {
	body := `{"data":{"world_explorations":[{"id":1},{"id":2,"name":""},{"id":77}]}}`
	tests := []struct {
		lang string
		want []string
	}{
		{"zh-CN", []string{"蒙德", "璃月", ""}},
		{"en", []string{"Mondstadt", "Liyue", ""}},
	}
	for _, tt := range tests {
		r := mustDecode(t, body, tt.lang)

		var names []string
		for _, region := range r.Regions {
			names = append(names, region.Name)
		}

		if !slices.Equal(names, tt.want) {
			t.Errorf("lang %s: names = %q, want %q", tt.lang, names, tt.want)
		}
	}
}

func TestDecodeFoldsSubregions(t *testing.T) {
	tests := []struct {
		name    string
		regions string
		want    map[int][]int // top-level id -> sub-region ids
	}{
		{
			"parent present",
			`{"id":13,"parent_id":10},{"id":10,"parent_id":0},{"id":11,"parent_id":10},{"id":9,"parent_id":0}`,
			map[int][]int{9: nil, 10: {11, 13}},
		},
		{"parent absent", `{"id":13,"parent_id":10},{"id":14,"parent_id":0}`, map[int][]int{13: nil, 14: nil}},
		{"known parent without parent_id", `{"id":7},{"id":6}`, map[int][]int{6: {7}}},
		{"known parent absent without parent_id", `{"id":7},{"id":1}`, map[int][]int{1: nil, 7: nil}},
		{"grandchild folds into root", `{"id":30,"parent_id":20},{"id":20,"parent_id":10},{"id":10}`, map[int][]int{10: {20, 30}}},
		{"cycle is top-level", `{"id":50,"parent_id":51},{"id":51,"parent_id":50}`, map[int][]int{50: nil, 51: nil}},
		{"self parent", `{"id":60,"parent_id":60}`, map[int][]int{60: nil}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := mustDecode(t, `{"data":{"world_explorations":[`+tt.regions+`]}}`, "en")

			got := make(map[int][]int)
			for _, region := range r.Regions {
				var subs []int
				for _, sub := range region.Subregions {
					subs = append(subs, sub.ID)
					if sub.Subregions != nil {
						t.Errorf("sub-region %d has sub-regions %+v", sub.ID, sub.Subregions)
					}
				}

				got[region.ID] = subs
			}

			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("folded = %v, want %v", got, tt.want)
			}

			if !slices.IsSorted(regionIDs(r.Regions)) {
				t.Errorf("top-level ids %v are not sorted", regionIDs(r.Regions))
			}
		})
	}
}

func TestDecodeOculi(t *testing.T) {
	body := `{"data":{"stats":{
		"frostoculus_number":3, "pyroculus_number":12, "anemoculus_number":0,
		"geoculus_number":200, "aaaculus_number":1, "win_rate":0, "field_ext_map":{"x":{}}
	}}}`
	want := []Oculus{
		{Key: "anemoculus_number", Element: "Anemo", Label: "Anemoculi", Count: 0, Total: 66},
		{Key: "geoculus_number", Element: "Geo", Label: "Geoculi", Count: 200, Total: 131, Complete: true},
		{Key: "pyroculus_number", Element: "Pyro", Label: "Pyroculi", Count: 12},
		{Key: "aaaculus_number", Label: "Aaaculi", Count: 1},
		{Key: "frostoculus_number", Label: "Frostoculi", Count: 3},
	}

	r := mustDecode(t, body, "en")
	if !reflect.DeepEqual(r.Stats.Oculi, want) {
		t.Errorf("Oculi =\n%+v\nwant\n%+v", r.Stats.Oculi, want)
	}

	r = mustDecode(t, body, "zh-CN")
	if got := r.Stats.Oculi[0].Label; got != "风神瞳" {
		t.Errorf("zh-CN anemo label = %q, want 风神瞳", got)
	}

	if got := r.Stats.Oculi[4].Label; got != "Frostoculi" {
		t.Errorf("zh-CN unknown label = %q, want Frostoculi", got)
	}
}

func TestDecodeUnknownOculiCapped(t *testing.T) {
	var keys []string
	for i := range 40 {
		keys = append(keys, fmt.Sprintf(`"k%02doculus_number":%d`, i, i))
	}

	r := mustDecode(t, `{"data":{"stats":{`+strings.Join(keys, ",")+`}}}`, "en")
	if len(r.Stats.Oculi) != maxUnknownOculi || r.Stats.Oculi[0].Key != "k00oculus_number" {
		t.Errorf("got %d oculi starting with %q, want %d starting with k00oculus_number",
			len(r.Stats.Oculi), r.Stats.Oculi[0].Key, maxUnknownOculi)
	}
}

func TestDecodeStatsFigures(t *testing.T) {
	tests := []struct {
		name          string
		stats         string
		wantAbyss     Figure
		wantAttempted bool
	}{
		{"attempted", `{"spiral_abyss":"12-3"}`, Figure{"spiral_abyss", "深境螺旋", "12-3", 0, true}, true},
		{"dash", `{"spiral_abyss":"-"}`, Figure{"spiral_abyss", "深境螺旋", "-", 0, true}, false},
		{"empty", `{"spiral_abyss":" "}`, Figure{"spiral_abyss", "深境螺旋", "-", 0, true}, false},
		{"absent", `{}`, Figure{"spiral_abyss", "深境螺旋", "", 0, false}, false},
	}
	for _, tt := range tests {
		r := mustDecode(t, `{"data":{"stats":`+tt.stats+`}}`, "zh-CN")
		if r.Stats.SpiralAbyss != tt.wantAbyss || r.Stats.AbyssAttempted != tt.wantAttempted {
			t.Errorf("%s: abyss = %+v (attempted %v), want %+v (%v)",
				tt.name, r.Stats.SpiralAbyss, r.Stats.AbyssAttempted, tt.wantAbyss, tt.wantAttempted)
		}
	}

	r := mustDecode(t, `{"data":{"stats":{"active_day_number":-4,"achievement_number":1e15,"way_point_number":0}}}`, "en")
	figures := []struct {
		got  Figure
		want Figure
	}{
		{r.Stats.ActiveDays, Figure{"active_day_number", "Days Active", "0", 0, true}},
		{r.Stats.Achievements, Figure{"achievement_number", "Achievements", "999999999", maxCount, true}},
		{r.Stats.Waypoints, Figure{"way_point_number", "Waypoints", "0", 0, true}},
		{r.Stats.Domains, Figure{"domain_number", "Domains", "", 0, false}},
	}
	for _, f := range figures {
		if f.got != f.want {
			t.Errorf("figure = %+v, want %+v", f.got, f.want)
		}
	}
}

func TestDecodeChestOrder(t *testing.T) {
	r := mustDecode(t, `{"data":{"stats":{"magic_chest_number":5,"common_chest_number":1,"precious_chest_number":-3}}}`, "zh-CN")

	want := []Counter{
		{Key: "common_chest_number", Kind: "common", Label: "普通宝箱", Count: 1},
		{Key: "precious_chest_number", Kind: "precious", Label: "珍贵宝箱", Count: 0},
		{Key: "magic_chest_number", Kind: "remarkable", Label: "奇馈宝箱", Count: 5},
	}
	if !reflect.DeepEqual(r.Stats.Chests, want) {
		t.Errorf("Chests = %+v, want %+v", r.Stats.Chests, want)
	}
}

func TestDecodePartialCharacterList(t *testing.T) {
	tests := []struct {
		name                   string
		body                   string
		wantCount, wantMissing int
	}{
		{"showcase", `{"data":{"stats":{"avatar_number":50},"avatars":[{"id":1},{"id":2}]}}`, 50, 48},
		{"no avatar_number", `{"data":{"avatars":[{"id":1},{"id":2}]}}`, 2, 0},
		{"avatar_number too small", `{"data":{"stats":{"avatar_number":1},"avatars":[{"id":1},{"id":2}]}}`, 2, 0},
	}
	for _, tt := range tests {
		r := mustDecode(t, tt.body, "en")
		if r.CharacterCount != tt.wantCount || r.MissingCharacters != tt.wantMissing {
			t.Errorf("%s: count %d, missing %d; want %d, %d",
				tt.name, r.CharacterCount, r.MissingCharacters, tt.wantCount, tt.wantMissing)
		}
	}
}

func TestDecodeListCaps(t *testing.T) {
	var avatars, regions, homes []string
	for i := range 1500 {
		avatars = append(avatars, fmt.Sprintf(`{"id":%d}`, i+1))
	}

	// Ids past the known table, so that no entry folds into another.
	for i := range 300 {
		regions = append(regions, fmt.Sprintf(`{"id":%d}`, 1000+i))
	}

	for i := range 80 {
		homes = append(homes, fmt.Sprintf(`{"name":"realm %d"}`, i))
	}

	// A wrong type past the cap is not read, so it cannot fail the body.
	avatars = append(avatars, `{"level":"x"}`)
	body := fmt.Sprintf(`{"data":{"avatars":[%s],"world_explorations":[%s],"homes":[%s]}}`,
		strings.Join(avatars, ","), strings.Join(regions, ","), strings.Join(homes, ","))

	r := mustDecode(t, body, "en")
	if len(r.Characters) != maxCharacters || len(r.Regions) != maxRegions || len(r.Home.Realms) != maxHomes {
		t.Errorf("got %d characters, %d regions, %d realms; want %d, %d, %d",
			len(r.Characters), len(r.Regions), len(r.Home.Realms), maxCharacters, maxRegions, maxHomes)
	}
}

func TestDecodeCleansStrings(t *testing.T) {
	long := strings.Repeat("龙", 100)
	body := fmt.Sprintf(`{"data":{"avatars":[{"id":1,"name":"  Hu\u0000 Tao\t\u202e "},{"id":2,"name":%q}]}}`, long)
	r := mustDecode(t, body, "en")

	if got := findCharacter(t, r, 1).Name; got != "Hu Tao" {
		t.Errorf("name = %q, want %q", got, "Hu Tao")
	}

	if got := findCharacter(t, r, 2).Name; got != strings.Repeat("龙", maxNameRunes) {
		t.Errorf("long name has %d runes, want %d", len([]rune(got)), maxNameRunes)
	}
}

func TestDecodeAcceptsBOM(t *testing.T) {
	r := mustDecode(t, "\xef\xbb\xbf"+`{"data":{"avatars":[{"id":1}]}}`, "en")
	if len(r.Characters) != 1 {
		t.Errorf("got %d characters, want 1", len(r.Characters))
	}
}
