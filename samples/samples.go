// Package samples embeds real game-record bodies for previews, the render
// command, benchmarks and tests.
//
// The bodies are responses of the game-record "index" API with personal names
// replaced: index-42-avatars.json (December 2021, 42 characters, role null),
// index-2023-uigf-doc-example.json (mid 2023, role present, 1 character) and
// index-2025-02-mitech-world.json (February 2025, newer stats and regions).
//
// The synthetic-*.json bodies are made up by gen_synthetic.go for edge cases
// of the card layouts; their image URLs name the fake host static.example.test:
//   - synthetic-zero-characters.json: avatars empty (a hidden character list)
//     while stats, regions and homes are present, role null;
//   - synthetic-showcase-8-role.json: another player's record with role
//     (nickname, level 58, game_head_icon) and only 8 showcase characters;
//   - synthetic-120-characters.json: 120 characters with distinct ids, every
//     element, Aloy (rarity 105), the traveler, constellations 0-6,
//     friendship 0-10, levels 1-90, and every known region.
package samples

//go:generate go run gen_synthetic.go

import (
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strings"
)

//go:embed *.json
var files embed.FS

// Default is the sample the README and the previews use first.
const Default = "index-42-avatars"

// Names returns the sample names without the .json extension, sorted.
func Names() []string {
	entries, _ := fs.ReadDir(files, ".")
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e.Name(), ".json"))
	}
	sort.Strings(names)
	return names
}

// Get returns the body of the named sample.
func Get(name string) ([]byte, error) {
	data, err := files.ReadFile(name + ".json")
	if err != nil {
		return nil, fmt.Errorf("read sample %q: %w", name, err)
	}
	return data, nil
}
