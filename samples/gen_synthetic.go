//go:build ignore

// Command gen_synthetic writes the synthetic sample bodies of this folder:
// synthetic-zero-characters.json, synthetic-showcase-8-role.json and
// synthetic-120-characters.json. It is deterministic, so rerunning it after a
// change of this file gives reviewable diffs:
//
//	cd samples && go run gen_synthetic.go
//
// Every image URL points at the fake host static.example.test, which tests
// rewrite to a fixture server on 127.0.0.1.
package main

import (
	"encoding/json"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
)

const iconHost = "https://static.example.test/icons/"

// character is one roster entry: id, name, element and rarity as the game
// record gives them.
type character struct {
	ID      int
	Name    string
	Icon    string
	Element string
	Rarity  int
}

// roster lists real characters; ids are the game's. The first entry is the
// traveler (female, id 10000007) and Aloy carries the game's rarity 105.
var roster = []character{
	{10000007, "旅行者", "PlayerGirl", "Anemo", 5},
	{10000062, "埃洛伊", "Aloy", "Cryo", 105},
	{10000002, "神里绫华", "Ayaka", "Cryo", 5},
	{10000003, "琴", "Qin", "Anemo", 5},
	{10000006, "丽莎", "Lisa", "Electro", 4},
	{10000014, "芭芭拉", "Barbara", "Hydro", 4},
	{10000015, "凯亚", "Kaeya", "Cryo", 4},
	{10000016, "迪卢克", "Diluc", "Pyro", 5},
	{10000020, "雷泽", "Razor", "Electro", 4},
	{10000021, "安柏", "Ambor", "Pyro", 4},
	{10000022, "温迪", "Venti", "Anemo", 5},
	{10000023, "香菱", "Xiangling", "Pyro", 4},
	{10000024, "北斗", "Beidou", "Electro", 4},
	{10000025, "行秋", "Xingqiu", "Hydro", 4},
	{10000026, "魈", "Xiao", "Anemo", 5},
	{10000027, "凝光", "Ningguang", "Geo", 4},
	{10000029, "可莉", "Klee", "Pyro", 5},
	{10000030, "钟离", "Zhongli", "Geo", 5},
	{10000031, "菲谢尔", "Fischl", "Electro", 4},
	{10000032, "班尼特", "Bennett", "Pyro", 4},
	{10000033, "达达利亚", "Tartaglia", "Hydro", 5},
	{10000034, "诺艾尔", "Noel", "Geo", 4},
	{10000035, "七七", "Qiqi", "Cryo", 5},
	{10000036, "重云", "Chongyun", "Cryo", 4},
	{10000037, "甘雨", "Ganyu", "Cryo", 5},
	{10000038, "阿贝多", "Albedo", "Geo", 5},
	{10000039, "迪奥娜", "Diona", "Cryo", 4},
	{10000041, "莫娜", "Mona", "Hydro", 5},
	{10000042, "刻晴", "Keqing", "Electro", 5},
	{10000043, "砂糖", "Sucrose", "Anemo", 4},
	{10000044, "辛焱", "Xinyan", "Pyro", 4},
	{10000045, "罗莎莉亚", "Rosaria", "Cryo", 4},
	{10000046, "胡桃", "Hutao", "Pyro", 5},
	{10000047, "枫原万叶", "Kazuha", "Anemo", 5},
	{10000048, "烟绯", "Feiyan", "Pyro", 4},
	{10000049, "宵宫", "Yoimiya", "Pyro", 5},
	{10000050, "托马", "Tohma", "Pyro", 4},
	{10000051, "优菈", "Eula", "Cryo", 5},
	{10000052, "雷电将军", "Shougun", "Electro", 5},
	{10000053, "早柚", "Sayu", "Anemo", 4},
	{10000054, "珊瑚宫心海", "Kokomi", "Hydro", 5},
	{10000055, "五郎", "Gorou", "Geo", 4},
	{10000056, "九条裟罗", "Sara", "Electro", 4},
	{10000057, "荒泷一斗", "Itto", "Geo", 5},
	{10000058, "八重神子", "Yae", "Electro", 5},
	{10000059, "鹿野院平藏", "Heizo", "Anemo", 4},
	{10000060, "夜兰", "Yelan", "Hydro", 5},
	{10000061, "绮良良", "Momoka", "Dendro", 4},
	{10000063, "申鹤", "Shenhe", "Cryo", 5},
	{10000064, "云堇", "Yunjin", "Geo", 4},
	{10000065, "久岐忍", "Shinobu", "Electro", 4},
	{10000066, "神里绫人", "Ayato", "Hydro", 5},
	{10000067, "柯莱", "Collei", "Dendro", 4},
	{10000068, "多莉", "Dori", "Electro", 4},
	{10000069, "提纳里", "Tighnari", "Dendro", 5},
	{10000070, "妮露", "Nilou", "Hydro", 5},
	{10000071, "赛诺", "Cyno", "Electro", 5},
	{10000072, "坎蒂丝", "Candace", "Hydro", 4},
	{10000073, "纳西妲", "Nahida", "Dendro", 5},
	{10000074, "莱依拉", "Layla", "Cryo", 4},
	{10000075, "流浪者", "Wanderer", "Anemo", 5},
	{10000076, "珐露珊", "Faruzan", "Anemo", 4},
	{10000077, "瑶瑶", "Yaoyao", "Dendro", 4},
	{10000078, "艾尔海森", "Alhatham", "Dendro", 5},
	{10000079, "迪希雅", "Dehya", "Pyro", 5},
	{10000080, "米卡", "Mika", "Cryo", 4},
	{10000081, "卡维", "Kaveh", "Dendro", 4},
	{10000082, "白术", "Baizhuer", "Dendro", 5},
	{10000083, "琳妮特", "Linette", "Anemo", 4},
	{10000084, "林尼", "Liney", "Pyro", 5},
	{10000085, "菲米尼", "Freminet", "Cryo", 4},
	{10000086, "莱欧斯利", "Wriothesley", "Cryo", 5},
	{10000087, "那维莱特", "Neuvillette", "Hydro", 5},
	{10000088, "夏洛蒂", "Charlotte", "Cryo", 4},
	{10000089, "芙宁娜", "Furina", "Hydro", 5},
	{10000090, "夏沃蕾", "Chevreuse", "Pyro", 4},
	{10000091, "娜维娅", "Navia", "Geo", 5},
	{10000092, "嘉明", "Gaming", "Pyro", 4},
	{10000093, "闲云", "Liuyun", "Anemo", 5},
	{10000094, "千织", "Chiori", "Geo", 5},
	{10000095, "希格雯", "Sigewinne", "Hydro", 5},
	{10000096, "阿蕾奇诺", "Arlecchino", "Pyro", 5},
	{10000097, "赛索斯", "Sethos", "Electro", 4},
	{10000098, "克洛琳德", "Clorinde", "Electro", 5},
	{10000099, "艾梅莉埃", "Emilie", "Dendro", 5},
	{10000100, "卡齐娜", "Kachina", "Geo", 4},
	{10000101, "基尼奇", "Kinich", "Dendro", 5},
	{10000102, "玛拉妮", "Mualani", "Hydro", 5},
	{10000103, "希诺宁", "Xilonen", "Geo", 5},
	{10000104, "恰斯卡", "Chasca", "Anemo", 5},
	{10000105, "欧洛伦", "Olorun", "Electro", 4},
	{10000106, "玛薇卡", "Mavuika", "Pyro", 5},
	{10000107, "茜特菈莉", "Citlali", "Cryo", 5},
	{10000108, "蓝砚", "Lanyan", "Anemo", 4},
}

var elements = []string{"Pyro", "Hydro", "Anemo", "Electro", "Dendro", "Cryo", "Geo"}

// fillerNames names the made-up characters that bring the roster to 120;
// one is long on purpose, to show how a tile copes with a long name.
var fillerNames = []string{
	"试作角色甲", "试作角色乙", "试作角色丙", "试作角色丁", "试作角色戊",
	"试作角色己", "试作角色庚", "试作角色辛", "试作角色壬", "试作角色癸",
	"测试用的超长角色名字示例", "试作角色子", "试作角色丑", "试作角色寅", "试作角色卯",
	"试作角色辰", "试作角色巳", "试作角色午", "试作角色未", "试作角色申",
	"试作角色酉", "试作角色戌", "试作角色亥", "试作角色天", "试作角色地",
	"试作角色玄", "试作角色黄", "试作角色宇", "试作角色宙", "试作角色洪",
}

func main() {
	write("synthetic-zero-characters.json", zeroCharacters())
	write("synthetic-showcase-8-role.json", showcase())
	write("synthetic-120-characters.json", hundredTwenty())
}

// body wraps data in the API's response envelope.
func body(data map[string]any) map[string]any {
	return map[string]any{"retcode": 0, "message": "OK", "data": data}
}

// zeroCharacters is an account whose character list is hidden: avatars is
// empty while stats, regions and homes are present and role is null.
func zeroCharacters() map[string]any {
	stats := classicStats(36)
	return body(map[string]any{
		"role":               nil,
		"avatars":            []any{},
		"stats":              stats,
		"city_explorations":  []any{},
		"world_explorations": classicRegions(),
		"homes":              homes(2),
	})
}

// showcase is another player's record: role present, 8 showcase characters,
// avatar_number far above 8.
func showcase() map[string]any {
	rng := rand.New(rand.NewPCG(8, 58))
	// The traveler, Ayaka, Diluc, Klee, Ganyu, Hu Tao, Yelan and Nahida.
	picked := []int{10000007, 10000002, 10000016, 10000029, 10000037, 10000046, 10000060, 10000073}
	avatars := make([]any, 0, len(picked))
	for i, id := range picked {
		avatars = append(avatars, avatar(byID(id), 90-i*3, rng.IntN(11), i%7))
	}
	return body(map[string]any{
		"role": map[string]any{
			"AvatarUrl":      "",
			"nickname":       "展柜旅行者",
			"region":         "cn_gf01",
			"level":          58,
			"game_head_icon": iconHost + "head/UI_AvatarIcon_Nahida.png",
		},
		"avatars":            avatars,
		"stats":              classicStats(57),
		"city_explorations":  []any{},
		"world_explorations": classicRegions(),
		"homes":              homes(3),
	})
}

// hundredTwenty is a large modern account: 120 characters with distinct
// ids, every element, rarities 4, 5 and 105, constellations 0-6,
// friendship 0-10, levels 1-90, and every known region.
func hundredTwenty() map[string]any {
	rng := rand.New(rand.NewPCG(120, 90))
	chars := append([]character(nil), roster...)
	for i := 0; len(chars) < 120; i++ {
		chars = append(chars, character{
			ID:      10000900 + i,
			Name:    fillerNames[i%len(fillerNames)],
			Icon:    fmt.Sprintf("Filler%02d", i),
			Element: elements[i%len(elements)],
			Rarity:  4 + i%2,
		})
	}

	avatars := make([]any, 0, len(chars))
	for i, c := range chars {
		// The first seven pin the extremes; the rest are spread by the PRNG.
		level := []int{90, 1, 90, 20, 80, 50, 70}[min(i, 6)]
		friendship := []int{0, 10, 0, 5, 10, 1, 9}[min(i, 6)]
		constellation := []int{6, 0, 6, 3, 1, 2, 5}[min(i, 6)]
		if i >= 7 {
			level = 1 + rng.IntN(90)
			friendship = rng.IntN(11)
			constellation = rng.IntN(7)
		}
		if c.ID == 10000007 {
			friendship = 0
		}
		avatars = append(avatars, avatar(c, level, friendship, constellation))
	}

	stats := classicStats(120)
	stats["dendroculus_number"] = 271
	stats["hydroculus_number"] = 250
	stats["pyroculus_number"] = 162
	stats["moonoculus_number"] = 12
	stats["full_fetter_avatar_num"] = 64
	stats["role_combat"] = map[string]any{"is_unlock": true, "max_round_id": 10, "has_data": true, "has_detail_data": true}
	delete(stats, "win_rate")

	return body(map[string]any{
		"role": map[string]any{
			"AvatarUrl":      "",
			"nickname":       "满图鉴旅行者",
			"region":         "天空岛",
			"level":          60,
			"game_head_icon": iconHost + "head/UI_AvatarIcon_Furina.png",
		},
		"avatars":            avatars,
		"stats":              stats,
		"city_explorations":  []any{},
		"world_explorations": modernRegions(),
		"homes":              homes(4),
	})
}

func byID(id int) character {
	for _, c := range roster {
		if c.ID == id {
			return c
		}
	}
	log.Fatalf("no roster entry with id %d", id)
	return character{}
}

func avatar(c character, level, friendship, constellation int) map[string]any {
	if c.ID == 10000007 || c.ID == 10000005 {
		friendship = 0
	}
	return map[string]any{
		"id":                        c.ID,
		"image":                     iconHost + "character/UI_AvatarIcon_" + c.Icon + ".png",
		"name":                      c.Name,
		"element":                   c.Element,
		"fetter":                    friendship,
		"level":                     level,
		"rarity":                    c.Rarity,
		"actived_constellation_num": constellation,
	}
}

func classicStats(characters int) map[string]any {
	return map[string]any{
		"active_day_number":      512,
		"achievement_number":     803,
		"win_rate":               0,
		"anemoculus_number":      66,
		"geoculus_number":        131,
		"avatar_number":          characters,
		"way_point_number":       245,
		"domain_number":          42,
		"spiral_abyss":           "12-3",
		"precious_chest_number":  402,
		"luxurious_chest_number": 158,
		"exquisite_chest_number": 1533,
		"common_chest_number":    2011,
		"electroculus_number":    172,
		"magic_chest_number":     96,
	}
}

func region(id int, name, icon, kind string, perMille, level int, offerings []any, parent int) map[string]any {
	if offerings == nil {
		offerings = []any{}
	}
	return map[string]any{
		"level":                  level,
		"exploration_percentage": perMille,
		"icon":                   iconHost + "region/UI_ChapterIcon_" + icon + ".png",
		"name":                   name,
		"type":                   kind,
		"offerings":              offerings,
		"id":                     id,
		"parent_id":              parent,
	}
}

func offering(name string, level int) []any {
	return []any{map[string]any{"name": name, "level": level}}
}

// classicRegions is a 2022-era world: Mondstadt to Sumeru.
func classicRegions() []any {
	return []any{
		region(8, "须弥", "Xumi", "Reputation", 563, 6, offering("梦之树", 24), 0),
		region(7, "层岩巨渊·地下矿区", "ChasmsMaw", "Offering", 912, 0, nil, 6),
		region(6, "层岩巨渊", "ChasmsMaw", "Offering", 1000, 10, offering("流明石触媒", 10), 0),
		region(5, "渊下宫", "Enkanomiya", "Offering", 874, 0, nil, 0),
		region(4, "稻妻", "Daoqi", "Reputation", 1000, 10, offering("神樱眷顾", 50), 0),
		region(3, "龙脊雪山", "Dragonspine", "Offering", 1000, 12, offering("忍冬之树", 12), 0),
		region(2, "璃月", "Liyue", "Reputation", 1000, 8, nil, 0),
		region(1, "蒙德", "Mengde", "Reputation", 1000, 8, nil, 0),
	}
}

// modernRegions is a 2025-era world with every known region, the Chenyu
// Vale sub-regions and a sub-area value above 1000 that must be clamped.
func modernRegions() []any {
	return append([]any{
		region(17, "挪德卡莱", "Nuodkrai", "Reputation", 134, 2, nil, 0),
		region(15, "纳塔", "Nata", "Reputation", 620, 0, offering("煅石之火", 30), 0),
		region(14, "旧日之海", "OldSea", "TypeUnknow", 1000, 0, nil, 0),
		region(13, "沉玉谷·上谷", "ChenyuUpper", "TypeUnknow", 1093, 0, nil, 10),
		region(12, "沉玉谷·南陵", "ChenyuSouth", "TypeUnknow", 998, 0, nil, 10),
		region(11, "来歆山", "Laixin", "TypeUnknow", 1000, 0, nil, 10),
		region(10, "沉玉谷", "Chenyu", "Offering", 1000, 0, offering("玉成之种", 20), 0),
		region(9, "枫丹", "Fengdan", "Reputation", 915, 10, offering("露景泉", 50), 0),
	}, classicRegions()...)
}

// homes returns one entry per unlocked realm. The account-wide figures
// repeat in each entry, as they do in real responses.
func homes(realms int) []any {
	names := []string{"罗浮洞", "翠黛峰", "清琼岛", "绘绮庭"}
	out := make([]any, 0, realms)
	for i := range realms {
		out = append(out, map[string]any{
			"level":              10,
			"visit_num":          37,
			"comfort_num":        24580,
			"item_num":           1766,
			"name":               names[i],
			"icon":               fmt.Sprintf("%shome/UI_HomeworldModule_%d_Pic.png", iconHost, i+1),
			"comfort_level_name": "贝阙珠宫",
			"comfort_level_icon": iconHost + "home/UI_Homeworld_Comfort_10.png",
		})
	}
	return out
}

func write(name string, v any) {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		log.Fatalf("encode %s: %v", name, err)
	}
	if err := os.WriteFile(name, append(data, '\n'), 0o644); err != nil {
		log.Fatalf("write %s: %v", name, err)
	}
}
