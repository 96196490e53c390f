package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/igs-dev/igs/assets"
	"github.com/igs-dev/igs/renderer"
	"github.com/igs-dev/igs/server"
	"github.com/igs-dev/igs/storage"
	"github.com/igs-dev/igs/styles"
)

// Config holds the settings of every part of the service.
type Config struct {
	Addr      string
	DataDir   string
	LogLevel  slog.Level
	LogFormat string // text or json

	Server   server.Config
	Renderer renderer.Config
	Assets   assets.Config
	Storage  storage.Config
	Styles   styles.Config

	// Preview serves the style gallery and live previews under /preview.
	// Unless set, it follows Styles.Dev.
	Preview bool
}

// setting is one flag with its environment variable.
type setting struct {
	flag  string
	env   string
	usage string
	// set parses the value into the Config; the error text is the expected form.
	set func(c *Config, value string) error
	// show returns the default for the help text.
	show func(c *Config) string
	// defaultText, if set, describes the default in the help text instead
	// of show.
	defaultText string
	// isBool makes the flag take no value, like Go's boolean flags: -dev is
	// -dev=true.
	isBool bool
}

// Load parses args (without the program name) and the environment through
// getenv. It returns flag.ErrHelp after printing help for -h.
func Load(args []string, getenv func(string) string, output io.Writer) (Config, error) {
	cfg := defaults()
	settings := allSettings()

	fs := flag.NewFlagSet("igs", flag.ContinueOnError)
	fs.SetOutput(output)
	flagValues := map[string]string{}
	for _, s := range settings {
		name := s.flag
		def := strconv.Quote(s.show(&cfg))
		if s.defaultText != "" {
			def = s.defaultText
		}
		usage := fmt.Sprintf("%s (env %s, default %s)", s.usage, s.env, def)
		keep := func(v string) error {
			flagValues[name] = v
			return nil
		}
		if s.isBool {
			fs.BoolFunc(name, usage, keep)
		} else {
			fs.Func(name, usage, keep)
		}
	}
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if fs.NArg() > 0 {
		return cfg, unexpectedArgs(args, fs.Args(), settings)
	}

	var errs []error
	for _, s := range settings {
		value, source := flagValues[s.flag], "-"+s.flag
		if _, ok := flagValues[s.flag]; !ok {
			value, source = getenv(s.env), s.env
			if value == "" {
				continue
			}
		}
		if err := s.set(&cfg, strings.TrimSpace(value)); err != nil {
			errs = append(errs, fmt.Errorf("%s: expected %v, got %q", source, err, value))
		}
	}
	if len(errs) > 0 {
		return cfg, errors.Join(errs...)
	}
	if _, ok := flagValues["preview"]; !ok && strings.TrimSpace(getenv("IGS_PREVIEW")) == "" {
		cfg.Preview = cfg.Styles.Dev
	}

	cfg.Storage.Dir = filepath.Join(cfg.DataDir, "images")
	if err := cfg.validate(); err != nil {
		return cfg, err
	}
	return cfg, nil
}

// unexpectedArgs returns the error for the arguments rest left after the
// flags of args. A value after a boolean flag, as in "-dev false", gets a
// hint, because boolean flags take a value only after "=".
func unexpectedArgs(args, rest []string, settings []setting) error {
	err := fmt.Errorf("unexpected arguments: %s", strings.Join(rest, " "))
	i := len(args) - len(rest)
	if i == 0 {
		return err
	}
	name := strings.TrimLeft(args[i-1], "-")
	for _, s := range settings {
		if s.isBool && s.flag == name {
			return fmt.Errorf("%w (a boolean flag takes its value after \"=\": -%s=%s)", err, name, rest[0])
		}
	}
	return err
}

func defaults() Config {
	return Config{
		Addr:      ":8080",
		DataDir:   "data",
		LogLevel:  slog.LevelInfo,
		LogFormat: "text",
		Server:    server.DefaultConfig(),
		Renderer:  renderer.DefaultConfig(),
		Assets:    assets.DefaultConfig(),
		Storage:   storage.DefaultConfig(),
		Styles:    styles.DefaultConfig(),
	}
}

func (c *Config) validate() error {
	var errs []error
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		errs = append(errs, fmt.Errorf("IGS_ADDR: expected host:port such as :8080, got %q", c.Addr))
	}
	for _, err := range []error{c.Server.Validate(), c.Renderer.Validate(), c.Assets.Validate(), c.Storage.Validate(), c.Styles.Validate()} {
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func allSettings() []setting {
	return []setting{
		str("addr", "IGS_ADDR", "listen address", func(c *Config) *string { return &c.Addr }),
		str("data-dir", "IGS_DATA_DIR", "directory for generated images (under images/)", func(c *Config) *string { return &c.DataDir }),
		str("chrome-path", "IGS_CHROME_PATH", "Chromium executable; empty looks up chromium on PATH", func(c *Config) *string { return &c.Renderer.ChromePath }),
		integer("pool-size", "IGS_POOL_SIZE", "Chrome tabs rendering at once", 1, 64, func(c *Config) *int { return &c.Renderer.PoolSize }),
		integer("queue-size", "IGS_QUEUE_SIZE", "renders allowed to wait for a tab; more are rejected at once", 0, 10000, func(c *Config) *int { return &c.Renderer.QueueSize }),
		duration("render-timeout", "IGS_RENDER_TIMEOUT", "deadline of one render", func(c *Config) *time.Duration { return &c.Renderer.Timeout }),
		boolean("low-memory", "IGS_LOW_MEMORY", "run Chrome in low-end device mode, which caps its decoded images at 64 MiB: flat memory, but cards that draw many distinct large images render slower", func(c *Config) *bool { return &c.Renderer.LowMemory }),
		integer("restart-after", "IGS_RESTART_AFTER", "restart Chrome after this many renders; 0 never", 0, 1<<30, func(c *Config) *int { return &c.Renderer.RestartAfter }),
		list("asset-allow-hosts", "IGS_ASSET_ALLOW_HOSTS", "comma-separated host names, IPs or CIDRs that image fetches may reach although not public", func(c *Config) *[]string { return &c.Assets.AllowHosts }),
		str("qq-avatar-url", "IGS_QQ_AVATAR_URL", "URL template of a QQ avatar; {qq} is replaced by the number", func(c *Config) *string { return &c.Server.QQAvatarURL }),
		duration("fetch-budget", "IGS_FETCH_BUDGET", "time for all image fetches of one request", func(c *Config) *time.Duration { return &c.Assets.Budget }),
		size("fetch-max-bytes", "IGS_FETCH_MAX_BYTES", "largest remote image accepted", func(c *Config) *int64 { return &c.Assets.MaxBytes }),
		size("asset-cache-bytes", "IGS_ASSET_CACHE_BYTES", "memory for cached remote images", func(c *Config) *int64 { return &c.Assets.CacheBytes }),
		size("body-limit", "IGS_BODY_LIMIT", "largest request body accepted", func(c *Config) *int64 { return &c.Server.BodyLimit }),
		duration("repeat-window", "IGS_REPEAT_WINDOW", "an identical request within this window gets the stored image without a render, unless an image of that card could not be fetched; 0 turns it off", func(c *Config) *time.Duration { return &c.Server.RepeatWindow }),
		duration("retention", "IGS_RETENTION", "age after which generated images are removed; 0 keeps them", func(c *Config) *time.Duration { return &c.Storage.MaxAge }),
		size("disk-budget", "IGS_DISK_BUDGET", "disk space for generated images; the oldest go first; 0 means no budget", func(c *Config) *int64 { return &c.Storage.MaxBytes }),
		str("styles-dir", "IGS_STYLES_DIR", "directory of style folders that add to or replace the embedded styles", func(c *Config) *string { return &c.Styles.Dir }),
		boolean("dev", "IGS_DEV", "development mode: re-read the styles directory when its files change", func(c *Config) *bool { return &c.Styles.Dev }),
		withDefaultText(boolean("preview", "IGS_PREVIEW", "serve the style gallery and live previews under /preview", func(c *Config) *bool { return &c.Preview }), "the value of -dev"),
		{
			flag: "log-level", env: "IGS_LOG_LEVEL", usage: "debug, info, warn or error",
			set:  func(c *Config, v string) error { return parseLevel(&c.LogLevel, v) },
			show: func(c *Config) string { return strings.ToLower(c.LogLevel.String()) },
		},
		{
			flag: "log-format", env: "IGS_LOG_FORMAT", usage: "text or json",
			set: func(c *Config, v string) error {
				if v != "text" && v != "json" {
					return errors.New("text or json")
				}
				c.LogFormat = v
				return nil
			},
			show: func(c *Config) string { return c.LogFormat },
		},
	}
}

func str(flagName, env, usage string, field func(*Config) *string) setting {
	return setting{
		flag: flagName, env: env, usage: usage,
		set:  func(c *Config, v string) error { *field(c) = v; return nil },
		show: func(c *Config) string { return *field(c) },
	}
}

func boolean(flagName, env, usage string, field func(*Config) *bool) setting {
	return setting{
		flag: flagName, env: env, usage: usage,
		set: func(c *Config, v string) error {
			switch strings.ToLower(v) {
			case "1", "true", "yes", "on":
				*field(c) = true
			case "0", "false", "no", "off":
				*field(c) = false
			default:
				return errors.New("1, true, yes, on, 0, false, no or off")
			}
			return nil
		},
		show:   func(c *Config) string { return strconv.FormatBool(*field(c)) },
		isBool: true,
	}
}

// withDefaultText returns s with its default described by text.
func withDefaultText(s setting, text string) setting {
	s.defaultText = text
	return s
}

func list(flagName, env, usage string, field func(*Config) *[]string) setting {
	return setting{
		flag: flagName, env: env, usage: usage,
		set: func(c *Config, v string) error {
			var items []string
			for _, item := range strings.Split(v, ",") {
				if item = strings.TrimSpace(item); item != "" {
					items = append(items, item)
				}
			}
			*field(c) = items
			return nil
		},
		show: func(c *Config) string { return strings.Join(*field(c), ",") },
	}
}

func integer(flagName, env, usage string, lo, hi int, field func(*Config) *int) setting {
	return setting{
		flag: flagName, env: env, usage: usage,
		set: func(c *Config, v string) error {
			n, err := strconv.Atoi(v)
			if err != nil || n < lo || n > hi {
				return fmt.Errorf("an integer from %d to %d", lo, hi)
			}
			*field(c) = n
			return nil
		},
		show: func(c *Config) string { return strconv.Itoa(*field(c)) },
	}
}

func duration(flagName, env, usage string, field func(*Config) *time.Duration) setting {
	return setting{
		flag: flagName, env: env, usage: usage,
		set: func(c *Config, v string) error {
			d, err := time.ParseDuration(v)
			if err != nil || d < 0 {
				return errors.New(`a non-negative Go duration such as "15s" or "24h"`)
			}
			*field(c) = d
			return nil
		},
		show: func(c *Config) string { return field(c).String() },
	}
}

func size(flagName, env, usage string, field func(*Config) *int64) setting {
	return setting{
		flag: flagName, env: env, usage: usage,
		set: func(c *Config, v string) error {
			n, err := ParseSize(v)
			if err != nil {
				return errors.New(`a byte count such as "2097152", "512KiB", "2MiB" or "1GiB"`)
			}
			*field(c) = n
			return nil
		},
		show: func(c *Config) string { return FormatSize(*field(c)) },
	}
}

// sizeUnits are the binary suffixes ParseSize accepts.
var sizeUnits = []struct {
	suffix string
	factor int64
}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}, {"B", 1}}

// ParseSize reads a byte count, plain or with a KiB, MiB or GiB suffix.
func ParseSize(v string) (int64, error) {
	factor := int64(1)
	for _, u := range sizeUnits {
		if num, ok := strings.CutSuffix(v, u.suffix); ok {
			v, factor = strings.TrimSpace(num), u.factor
			break
		}
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 || n > (1<<50)/factor {
		return 0, fmt.Errorf("invalid size %q", v)
	}
	return n * factor, nil
}

// FormatSize writes a byte count with the largest exact binary suffix.
func FormatSize(n int64) string {
	for _, u := range sizeUnits[:3] {
		if n >= u.factor && n%u.factor == 0 {
			return strconv.FormatInt(n/u.factor, 10) + u.suffix
		}
	}
	return strconv.FormatInt(n, 10)
}

func parseLevel(level *slog.Level, v string) error {
	if err := level.UnmarshalText([]byte(v)); err != nil {
		return errors.New("debug, info, warn or error")
	}
	return nil
}
