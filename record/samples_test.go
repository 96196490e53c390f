package record

import (
	"encoding/json"
	"reflect"
	"slices"
	"testing"
)

func TestDecodeSample42Avatars(t *testing.T) {
	r, err := Decode(readSample(t, "index-42-avatars.json"), "zh-CN")
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}

	if r.Lang != LangZH {
		t.Errorf("Lang = %q, want %q", r.Lang, LangZH)
	}

	if r.Player != nil {
		t.Errorf("Player = %+v, want nil for role null", r.Player)
	}

	if len(r.Characters) != 42 || r.CharacterCount != 42 || r.MissingCharacters != 0 {
		t.Errorf("characters: len %d, count %d, missing %d; want 42, 42, 0",
			len(r.Characters), r.CharacterCount, r.MissingCharacters)
	}

	if first, last := r.Characters[0].ID, r.Characters[41].ID; first != 10000037 || last != 10000044 {
		t.Errorf("level order: first %d, last %d; want 10000037 (Ganyu), 10000044 (Xinyan)", first, last)
	}

	traveler := findCharacter(t, r, 10000007)
	if !traveler.Traveler || traveler.ShowFriendship || traveler.Name != "旅行者" {
		t.Errorf("traveler = %+v, want Traveler, no friendship shown, name 旅行者", traveler)
	}

	if traveler.Element != "Electro" || traveler.ElementLabel != "雷" || traveler.Color != "#a200ff" {
		t.Errorf("traveler element = %q %q %q, want Electro 雷 #a200ff",
			traveler.Element, traveler.ElementLabel, traveler.Color)
	}

	aloy := findCharacter(t, r, 10000062)
	if aloy.Rarity != 5 || !aloy.Special || !aloy.ShowFriendship || aloy.Friendship != 9 {
		t.Errorf("Aloy = %+v, want rarity 5, special, friendship 9 shown", aloy)
	}

	ganyu := findCharacter(t, r, 10000037)
	want := Character{
		ID: 10000037, Name: "甘雨", Element: "Cryo", ElementLabel: "冰", Color: "#00ccff",
		Level: 90, Rarity: 5, Friendship: 10, ShowFriendship: true, Constellation: 6,
		Icon: Image{Src: "https://upload-os-bbs.mihoyo.com/game_record/genshin/character_icon/UI_AvatarIcon_Ganyu.png"},
	}
	if !reflect.DeepEqual(ganyu, want) {
		t.Errorf("Ganyu =\n%+v\nwant\n%+v", ganyu, want)
	}

	if got := regionIDs(r.Regions); !slices.Equal(got, []int{1, 2, 3, 4}) {
		t.Errorf("region ids = %v, want [1 2 3 4]", got)
	}

	mondstadt := findRegion(t, r.Regions, 1)
	if mondstadt.Oculus == nil || mondstadt.Oculus.Count != 66 || !mondstadt.Oculus.Complete {
		t.Errorf("Mondstadt oculus = %+v, want 66/66 complete", mondstadt.Oculus)
	}

	if mondstadt.Percent != "100" || mondstadt.Level != 8 || !mondstadt.HasLevel {
		t.Errorf("Mondstadt = %q%%, level %d (%v); want 100%%, level 8", mondstadt.Percent, mondstadt.Level, mondstadt.HasLevel)
	}

	dragonspine := findRegion(t, r.Regions, 3)
	if dragonspine.Oculus != nil || dragonspine.HasLevel || dragonspine.Type != "Offering" {
		t.Errorf("Dragonspine = %+v, want no oculus, no reputation level, type Offering", dragonspine)
	}

	if want := []Offering{{Name: "忍冬之树", Level: 12}}; !reflect.DeepEqual(dragonspine.Offerings, want) {
		t.Errorf("Dragonspine offerings = %+v, want %+v", dragonspine.Offerings, want)
	}

	if len(r.Stats.Chests) != 5 || r.Stats.Chests[4].Kind != "remarkable" || r.Stats.Chests[4].Count != 45 {
		t.Errorf("chests = %+v, want 5 ending with remarkable 45", r.Stats.Chests)
	}

	wantOculi := []string{"anemoculus_number", "geoculus_number", "electroculus_number"}
	if got := oculusKeys(r.Stats.Oculi); !slices.Equal(got, wantOculi) {
		t.Errorf("oculi = %v, want %v", got, wantOculi)
	}

	if r.Stats.FullFriendship.Present || r.Stats.Theater != nil {
		t.Errorf("FullFriendship present %v, Theater %+v; want absent in a 2021 body",
			r.Stats.FullFriendship.Present, r.Stats.Theater)
	}

	if r.Home == nil || r.Home.Level != 10 || r.Home.Comfort != 21720 || r.Home.Visits != 64 || len(r.Home.Realms) != 4 {
		t.Errorf("home = %+v, want level 10, comfort 21720, 64 visits, 4 realms", r.Home)
	}

	if n := len(r.Images()); n != 42+4+4 {
		t.Errorf("len(Images()) = %d, want 50 (42 characters, 4 regions, 4 realms)", n)
	}
}

func TestDecodeSample2023(t *testing.T) {
	r, err := Decode(readSample(t, "index-2023-uigf-doc-example.json"), "en")
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}

	want := &Player{Nickname: "示例玩家", Region: "cn_gf01", Level: 57, HasLevel: true, WorldLevel: 8}
	if !reflect.DeepEqual(r.Player, want) {
		t.Errorf("Player = %+v, want %+v", r.Player, want)
	}

	if len(r.Characters) != 1 || r.CharacterCount != 46 || r.MissingCharacters != 45 {
		t.Errorf("characters: len %d, count %d, missing %d; want 1, 46, 45",
			len(r.Characters), r.CharacterCount, r.MissingCharacters)
	}

	sumeru := findRegion(t, r.Regions, 8)
	if sumeru.Percent != "56" || sumeru.PerMille != 560 || sumeru.Level != 5 {
		t.Errorf("Sumeru = %s%% (%d), level %d; want 56%% (560), level 5", sumeru.Percent, sumeru.PerMille, sumeru.Level)
	}

	wantOculus := &Oculus{Key: "dendroculus_number", Element: "Dendro", Label: "Dendroculi", Count: 182, Total: 271}
	if !reflect.DeepEqual(sumeru.Oculus, wantOculus) {
		t.Errorf("Sumeru oculus = %+v, want %+v", sumeru.Oculus, wantOculus)
	}

	if r.Stats.ActiveDays.Label != "Days Active" || r.Stats.ActiveDays.Value != "340" {
		t.Errorf("ActiveDays = %+v, want Days Active 340", r.Stats.ActiveDays)
	}

	if n := len(r.Images()); n != 3 {
		t.Errorf("len(Images()) = %d, want 3 (no head icon, 1 character, 1 region, 1 realm)", n)
	}
}

func TestDecodeSample2025(t *testing.T) {
	r, err := Decode(readSample(t, "index-2025-02-mitech-world.json"), "zh-CN")
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}

	if r.Player == nil || r.Player.WorldLevel != 8 || r.Player.HeadIcon.Src == "" {
		t.Errorf("Player = %+v, want world level 8 with a head icon", r.Player)
	}

	if r.CharacterCount != 72 || r.MissingCharacters != 69 {
		t.Errorf("count %d, missing %d; want 72, 69", r.CharacterCount, r.MissingCharacters)
	}

	if got := characterIDs(r.Characters); !slices.Equal(got, []int{10000061, 10000002, 10000026}) {
		t.Errorf("level order = %v, want Kirara, Ayaka, Xiao", got)
	}

	// Region 13 names parent 10, which the body lacks, so it is top-level.
	if got := regionIDs(r.Regions); !slices.Equal(got, []int{13, 14, 15}) {
		t.Errorf("region ids = %v, want [13 14 15]", got)
	}

	upperVale := findRegion(t, r.Regions, 13)
	if upperVale.Type != "TypeUnknow" || upperVale.Name != "沉玉谷·上谷" || upperVale.Oculus != nil {
		t.Errorf("region 13 = %+v, want type TypeUnknow, body name, no oculus", upperVale)
	}

	natlan := findRegion(t, r.Regions, 15)
	wantOculus := &Oculus{Key: "pyroculus_number", Element: "Pyro", Label: "火神瞳", Count: 162}
	if !reflect.DeepEqual(natlan.Oculus, wantOculus) {
		t.Errorf("Natlan oculus = %+v, want %+v", natlan.Oculus, wantOculus)
	}

	if natlan.HasLevel || natlan.Percent != "62" || len(natlan.Offerings) != 1 {
		t.Errorf("Natlan = %+v, want no level (0 in body), 62%%, one offering", natlan)
	}

	wantTheater := &Theater{Unlocked: true, MaxRoundID: 10, HasData: true}
	if !reflect.DeepEqual(r.Stats.Theater, wantTheater) {
		t.Errorf("Theater = %+v, want %+v", r.Stats.Theater, wantTheater)
	}

	if f := r.Stats.FullFriendship; !f.Present || f.Number != 53 || f.Label != "满好感角色数" {
		t.Errorf("FullFriendship = %+v, want 53 labelled 满好感角色数", f)
	}

	if n := len(r.Stats.Oculi); n != 6 {
		t.Errorf("len(Oculi) = %d, want 6", n)
	}

	if n := len(r.Images()); n != 1+3+3+1 {
		t.Errorf("len(Images()) = %d, want 8 (head icon, 3 characters, 3 regions, 1 realm)", n)
	}
}

func TestDecodeDataOnlyBody(t *testing.T) {
	body := readSample(t, "index-42-avatars.json")
	var wrapper struct {
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(body, &wrapper); err != nil {
		t.Fatalf("unmarshal sample: %v", err)
	}

	whole, err := Decode(body, "en")
	if err != nil {
		t.Fatalf("Decode(wrapper): %v", err)
	}

	dataOnly, err := Decode(wrapper.Data, "en")
	if err != nil {
		t.Fatalf("Decode(data only): %v", err)
	}

	if !reflect.DeepEqual(whole, dataOnly) {
		t.Error("data-only body decodes differently from the wrapped body")
	}
}

func TestDecodeLanguages(t *testing.T) {
	body := readSample(t, "index-2023-uigf-doc-example.json")
	tests := []struct {
		lang, wantLang, wantLabel string
	}{
		{"zh-CN", LangZH, "活跃天数"},
		{"en", LangEN, "Days Active"},
		{"EN", LangEN, "Days Active"},
		{"fr", LangZH, "活跃天数"},
		{"", LangZH, "活跃天数"},
	}
	for _, tt := range tests {
		r, err := Decode(body, tt.lang)
		if err != nil {
			t.Fatalf("Decode(lang %q): %v", tt.lang, err)
		}

		if r.Lang != tt.wantLang || r.Stats.ActiveDays.Label != tt.wantLabel {
			t.Errorf("lang %q: Lang %q, label %q; want %q, %q",
				tt.lang, r.Lang, r.Stats.ActiveDays.Label, tt.wantLang, tt.wantLabel)
		}
	}
}

func BenchmarkDecode(b *testing.B) {
	for _, name := range []string{"index-42-avatars.json", "index-2025-02-mitech-world.json"} {
		body := readSample(b, name)
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				if _, err := Decode(body, "zh-CN"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
