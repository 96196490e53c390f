package assets

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"time"
)

// forbiddenRange is an address block that a fetch must not reach.
type forbiddenRange struct {
	prefix netip.Prefix
	kind   string
}

// forbiddenRanges lists the special-purpose blocks of the IANA IPv4 and IPv6
// registries that are not global unicast, plus multicast.
var forbiddenRanges = []forbiddenRange{
	{netip.MustParsePrefix("0.0.0.0/8"), "this network"},
	{netip.MustParsePrefix("10.0.0.0/8"), "private"},
	{netip.MustParsePrefix("100.64.0.0/10"), "carrier-grade NAT"},
	{netip.MustParsePrefix("127.0.0.0/8"), "loopback"},
	{netip.MustParsePrefix("169.254.0.0/16"), "link-local"},
	{netip.MustParsePrefix("172.16.0.0/12"), "private"},
	{netip.MustParsePrefix("192.0.0.0/24"), "IETF protocol assignments"},
	{netip.MustParsePrefix("192.0.2.0/24"), "documentation"},
	{netip.MustParsePrefix("192.88.99.0/24"), "6to4 relay anycast"},
	{netip.MustParsePrefix("192.168.0.0/16"), "private"},
	{netip.MustParsePrefix("198.18.0.0/15"), "benchmarking"},
	{netip.MustParsePrefix("198.51.100.0/24"), "documentation"},
	{netip.MustParsePrefix("203.0.113.0/24"), "documentation"},
	{netip.MustParsePrefix("224.0.0.0/4"), "multicast"},
	{netip.MustParsePrefix("240.0.0.0/4"), "reserved or broadcast"},

	{netip.MustParsePrefix("::/96"), "unspecified, loopback or IPv4-compatible"},
	{netip.MustParsePrefix("100::/64"), "discard-only"},
	{netip.MustParsePrefix("2001::/23"), "IETF protocol assignments"},
	{netip.MustParsePrefix("2001:db8::/32"), "documentation"},
	{netip.MustParsePrefix("3fff::/20"), "documentation"},
	{netip.MustParsePrefix("fc00::/7"), "unique local"},
	{netip.MustParsePrefix("fe80::/10"), "link-local"},
	{netip.MustParsePrefix("fec0::/10"), "site-local"},
	{netip.MustParsePrefix("ff00::/8"), "multicast"},
}

// IPv6 blocks that carry an IPv4 address: NAT64 in the last 32 bits, 6to4
// in bits 16-48. The IPv4 address must be public too, because a gateway
// forwards to it.
var (
	nat64Ranges = []netip.Prefix{
		netip.MustParsePrefix("64:ff9b::/96"),
		netip.MustParsePrefix("64:ff9b:1::/48"),
	}
	sixToFourRange = netip.MustParsePrefix("2002::/16")
)

// forbiddenKind returns why the address is not public, or "" when it is.
// IPv4-mapped IPv6 addresses are judged by their IPv4 form.
func forbiddenKind(addr netip.Addr) string {
	addr = addr.Unmap().WithZone("")
	for _, r := range forbiddenRanges {
		if r.prefix.Contains(addr) {
			return r.kind
		}
	}

	if embedded, ok := embeddedIPv4(addr); ok {
		if kind := forbiddenKind(embedded); kind != "" {
			return kind + " (embedded in " + addr.String() + ")"
		}
	}

	return ""
}

// embeddedIPv4 returns the IPv4 address inside a NAT64 or 6to4 address.
func embeddedIPv4(addr netip.Addr) (netip.Addr, bool) {
	raw := addr.As16()
	for _, prefix := range nat64Ranges {
		if prefix.Contains(addr) {
			return netip.AddrFrom4([4]byte(raw[12:16])), true
		}
	}

	if sixToFourRange.Contains(addr) {
		return netip.AddrFrom4([4]byte(raw[2:6])), true
	}

	return netip.Addr{}, false
}

// guardedDialer resolves the host itself and connects only to vetted
// addresses, so that the address checked is the address dialled.
type guardedDialer struct {
	allow    allowList
	resolver *net.Resolver
	dialer   net.Dialer
}

func newGuardedDialer(allow allowList) *guardedDialer {
	return &guardedDialer{
		allow:    allow,
		resolver: net.DefaultResolver,
		dialer:   net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second},
	}
}

// DialContext is the http.Transport dial hook. It tries each permitted
// address of the host in resolver order and returns ErrForbiddenAddress when
// none is permitted.
func (g *guardedDialer) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(address)
	if err != nil {
		return nil, fmt.Errorf("split address %q: %w", address, err)
	}

	addrs, err := g.permittedAddrs(ctx, host)
	if err != nil {
		return nil, err
	}

	var firstErr error
	for _, addr := range addrs {
		conn, err := g.dialer.DialContext(ctx, network, net.JoinHostPort(addr.String(), port))
		if err == nil {
			return conn, nil
		}

		if firstErr == nil {
			firstErr = err
		}

		if ctx.Err() != nil {
			break
		}
	}

	return nil, fmt.Errorf("dial %s (%d permitted addresses): %w", address, len(addrs), firstErr)
}

// permittedAddrs resolves host and keeps the addresses that are public or
// allowed. A listed host name permits all of its addresses.
func (g *guardedDialer) permittedAddrs(ctx context.Context, host string) ([]netip.Addr, error) {
	allowedName := g.allow.allowsName(host)

	var resolved []netip.Addr
	if addr, err := netip.ParseAddr(host); err == nil {
		resolved = []netip.Addr{addr}
	} else {
		ipAddrs, err := g.resolver.LookupNetIP(ctx, "ip", host)
		if err != nil {
			return nil, fmt.Errorf("resolve host %q: %w", host, err)
		}

		resolved = ipAddrs
	}

	var permitted []netip.Addr
	var rejected []string
	for _, addr := range resolved {
		addr = addr.Unmap()
		kind := forbiddenKind(addr)
		if kind == "" || allowedName || g.allow.allowsAddr(addr) {
			permitted = append(permitted, addr)
			continue
		}

		rejected = append(rejected, addr.String()+" is "+kind)
	}

	if len(permitted) == 0 {
		return nil, fmt.Errorf("host %q: %w: %s", host, ErrForbiddenAddress, strings.Join(rejected, ", "))
	}

	return permitted, nil
}
