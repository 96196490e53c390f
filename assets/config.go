package assets

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"time"
)

// Config sets the limits of the asset pipeline. Start from DefaultConfig:
// a zero field is invalid, not a request for the default.
type Config struct {
	// Budget is the time allowed for the whole fetch phase of one request,
	// and the deadline of each single fetch.
	Budget time.Duration

	// MaxBytes is the maximum body size of one image in bytes. A longer body
	// is rejected, never truncated.
	MaxBytes int64

	// MaxSide is the maximum width or height of an image in pixels.
	MaxSide int

	// MaxPixels is the maximum width*height of an image.
	MaxPixels int

	// AllowHosts lists host names, IP addresses and CIDR prefixes that are
	// exempt from the public-address rule, on any port. A listed name allows
	// every address it resolves to.
	AllowHosts []string

	// CacheBytes is the memory budget of the image cache in bytes. Images
	// passed to Pipeline.Add are kept outside this budget.
	CacheBytes int64

	// FailureTTL is how long a failed URL keeps failing from memory, without
	// a new fetch. 0 turns the failure memory off.
	FailureTTL time.Duration

	// Parallel is the number of fetches one Resolve call runs at once.
	Parallel int
}

// DefaultConfig returns the default limits.
func DefaultConfig() Config {
	return Config{
		Budget:     3 * time.Second,
		MaxBytes:   8 << 20,
		MaxSide:    4096,
		MaxPixels:  16_000_000,
		CacheBytes: 256 << 20,
		FailureTTL: 30 * time.Second,
		Parallel:   8,
	}
}

// Validate returns every invalid field at once, joined, each naming the
// field, the expected form and the value.
func (c Config) Validate() error {
	var errs []error
	if c.Budget <= 0 {
		errs = append(errs, fmt.Errorf("Budget: expected a positive duration such as \"3s\", got %q", c.Budget))
	}

	if c.MaxBytes <= 0 {
		errs = append(errs, fmt.Errorf("MaxBytes: expected a positive number of bytes, got %d", c.MaxBytes))
	}

	if c.MaxSide <= 0 {
		errs = append(errs, fmt.Errorf("MaxSide: expected a positive number of pixels, got %d", c.MaxSide))
	}

	if c.MaxPixels <= 0 {
		errs = append(errs, fmt.Errorf("MaxPixels: expected a positive number of pixels, got %d", c.MaxPixels))
	}

	if c.CacheBytes < c.MaxBytes {
		errs = append(errs, fmt.Errorf("CacheBytes: expected at least MaxBytes (%d) so that one image fits, got %d", c.MaxBytes, c.CacheBytes))
	}

	if c.FailureTTL < 0 {
		errs = append(errs, fmt.Errorf("FailureTTL: expected a duration of 0 or more such as \"30s\", got %q", c.FailureTTL))
	}

	if c.Parallel < 1 || c.Parallel > maxParallel {
		errs = append(errs, fmt.Errorf("Parallel: expected a number from 1 to %d, got %d", maxParallel, c.Parallel))
	}

	if _, err := parseAllowList(c.AllowHosts); err != nil {
		errs = append(errs, err)
	}

	return errors.Join(errs...)
}

// maxParallel caps Config.Parallel; more fetches per request only add load.
const maxParallel = 256

// allowList is the parsed form of Config.AllowHosts.
type allowList struct {
	names    map[string]bool
	prefixes []netip.Prefix
}

// parseAllowList parses host names, IP addresses and CIDR prefixes. The error
// joins one line per invalid entry.
func parseAllowList(entries []string) (allowList, error) {
	list := allowList{names: make(map[string]bool)}
	var errs []error
	for i, entry := range entries {
		if prefix, err := netip.ParsePrefix(entry); err == nil {
			list.prefixes = append(list.prefixes, unmapPrefix(prefix).Masked())
			continue
		}

		if addr, err := netip.ParseAddr(entry); err == nil && addr.Zone() == "" {
			addr = addr.Unmap()
			list.prefixes = append(list.prefixes, netip.PrefixFrom(addr, addr.BitLen()))
			continue
		}

		name := normalizeHost(entry)
		if !isHostName(name) {
			errs = append(errs, fmt.Errorf("AllowHosts[%d]: expected a host name, IP address or CIDR prefix without port, got %q", i, entry))
			continue
		}

		list.names[name] = true
	}

	return list, errors.Join(errs...)
}

// unmapPrefix turns an IPv4-mapped IPv6 prefix such as ::ffff:10.0.0.0/104
// into its IPv4 form, because addresses are unmapped before they are matched.
func unmapPrefix(prefix netip.Prefix) netip.Prefix {
	addr := prefix.Addr()
	if !addr.Is4In6() || prefix.Bits() < 96 {
		return prefix
	}

	return netip.PrefixFrom(addr.Unmap(), prefix.Bits()-96)
}

// allowsName reports whether the host name is listed.
func (l allowList) allowsName(host string) bool {
	return l.names[normalizeHost(host)]
}

// allowsAddr reports whether the address falls in a listed IP or prefix.
func (l allowList) allowsAddr(addr netip.Addr) bool {
	addr = addr.Unmap().WithZone("")
	for _, prefix := range l.prefixes {
		if prefix.Contains(addr) {
			return true
		}
	}

	return false
}

// normalizeHost lowercases a host name and drops the trailing dot of a fully
// qualified name, so "LocalHost." and "localhost" match.
func normalizeHost(host string) string {
	return strings.TrimSuffix(strings.ToLower(host), ".")
}

// isHostName reports whether name is a DNS name of letters, digits, hyphens
// and underscores in dot-separated labels of 1 to 63 characters.
func isHostName(name string) bool {
	if name == "" || len(name) > 253 {
		return false
	}

	for label := range strings.SplitSeq(name, ".") {
		if label == "" || len(label) > 63 {
			return false
		}

		for _, r := range label {
			ok := r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_'
			if !ok {
				return false
			}
		}
	}

	return true
}
