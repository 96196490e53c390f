package record

// maxAdventureRank bounds role.level. The game's highest rank is 60 today.
const maxAdventureRank = 100

// worldLevelRanks holds the adventure rank at which each world level from 1
// to 8 begins.
var worldLevelRanks = []int{20, 25, 30, 35, 40, 45, 50, 55}

// decodePlayer reads data.role and returns nil when the role is null or absent.
func decodePlayer(w *walker, n node) *Player {
	o, ok := w.object(n)
	if !ok {
		return nil
	}

	nickname, _ := w.text(o.field("nickname"))
	region, _ := w.text(o.field("region"))
	level, hasLevel := w.integer(o.field("level"))
	headIcon, _ := w.text(o.field("game_head_icon"))

	p := &Player{
		Nickname: cleanText(nickname, maxNameRunes),
		Region:   cleanText(region, maxNameRunes),
		HasLevel: hasLevel,
		HeadIcon: Image{Src: imageSrc(headIcon)},
	}
	if hasLevel {
		p.Level = clamp(level, 0, maxAdventureRank)
		p.WorldLevel = worldLevel(p.Level)
	}

	return p
}

// worldLevel returns the world level (0-8) an adventure rank unlocks.
func worldLevel(adventureRank int) int {
	level := 0
	for _, rank := range worldLevelRanks {
		if adventureRank >= rank {
			level++
		}
	}

	return level
}
