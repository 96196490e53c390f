package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/igs-dev/igs/app"
	"github.com/igs-dev/igs/config"
	"github.com/igs-dev/igs/server"
	"github.com/igs-dev/igs/styles"
)

// listStyles prints the styles that load from the embedded set and the
// styles directory, with their parameters, and the styles that failed.
func listStyles(args []string, w io.Writer) error {
	fs := flag.NewFlagSet("igs styles", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print the JSON of GET /styles")
	dir := fs.String("styles-dir", "", "styles directory to read besides the embedded styles; default $IGS_STYLES_DIR")
	if err := fs.Parse(args); err != nil {
		return err
	}

	cfg, reg, err := loadStylesForCommand(*dir)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(server.ListStyles(reg, cfg.Server.DefaultStyle))
	}

	for _, style := range reg.Styles() {
		source := "embedded"
		if style.Dir() != "" {
			source = style.Dir()
		}
		fmt.Fprintf(w, "%s\t%d px\t%s\t(%s)\n", style.Name, style.Width, style.Title, source)
		if len(style.Aliases) > 0 {
			fmt.Fprintf(w, "  aliases: %s\n", strings.Join(style.Aliases, ", "))
		}
		if style.Description != "" {
			fmt.Fprintf(w, "  %s\n", style.Description)
		}
		for _, p := range style.Params {
			fmt.Fprintf(w, "  %s\n", describeParam(p))
		}
		if len(style.Samples) > 0 {
			fmt.Fprintf(w, "  samples: %s\n", strings.Join(style.Samples, ", "))
		}
		if style.JavaScript {
			fmt.Fprintln(w, "  runs JavaScript")
		}
	}
	for _, p := range reg.Problems() {
		fmt.Fprintf(w, "BROKEN %s\t%s\n", p.Style, problemText(p))
	}
	return nil
}

// loadStylesForCommand reads the configuration from the environment, with
// dir overriding IGS_STYLES_DIR, and loads the styles. Load problems go to
// stderr through the log and stay in the registry.
func loadStylesForCommand(dir string) (config.Config, *styles.Registry, error) {
	cfg, err := config.Load(nil, os.Getenv, io.Discard)
	if err != nil {
		return cfg, nil, fmt.Errorf("invalid configuration:\n%w", err)
	}
	if dir != "" {
		cfg.Styles.Dir = dir
	}
	// A command reads the files once, so development mode has nothing to watch.
	cfg.Styles.Dev = false

	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	reg, err := app.LoadStyles(cfg.Styles, log)
	if err != nil {
		return cfg, nil, err
	}
	return cfg, reg, nil
}

// describeParam words a parameter in one line, e.g.
// "max_chara (int, 1 to 200, default 8): how many characters".
func describeParam(p styles.Param) string {
	var facts []string
	facts = append(facts, p.Type)
	switch p.Type {
	case styles.TypeEnum, styles.TypeInt:
		facts = append(facts, p.Expected())
	case styles.TypeString:
		if p.MaxLen > 0 {
			facts = append(facts, fmt.Sprintf("at most %d characters", p.MaxLen))
		}
	}
	if p.Default != nil {
		facts = append(facts, fmt.Sprintf("default %v", p.Default))
	}
	if len(p.Aliases) > 0 {
		facts = append(facts, "alias "+strings.Join(p.Aliases, ", "))
	}
	line := fmt.Sprintf("%s (%s)", p.Name, strings.Join(facts, "; "))
	if p.Description != "" {
		line += ": " + p.Description
	}
	return line
}

// problemText formats a load problem as file:line: message.
func problemText(p *styles.StyleError) string {
	if p.Line > 0 {
		return fmt.Sprintf("%s:%d: %v", p.File, p.Line, p.Err)
	}
	return fmt.Sprintf("%s: %v", p.File, p.Err)
}
