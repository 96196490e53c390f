package record

import (
	"errors"
	"net/url"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func FuzzDecode(f *testing.F) {
	for _, name := range []string{
		"index-42-avatars.json",
		"index-2023-uigf-doc-example.json",
		"index-2025-02-mitech-world.json",
	} {
		f.Add(readSample(f, name))
	}

	seeds := []string{
		`{}`,
		`{"retcode":-1,"message":"x"}`,
		`{"avatars":[{"id":1,"rarity":105,"level":1e3}]}`,
		`{"data":{"world_explorations":[{"id":2,"parent_id":1},{"id":1,"parent_id":2}]}}`,
		`{"data":{"stats":{"xculus_number":1.5}}}`,
		`{"data":{"homes":[{"name":"a"},{"name":"a"}],"role":{"level":20}}}`,
	}
	for _, seed := range seeds {
		f.Add([]byte(seed))
	}

	f.Fuzz(func(t *testing.T, body []byte) {
		for _, lang := range []string{LangZH, LangEN} {
			r, err := Decode(body, lang)
			if err != nil {
				checkErrorKind(t, r, err)
				continue
			}

			if r == nil {
				t.Fatal("Decode returned neither a record nor an error")
			}

			checkRecord(t, r)
		}
	})
}

func checkErrorKind(t *testing.T, r *Record, err error) {
	t.Helper()

	if r != nil {
		t.Fatalf("Decode returned a record together with error %v", err)
	}

	var fieldErr *FieldError
	var upstream *UpstreamError
	if !errors.Is(err, ErrNotJSON) && !errors.As(err, &fieldErr) && !errors.As(err, &upstream) {
		t.Fatalf("error %v (%T) is none of ErrNotJSON, *FieldError, *UpstreamError", err, err)
	}

	if fieldErr != nil && !strings.HasPrefix(fieldErr.Path, "data") && fieldErr.Path != "retcode" {
		t.Fatalf("FieldError path %q starts neither at data nor at retcode", fieldErr.Path)
	}
}

// checkRecord asserts the promises of the Record docs on any decoded body.
func checkRecord(t *testing.T, r *Record) {
	t.Helper()

	if r.Lang != LangZH && r.Lang != LangEN {
		t.Fatalf("Lang = %q", r.Lang)
	}

	if len(r.Characters) > maxCharacters || r.MissingCharacters < 0 ||
		r.CharacterCount != len(r.Characters)+r.MissingCharacters {
		t.Fatalf("character counts: len %d, count %d, missing %d", len(r.Characters), r.CharacterCount, r.MissingCharacters)
	}

	seen := make(map[int]int)
	for _, c := range r.Characters {
		seen[c.ID]++
		checkCharacter(t, c)
	}

	for id, n := range seen {
		if n > 1 && id != 0 {
			t.Fatalf("character id %d appears %d times", id, n)
		}
	}

	for _, region := range r.Regions {
		checkRegion(t, region)
		for _, sub := range region.Subregions {
			checkRegion(t, sub)
			if len(sub.Subregions) != 0 {
				t.Fatalf("sub-region %d has sub-regions", sub.ID)
			}
		}
	}

	for _, img := range r.Images() {
		u, err := url.Parse(img.Src)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
			t.Fatalf("image Src %q is not an absolute http(s) URL", img.Src)
		}
	}

	if p := r.Player; p != nil {
		checkText(t, p.Nickname, maxNameRunes)
		if p.Level < 0 || p.Level > maxAdventureRank || p.WorldLevel < 0 || p.WorldLevel > 8 {
			t.Fatalf("player level %d, world level %d out of range", p.Level, p.WorldLevel)
		}
	}

	for _, o := range r.Stats.Oculi {
		if o.Count < 0 || o.Count > maxCount || o.Label == "" {
			t.Fatalf("oculus %+v out of range or unlabelled", o)
		}
	}
}

func checkCharacter(t *testing.T, c Character) {
	t.Helper()

	checkText(t, c.Name, maxNameRunes)
	if c.Level < 0 || c.Level > maxCharacterLevel || c.Friendship < 0 || c.Friendship > maxFriendship ||
		c.Constellation < 0 || c.Constellation > maxConstellation || c.Rarity < 0 || c.Rarity > 5 {
		t.Fatalf("character %+v out of range", c)
	}

	if c.Element == "" || c.ElementLabel == "" || c.Color == "" {
		t.Fatalf("character %d has no element, label or colour", c.ID)
	}
}

func checkRegion(t *testing.T, region Region) {
	t.Helper()

	checkText(t, region.Name, maxNameRunes)
	if region.PerMille < 0 || region.PerMille > maxPerMille || region.Percent != formatPercent(region.PerMille) {
		t.Fatalf("region %d per-mille %d percent %q", region.ID, region.PerMille, region.Percent)
	}
}

func checkText(t *testing.T, s string, limit int) {
	t.Helper()

	if !utf8.ValidString(s) || utf8.RuneCountInString(s) > limit || s != strings.TrimSpace(s) {
		t.Fatalf("text %q is invalid, too long or untrimmed", s)
	}

	if strings.IndexFunc(s, unicode.IsControl) >= 0 {
		t.Fatalf("text %q contains a control character", s)
	}
}
