package samples_test

import (
	"strings"
	"testing"

	"github.com/igs-dev/igs/record"
	"github.com/igs-dev/igs/samples"
)

func TestNamesListsEveryBody(t *testing.T) {
	want := []string{
		"index-2023-uigf-doc-example",
		"index-2025-02-mitech-world",
		"index-42-avatars",
		"synthetic-120-characters",
		"synthetic-showcase-8-role",
		"synthetic-zero-characters",
	}
	got := samples.Names()
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("Names() = %v, want %v", got, want)
	}
	if _, err := samples.Get(samples.Default); err != nil {
		t.Errorf("Get(Default): %v", err)
	}
}

func TestGetUnknownName(t *testing.T) {
	if _, err := samples.Get("no-such-sample"); err == nil {
		t.Error("Get of an unknown name returned no error")
	}
}

func TestEverySampleDecodes(t *testing.T) {
	for _, name := range samples.Names() {
		t.Run(name, func(t *testing.T) {
			rec := decode(t, name)
			if len(rec.Regions) == 0 {
				t.Error("no regions")
			}
			if rec.Home == nil {
				t.Error("no home")
			}
			if !rec.Stats.Achievements.Present {
				t.Error("stats lack achievement_number")
			}
		})
	}
}

func TestSyntheticImagesUseFakeHost(t *testing.T) {
	for _, name := range samples.Names() {
		if !strings.HasPrefix(name, "synthetic-") {
			continue
		}
		rec := decode(t, name)
		images := rec.Images()
		if len(images) == 0 {
			t.Errorf("%s: no image URLs", name)
		}
		for _, img := range images {
			if img.Src != "" && !strings.HasPrefix(img.Src, "https://static.example.test/icons/") {
				t.Errorf("%s: image %q is not on the fake host", name, img.Src)
			}
		}
	}
}

func TestZeroCharacters(t *testing.T) {
	rec := decode(t, "synthetic-zero-characters")
	if len(rec.Characters) != 0 {
		t.Errorf("%d characters, want 0", len(rec.Characters))
	}
	if rec.Player != nil {
		t.Errorf("Player = %+v, want nil for role null", rec.Player)
	}
	if rec.MissingCharacters != rec.CharacterCount || rec.CharacterCount == 0 {
		t.Errorf("CharacterCount %d, MissingCharacters %d: want the whole count hidden", rec.CharacterCount, rec.MissingCharacters)
	}
	if n := len(rec.Home.Realms); n != 2 {
		t.Errorf("%d realms, want 2", n)
	}
}

func TestShowcaseWithRole(t *testing.T) {
	rec := decode(t, "synthetic-showcase-8-role")
	if len(rec.Characters) != 8 {
		t.Errorf("%d characters, want 8", len(rec.Characters))
	}
	if rec.Player == nil {
		t.Fatal("Player is nil, want the role")
	}
	if rec.Player.Nickname == "" {
		t.Error("role has no nickname")
	}
	if rec.Player.Level != 58 || rec.Player.WorldLevel != 8 {
		t.Errorf("level %d, world level %d, want 58 and 8", rec.Player.Level, rec.Player.WorldLevel)
	}
	if rec.Player.HeadIcon.Src == "" {
		t.Error("role has no game_head_icon")
	}
	if rec.MissingCharacters != rec.CharacterCount-8 || rec.MissingCharacters <= 0 {
		t.Errorf("MissingCharacters = %d with CharacterCount %d, want the rest of the count", rec.MissingCharacters, rec.CharacterCount)
	}
}

func TestHundredTwentyCharacters(t *testing.T) {
	rec := decode(t, "synthetic-120-characters")
	if len(rec.Characters) != 120 {
		t.Fatalf("%d characters, want 120 (distinct ids survive de-duplication)", len(rec.Characters))
	}

	elements := map[string]int{}
	rarities := map[int]int{}
	constellations := map[int]bool{}
	friendships := map[int]bool{}
	minLevel, maxLevel := 100, 0
	var special, traveler int
	for _, c := range rec.Characters {
		elements[c.Element]++
		rarities[c.Rarity]++
		constellations[c.Constellation] = true
		if c.ShowFriendship {
			friendships[c.Friendship] = true
		}
		minLevel, maxLevel = min(minLevel, c.Level), max(maxLevel, c.Level)
		if c.Special {
			special++
		}
		if c.Traveler {
			traveler++
		}
	}

	for _, e := range []string{"Pyro", "Hydro", "Anemo", "Electro", "Dendro", "Cryo", "Geo"} {
		if elements[e] == 0 {
			t.Errorf("no %s character", e)
		}
	}
	if rarities[4] == 0 || rarities[5] == 0 {
		t.Errorf("rarities %v, want both 4 and 5", rarities)
	}
	if special != 1 {
		t.Errorf("%d characters with rarity 105, want Aloy alone", special)
	}
	if traveler != 1 {
		t.Errorf("%d travelers, want 1", traveler)
	}
	if len(constellations) != 7 {
		t.Errorf("constellations %v, want all of 0-6", constellations)
	}
	if len(friendships) != 11 {
		t.Errorf("friendships %v, want all of 0-10", friendships)
	}
	if minLevel != 1 || maxLevel != 90 {
		t.Errorf("levels %d-%d, want 1-90", minLevel, maxLevel)
	}
	if rec.Stats.Theater == nil {
		t.Error("stats lack role_combat")
	}
}

func decode(t *testing.T, name string) *record.Record {
	t.Helper()
	body, err := samples.Get(name)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := record.Decode(body, record.LangZH)
	if err != nil {
		t.Fatalf("decode %s: %v", name, err)
	}
	return rec
}
