package templates_test

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"image"
	"image/png"
	"io"
	"log/slog"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/igs-dev/igs/app"
	"github.com/igs-dev/igs/config"
)

var (
	update = flag.Bool("update", false, "rewrite the golden images of templates/_testdata/golden from this run")
	review = flag.String("review", "", "directory to write every full-size rendered card into, for a look by eye")
)

// goldenDir starts with "_" so that the //go:embed in embed.go leaves the
// goldens out of the production binary.
const goldenDir = "_testdata/golden"

// Shared by every test of the package and set by TestMain.
var (
	fixture *fixtureServer
	service *app.App
	// renderSlots keeps at most pool-size renders in flight, so that the
	// render deadline never runs out while a job waits for a tab.
	renderSlots chan struct{}
	// noChromeReason is set when Chromium is missing outside CI.
	noChromeReason string
)

const poolSize = 2

func TestMain(m *testing.M) {
	flag.Parse()
	if _, err := exec.LookPath("chromium"); err != nil {
		if os.Getenv("CI") == "true" {
			fmt.Fprintln(os.Stderr, "chromium not found on PATH; CI requires it")
			os.Exit(1)
		}
		noChromeReason = "chromium not found on PATH; golden tests skipped"
		os.Exit(m.Run())
	}

	fixture = newFixtureServer()
	dir, err := os.MkdirTemp("", "igs-golden-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	a, err := startApp(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		fixture.close()
		os.RemoveAll(dir)
		os.Exit(1)
	}
	service = a
	renderSlots = make(chan struct{}, poolSize)

	code := m.Run()
	a.Close()
	fixture.close()
	os.RemoveAll(dir)
	os.Exit(code)
}

// startApp builds the service with test settings and waits for Chrome.
func startApp(dir string) (*app.App, error) {
	env := map[string]string{
		"IGS_DATA_DIR":          dir,
		"IGS_ASSET_ALLOW_HOSTS": "127.0.0.1",
		"IGS_POOL_SIZE":         fmt.Sprint(poolSize),
		// Generous because -race slows the Go half of a render severalfold.
		"IGS_RENDER_TIMEOUT": "90s",
		"IGS_FETCH_BUDGET":   "30s",
		// Every request differs, but the repeat cache is not what is tested.
		"IGS_REPEAT_WINDOW": "0s",
	}
	cfg, err := config.Load(nil, func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		return nil, fmt.Errorf("load config: %w", err)
	}

	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	a, err := app.New(cfg, log, app.Options{})
	if err != nil {
		return nil, fmt.Errorf("start app: %w", err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := a.Renderer.Wait(ctx); err != nil {
		a.Close()
		return nil, fmt.Errorf("wait for chrome: %w", err)
	}
	return a, nil
}

func needChrome(t *testing.T) {
	t.Helper()
	if noChromeReason != "" {
		t.Skip(noChromeReason)
	}
}

// styleVariant is one style with the parameters that select a layout.
type styleVariant struct {
	name   string
	style  string
	params url.Values
	width  int
}

var styleVariants = []styleVariant{
	{name: "text", style: "text", width: 800},
	{name: "fancy", style: "fancy", width: 1080},
	{name: "adachi", style: "adachi", width: 1454},
	{name: "adachi-portrait", style: "adachi", params: url.Values{"layout": {"portrait"}}, width: 600},
	{name: "egenshin", style: "egenshin", width: 1080},
	{name: "postcard", style: "postcard", width: 600},
	{name: "postcard-dark", style: "postcard", params: url.Values{"theme": {"dark"}}, width: 600},
}

// longNickname mixes CJK, emoji and a long Latin run without spaces.
const longNickname = "超长的昵称测试🌸✨Traveler_With_A_Very_Long_Name"

// dataCase is one body with the request parameters a bot would send.
type dataCase struct {
	name   string
	sample string
	// params are added to the style's. A "fixture:" prefix of a value is
	// replaced by the fixture server's URL.
	params url.Values
}

var dataCases = []dataCase{
	{name: "42-avatars", sample: "index-42-avatars", params: url.Values{
		"uid": {"100012315"}, "nickname": {"小灰灰"}, "avatar": {"fixture:/avatar.png"}, "bg_url": {"fixture:/bg.png"},
	}},
	{name: "zero-characters", sample: "synthetic-zero-characters", params: url.Values{
		"uid": {"100000001"}, "nickname": {"空背包"}, "avatar": {"fixture:/avatar.png"},
	}},
	// No nickname or avatar: the card must take both from the body's role.
	{name: "showcase-8-role", sample: "synthetic-showcase-8-role", params: url.Values{
		"uid": {"100000058"},
	}},
	{name: "120-characters", sample: "synthetic-120-characters", params: url.Values{
		"uid": {"100000120"}, "avatar": {"fixture:/avatar.png"}, "bg_url": {"fixture:/bg.png"},
	}},
	{name: "42-avatars-en", sample: "index-42-avatars", params: url.Values{
		"uid": {"100012315"}, "nickname": {"Lumine"}, "avatar": {"fixture:/avatar.png"}, "bg_url": {"fixture:/bg.png"}, "lang": {"en"},
	}},
	{name: "long-nickname", sample: "index-42-avatars", params: url.Values{
		"uid": {"100012315"}, "nickname": {longNickname}, "avatar": {"fixture:/avatar.png"}, "bg_url": {"fixture:/bg.png"},
	}},
}

// renderCard renders one case as a full-size PNG and checks its width.
func renderCard(t *testing.T, v styleVariant, c dataCase) image.Image {
	t.Helper()
	query := url.Values{"style": {v.style}, "type": {"png"}, "scale": {"1"}}
	for k, vals := range v.params {
		query[k] = vals
	}
	for k, vals := range c.params {
		for _, val := range vals {
			if rest, ok := strings.CutPrefix(val, "fixture:"); ok {
				val = fixture.url(rest)
			}
			query.Add(k, val)
		}
	}
	body := fixture.sampleBody(t, c.sample)

	renderSlots <- struct{}{}
	defer func() { <-renderSlots }()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	card, err := service.Server.Render(ctx, query, body)
	if err != nil {
		t.Fatalf("render %s/%s: %v", v.name, c.name, err)
	}
	if card.Ext != "png" {
		t.Fatalf("render %s/%s: ext %q, want png", v.name, c.name, card.Ext)
	}

	img, err := png.Decode(bytes.NewReader(card.Data))
	if err != nil {
		t.Fatalf("decode %s/%s: %v", v.name, c.name, err)
	}
	if got := img.Bounds().Dx(); got != v.width {
		t.Errorf("%s/%s: width %d, want %d", v.name, c.name, got, v.width)
	}
	if *review != "" {
		if err := os.MkdirAll(*review, 0o755); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(*review, v.name+"-"+c.name+".png")
		if err := os.WriteFile(path, card.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return img
}

func TestGolden(t *testing.T) {
	needChrome(t)
	if *update {
		if err := os.MkdirAll(goldenDir, 0o755); err != nil {
			t.Fatal(err)
		}
	}

	for _, v := range styleVariants {
		for _, c := range dataCases {
			name := v.name + "-" + c.name
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				img := renderCard(t, v, c)
				actual := reduce(img)
				goldenPath := filepath.Join(goldenDir, name+".png")

				if *update {
					if err := writePNG(goldenPath, actual); err != nil {
						t.Fatal(err)
					}
					return
				}

				golden, err := readGolden(goldenPath)
				if err != nil {
					t.Fatalf("read golden (run go test ./templates/ -run Golden -update to create it): %v", err)
				}
				d := compare(golden, actual)
				actualPath := filepath.Join(goldenDir, name+".actual.png")
				diffPath := filepath.Join(goldenDir, name+".diff.png")
				if !d.failed() {
					// Drop the output of an earlier failure, which would now mislead.
					os.Remove(actualPath)
					os.Remove(diffPath)
					return
				}
				if err := writePNG(actualPath, img); err != nil {
					t.Error(err)
				}
				if err := writePNG(diffPath, diffImage(golden, actual, d)); err != nil {
					t.Error(err)
				}
				t.Errorf("card differs from %s: %s; see %s and %s", goldenPath, d, actualPath, diffPath)
			})
		}
	}
}

func TestGoldenDeterministic(t *testing.T) {
	needChrome(t)
	for _, v := range styleVariants {
		t.Run(v.name, func(t *testing.T) {
			t.Parallel()
			first := reduce(renderCard(t, v, dataCases[0]))
			second := reduce(renderCard(t, v, dataCases[0]))
			d := compare(first, second)
			t.Logf("second render: %s", d)
			if d.failed() {
				t.Errorf("two renders of the same case differ: %s", d)
			}
		})
	}
}

// TestGoldenCompareSelfTest checks the tolerance on real cards: a band moved
// by 10 or 20 px and a missing character icon must fail the comparison,
// while a JPEG re-encode at quality 85 must pass.
func TestGoldenCompareSelfTest(t *testing.T) {
	needChrome(t)
	for _, v := range styleVariants {
		t.Run(v.name, func(t *testing.T) {
			t.Parallel()
			img := toRGBA(renderCard(t, v, dataCases[0]))
			golden := reduce(img)
			band := middleBand(img.Rect, 240)
			if !hasContent(golden, band) {
				t.Fatalf("band %v of the card is blank, so moving it proves nothing", band)
			}

			for _, shift := range []int{10, 20} {
				for _, dir := range []string{"right", "down"} {
					moved := shiftBand(img, band, shift, dir == "down")
					d := compare(golden, reduce(moved))
					t.Logf("band %d-%d moved %s by %d px: %s", band.Min.Y, band.Max.Y, dir, shift, d)
					if !d.failed() {
						t.Errorf("band moved %s by %d px passed the comparison: %s", dir, shift, d)
					}
				}
			}

			if v.style != "text" {
				tile, ok := markerBounds(img)
				if !ok {
					t.Fatalf("the marker icon (%s) is not in the card", markerPath)
				}
				d := compare(golden, reduce(paintOver(img, tile)))
				t.Logf("icon at %v painted over: %s", tile, d)
				if !d.failed() {
					t.Errorf("a missing character icon passed the comparison: %s", d)
				}
			}

			reencoded := jpegRoundTrip(t, img, 85)
			d := compare(golden, reduce(reencoded))
			t.Logf("JPEG quality 85 re-encode: %s", d)
			if d.failed() {
				t.Errorf("a JPEG re-encode failed the comparison: %s", d)
			}
		})
	}
}

func TestGoldenCoversEveryStyle(t *testing.T) {
	needChrome(t)
	covered := map[string]bool{}
	for _, v := range styleVariants {
		covered[v.style] = true
	}
	for _, name := range service.Styles.Names() {
		if !covered[name] {
			t.Errorf("style %q has no golden images: add it to styleVariants and run go test ./templates/ -run Golden -update", name)
		}
	}
}
