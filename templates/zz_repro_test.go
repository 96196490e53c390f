package templates_test

import (
	"fmt"
	"context"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/igs-dev/igs/app"
	"github.com/igs-dev/igs/config"
)

func TestReproBlurTiming(t *testing.T) {
	needChrome(t)
	start := time.Now()
	var mu sync.Mutex
	logf := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		t.Logf("%6.2fs "+format, append([]any{time.Since(start).Seconds()}, args...)...)
	}
	wrap := func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.Contains(r.URL.Path, "-") && strings.HasPrefix(r.URL.Path, "/assets/") {
				logf("origin start %s", r.URL.Path)
				h.ServeHTTP(w, r)
				logf("origin end   %s ctxErr=%v", r.URL.Path, r.Context().Err())
				return
			}
			h.ServeHTTP(w, r)
		})
	}
	dir := t.TempDir()
	env := map[string]string{"IGS_DATA_DIR": dir, "IGS_ASSET_ALLOW_HOSTS": "127.0.0.1", "IGS_POOL_SIZE": "2", "IGS_RENDER_TIMEOUT": "90s", "IGS_FETCH_BUDGET": "30s", "IGS_REPEAT_WINDOW": "0s"}
	cfg, err := config.Load(nil, func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.New(cfg, slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})), app.Options{WrapOrigin: wrap})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := a.Renderer.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	old := service
	service = a
	defer func() { service = old }()
	start = time.Now()

	v := styleVariants[1]
	var wg sync.WaitGroup
	for _, ci := range []int{0, 4, 5, 3} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := dataCases[ci]
			img := renderCard(t, v, c)
			golden, _ := readGolden(filepath.Join(goldenDir, v.name+"-"+c.name+".png"))
			logf("render done %s: %s", c.name, compare(golden, reduce(img)))
		}()
	}
	wg.Wait()
}

func TestReproFirstBlur(t *testing.T) {
	needChrome(t)
	v := styleVariants[1]
	var wg sync.WaitGroup
	for _, ci := range []int{0, 4, 5, 3} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := dataCases[ci]
			img := renderCard(t, v, c)
			golden, _ := readGolden(filepath.Join(goldenDir, v.name+"-"+c.name+".png"))
			d := compare(golden, reduce(img))
			t.Logf("%s: %s", c.name, d)
			if d.failed() {
				name := fmt.Sprintf("/tmp/golden-review/failures/repro-%s-%d", c.name, time.Now().UnixNano())
				writePNG(name+".actual.png", img)
				writePNG(name+".diff.png", diffImage(golden, reduce(img), d))
			}
		}()
	}
	wg.Wait()
}
