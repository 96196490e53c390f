// Command igs serves Genshin Impact player cards: it turns the JSON of the
// game-record index API into a picture rendered by headless Chromium.
//
// Usage:
//
//	igs [serve] [flags]   start the HTTP service (the default verb)
//	igs render [flags]    render one card to a file without the HTTP server
//	igs styles [flags]    list the styles and the parameters each reads
//	igs check [flags]     fill and render every style with every sample; exit 1 on an error
//	igs health [flags]    exit 0 when the local service passes its health check
//	igs help              print the flags and their IGS_* variables
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/igs-dev/igs/app"
	"github.com/igs-dev/igs/config"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "igs:", err)
			os.Exit(1)
		}
	}
}

// commands lists the commands for igs help and igs -h.
const commands = `Commands:
  igs [serve] [flags]   start the HTTP service (the default command)
  igs render [flags]    render one card to a file without the HTTP server
  igs styles [flags]    list the styles and the parameters each reads
  igs check [flags]     fill and render every style with every sample; exit 1 on an error
  igs health [flags]    exit 0 when the local service passes its health check
  igs help              print this list and the serve flags
Each command takes -h for its own flags.

`

func run(args []string) error {
	verb := "serve"
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		verb, args = args[0], args[1:]
	}

	switch verb {
	case "serve":
		if wantsHelp(args) {
			fmt.Fprint(os.Stderr, commands)
		}
		return serve(args)
	case "render":
		return renderFile(args)
	case "styles":
		return listStyles(args, os.Stdout)
	case "check":
		return checkStyles(args, os.Stdout)
	case "health":
		return health(args)
	case "help":
		fmt.Print(commands)
		_, err := config.Load([]string{"-h"}, os.Getenv, os.Stdout)
		return err
	}
	return fmt.Errorf("unknown command %q: expected serve, render, styles, check, health or help", verb)
}

// wantsHelp reports whether args ask for the flag list.
func wantsHelp(args []string) bool {
	for _, a := range args {
		switch a {
		case "-h", "-help", "--h", "--help":
			return true
		}
	}
	return false
}

func serve(args []string) error {
	cfg, err := config.Load(args, os.Getenv, os.Stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("invalid configuration:\n%w", err)
	}
	log := newLogger(cfg)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	app.CheckFonts(ctx, log)
	// The port is taken before Chrome starts, so a busy or invalid address
	// fails at once and leaves no Chrome profile behind.
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	a, err := app.New(cfg, log, app.Options{})
	if err != nil {
		ln.Close()
		return err
	}
	return a.ServeListener(ctx, ln)
}

func newLogger(cfg config.Config) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(os.Stderr, opts))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, opts))
}

// health requests /healthz from the service on the configured address; the
// container image uses it as its health check.
func health(args []string) error {
	cfg, err := config.Load(args, os.Getenv, os.Stderr)
	if err != nil {
		return err
	}
	host, port, err := net.SplitHostPort(cfg.Addr)
	if err != nil {
		return err
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}

	client := &http.Client{Timeout: 5 * time.Second}
	resp, err := client.Get("http://" + net.JoinHostPort(host, port) + "/healthz")
	if err != nil {
		return fmt.Errorf("health check: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("health check: status %d", resp.StatusCode)
	}
	return nil
}
