package renderer

import (
	"fmt"
	"os"
	"runtime"
	"strconv"

	"github.com/chromedp/chromedp"
)

// chromeFlag is one switch of the Chrome command line. A true value is a
// switch without a value.
type chromeFlag struct {
	name  string
	value any
}

// disabledFeatures are Chrome features that contact Google services or keep
// pages alive after the pool is done with them.
const disabledFeatures = "Translate," + // no translate bar or language detection requests
	"MediaRouter,DialMediaRouteProvider," + // no Cast device discovery on the local network
	"OptimizationHints,OptimizationHintsFetching," + // no page hint downloads
	"AutofillServerCommunication," + // no form-type queries
	"CertificateTransparencyComponentUpdater," + // no log list downloads
	"BackForwardCache" // a tab reset must destroy the old page, not freeze it

// chromeFlags returns the Chrome command line. originHost is the host:port of
// the asset origin, the only address that Chrome may reach, and deadHost a
// loopback host:port that refuses every connection. lowMemory adds
// Config.LowMemory's switch.
func chromeFlags(originHost, deadHost string, lowMemory bool) []chromeFlag {
	flags := []chromeFlag{
		// The new headless mode is the full browser without a window, so it
		// lays out and paints as desktop Chrome does.
		{"headless", "new"},
		// Servers have no GPU, so software compositing skips the GPU probe
		// and the SwiftShader fallback.
		{"disable-gpu", true},
		// Docker gives /dev/shm 64 MB, and Chrome crashes when it fills it,
		// so shared memory goes to the temp dir instead.
		{"disable-dev-shm-usage", true},
		// Scrollbars would take width from the card and appear in captures.
		{"hide-scrollbars", true},
		// Pages never play sound on a server.
		{"mute-audio", true},
		// A server has no user for the first-run wizard or the default
		// browser prompt.
		{"no-first-run", true},
		{"no-default-browser-check", true},
		// Chrome's own traffic (update checks, sync, metrics, safe browsing,
		// reliability reports) is useless here, and the seal blocks it anyway.
		{"disable-background-networking", true},
		{"disable-component-update", true},
		{"disable-sync", true},
		{"disable-default-apps", true},
		{"disable-extensions", true},
		{"disable-domain-reliability", true},
		{"disable-client-side-phishing-detection", true},
		// No crash report uploads, and metrics are kept local.
		{"disable-breakpad", true},
		{"metrics-recording-only", true},
		// Field trials switch features at random, and every start must render
		// the same.
		{"disable-field-trial-config", true},
		// The desktop keyring may be missing or ask for a password.
		{"password-store", "basic"},
		{"disable-features", disabledFeatures},
		// QUIC runs over UDP, which the proxy below does not carry.
		{"disable-quic", true},
		// Every host name fails to resolve, so no DNS query leaves the machine.
		// The asset origin is an IP address and needs none.
		{"host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"},
		// Every connection goes to a proxy port that rejects it. Chrome exempts
		// loopback from proxies by default, and <-loopback> removes that, so
		// only the asset origin is reached directly. In Chromium 156 this is
		// the only layer that stops preconnects and speculation-rules
		// prefetches, because neither the Fetch interception nor the page
		// policy receives them.
		{"proxy-server", "http://" + deadHost},
		{"proxy-bypass-list", "<-loopback>;" + originHost},
		// WebRTC may only use the proxy, so it sends no UDP either.
		{"force-webrtc-ip-handling-policy", "disable_non_proxied_udp"},
		// Glyphs render the same on every machine, whatever its font config.
		{"font-render-hinting", "none"},
		// Colors do not depend on a display profile.
		{"force-color-profile", "srgb"},
		// Pooled tabs count as background tabs, and Chrome must not throttle
		// their timers or stop painting them.
		{"disable-renderer-backgrounding", true},
		{"disable-background-timer-throttling", true},
		{"disable-backgrounding-occluded-windows", true},
		// Headless Chrome paints at most 60 frames per second, and a screenshot
		// waits for the next frame. Without the limit a 100x100 capture took
		// 19 ms instead of 50 (Chromium 156 on 2 cores).
		{"disable-frame-rate-limit", true},
		// Chrome gives a renderer one raster thread per two cores, so on 2
		// cores the tiles of a card raster one after another while the other
		// core idles. Two threads cut the fancy card from 122 to 108 ms
		// (go run ./bench, 2 cores). Chrome's own maximum is 4.
		{"num-raster-threads", strconv.Itoa(min(max(runtime.NumCPU(), 2), 4))},
		// A slow page is ended by the render deadline, not by a hang dialog.
		{"disable-hang-monitor", true},
	}
	if lowMemory {
		flags = append(flags, chromeFlag{"enable-low-end-device-mode", true})
	}
	if os.Geteuid() == 0 {
		// Chrome does not start its sandbox as root, and containers often run
		// as root. The seal and the loopback-only origin still confine pages.
		flags = append(flags, chromeFlag{"no-sandbox", true})
	}
	return flags
}

// allocatorOptions returns the chromedp options that start Chrome at path
// with flags and then extra, which can override a flag by name.
func allocatorOptions(path string, flags []chromeFlag, extra []string) ([]chromedp.ExecAllocatorOption, error) {
	opts := []chromedp.ExecAllocatorOption{chromedp.ExecPath(path)}
	for _, f := range flags {
		opts = append(opts, chromedp.Flag(f.name, f.value))
	}

	for _, raw := range extra {
		name, value, err := parseFlag(raw)
		if err != nil {
			return nil, fmt.Errorf("extra flag: %w", err)
		}
		opts = append(opts, chromedp.Flag(name, value))
	}
	return opts, nil
}
