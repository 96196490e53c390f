package record

import (
	"os"
	"path/filepath"
	"testing"
)

func readSample(t testing.TB, name string) []byte {
	t.Helper()

	body, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatalf("read sample: %v", err)
	}

	return body
}

func mustDecode(t *testing.T, body string, lang string) *Record {
	t.Helper()

	r, err := Decode([]byte(body), lang)
	if err != nil {
		t.Fatalf("Decode(%s) error: %v", body, err)
	}

	return r
}

func findCharacter(t *testing.T, r *Record, id int) Character {
	t.Helper()

	for _, c := range r.Characters {
		if c.ID == id {
			return c
		}
	}

	t.Fatalf("character %d not found", id)

	return Character{}
}

func findRegion(t *testing.T, regions []Region, id int) Region {
	t.Helper()

	for _, region := range regions {
		if region.ID == id {
			return region
		}
	}

	t.Fatalf("region %d not found", id)

	return Region{}
}

func characterIDs(characters []Character) []int {
	ids := make([]int, len(characters))
	for i, c := range characters {
		ids[i] = c.ID
	}

	return ids
}

func regionIDs(regions []Region) []int {
	ids := make([]int, len(regions))
	for i, region := range regions {
		ids[i] = region.ID
	}

	return ids
}

func oculusKeys(oculi []Oculus) []string {
	keys := make([]string, len(oculi))
	for i, o := range oculi {
		keys[i] = o.Key
	}

	return keys
}
