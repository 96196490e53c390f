package record

import (
	"slices"
	"testing"
)

// sortingBody holds characters whose order differs between the two sorts.
const sortingBody = `{"data":{"avatars":[
	{"id":10000007,"level":90,"rarity":5,"fetter":0,"actived_constellation_num":6},
	{"id":10000062,"level":90,"rarity":105,"fetter":10,"actived_constellation_num":0},
	{"id":20,"level":80,"rarity":4,"fetter":10,"actived_constellation_num":6},
	{"id":21,"level":90,"rarity":4,"fetter":10,"actived_constellation_num":6},
	{"id":30,"level":90,"rarity":5,"fetter":8,"actived_constellation_num":0},
	{"id":31,"level":90,"rarity":5,"fetter":10,"actived_constellation_num":0},
	{"id":32,"level":70,"rarity":5,"fetter":10,"actived_constellation_num":1},
	{"id":33,"level":90,"rarity":5,"fetter":10,"actived_constellation_num":0},
	{"id":40,"level":95,"rarity":3,"fetter":10,"actived_constellation_num":0}
]}}`

func TestCharactersSortedByLevel(t *testing.T) {
	r := mustDecode(t, sortingBody, "en")

	// Level, then rarity (Aloy counts as 5), then friendship, all descending,
	// then id ascending.
	want := []int{40, 31, 33, 10000062, 30, 10000007, 21, 20, 32}
	if got := characterIDs(r.Characters); !slices.Equal(got, want) {
		t.Errorf("Characters order = %v, want %v", got, want)
	}
}

func TestCharactersByRarity(t *testing.T) {
	r := mustDecode(t, sortingBody, "en")

	// 5-star by constellation, level, friendship; then 4-star; then the
	// traveler and Aloy; then the 3-star.
	want := []int{32, 31, 33, 30, 21, 20, 10000007, 10000062, 40}
	got := r.CharactersByRarity()
	if ids := characterIDs(got); !slices.Equal(ids, want) {
		t.Errorf("CharactersByRarity order = %v, want %v", ids, want)
	}

	got[0].Name = "changed"
	for _, c := range r.Characters {
		if c.Name == "changed" {
			t.Error("CharactersByRarity result shares memory with r.Characters")
		}
	}

	if ids := characterIDs(r.Characters); ids[0] != 40 {
		t.Errorf("CharactersByRarity reordered r.Characters: %v", ids)
	}
}

func TestCharactersByRarityEmpty(t *testing.T) {
	r := &Record{}
	if got := r.CharactersByRarity(); len(got) != 0 {
		t.Errorf("CharactersByRarity() = %v, want empty", got)
	}
}
