package record

// Images returns pointers to every Image in r with a non-empty Src: the
// player's head icon, character icons, region icons (sub-regions included)
// and realm icons, in that order. The asset pipeline fills URL and OK
// through them; copies made earlier, such as CharactersByRarity results,
// do not see those writes.
func (r *Record) Images() []*Image {
	var images []*Image
	add := func(img *Image) {
		if img.Src != "" {
			images = append(images, img)
		}
	}

	if r.Player != nil {
		add(&r.Player.HeadIcon)
	}

	for i := range r.Characters {
		add(&r.Characters[i].Icon)
	}

	for i := range r.Regions {
		add(&r.Regions[i].Icon)
		for j := range r.Regions[i].Subregions {
			add(&r.Regions[i].Subregions[j].Icon)
		}
	}

	if r.Home != nil {
		for i := range r.Home.Realms {
			add(&r.Home.Realms[i].Icon)
		}
	}

	return images
}
