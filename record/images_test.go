package record

import (
	"strings"
	"testing"
)

func TestImagesWriteThrough(t *testing.T) {
	body := `{"data":{
		"role":{"game_head_icon":"https://example.test/head.png"},
		"avatars":[{"id":1,"image":"https://example.test/c1.png"},{"id":2,"image":"ftp://example.test/c2.png"}],
		"world_explorations":[
			{"id":10,"icon":"https://example.test/r10.png"},
			{"id":11,"parent_id":10,"icon":"https://example.test/r11.png"},
			{"id":12,"parent_id":10}
		],
		"homes":[{"name":"a","icon":"http://example.test/a.png"},{"name":"b","icon":""}]
	}}`
	r := mustDecode(t, body, "en")

	images := r.Images()
	want := []string{
		"https://example.test/head.png",
		"https://example.test/c1.png",
		"https://example.test/r10.png",
		"https://example.test/r11.png",
		"http://example.test/a.png",
	}
	if len(images) != len(want) {
		t.Fatalf("len(Images()) = %d, want %d", len(images), len(want))
	}

	for i, img := range images {
		if img.Src != want[i] {
			t.Errorf("Images()[%d].Src = %q, want %q", i, img.Src, want[i])
		}

		img.URL = "/assets/" + strings.TrimPrefix(img.Src, "https://")
		img.OK = true
	}

	if !r.Player.HeadIcon.OK || !r.Characters[0].Icon.OK || !r.Home.Realms[0].Icon.OK {
		t.Error("writes through Images() did not reach the player, character or realm")
	}

	if sub := r.Regions[0].Subregions[0]; !sub.Icon.OK || sub.Icon.URL != "/assets/example.test/r11.png" {
		t.Errorf("sub-region icon = %+v, want filled through Images()", sub.Icon)
	}
}
