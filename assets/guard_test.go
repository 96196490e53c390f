package assets

import (
	"net/netip"
	"testing"
)

func TestForbiddenKind(t *testing.T) {
	forbidden := []string{
		"0.0.0.0", "0.1.2.3", "10.0.0.1", "10.255.255.255", "100.64.0.1", "100.127.255.254",
		"127.0.0.1", "127.8.9.10", "169.254.169.254", "172.16.0.1", "172.31.255.255",
		"192.0.0.8", "192.0.2.1", "192.88.99.1", "192.168.1.1", "198.18.0.1", "198.19.255.255",
		"198.51.100.7", "203.0.113.9", "224.0.0.1", "239.255.255.250", "240.0.0.1", "255.255.255.255",
		"::", "::1", "::127.0.0.1", "::ffff:127.0.0.1", "::ffff:10.1.2.3", "::ffff:169.254.169.254",
		"64:ff9b::7f00:1", "64:ff9b::a00:1", "64:ff9b:1::a00:1", "2002:7f00:1::", "2002:c0a8:101::1",
		"100::1", "2001::1", "2001:db8::1", "3fff::1", "fc00::1", "fd12:3456::1", "fe80::1", "fe80::1%eth0",
		"fec0::1", "ff02::1",
	}
	public := []string{
		"1.1.1.1", "8.8.8.8", "100.63.255.255", "100.128.0.0", "172.15.255.255", "172.32.0.0",
		"192.0.1.1", "192.169.0.1", "198.17.255.255", "198.20.0.0", "223.255.255.255",
		"::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1", "2606:4700:4700::1111", "2400:cb00::1",
	}

	for _, s := range forbidden {
		if kind := forbiddenKind(netip.MustParseAddr(s)); kind == "" {
			t.Errorf("%s: forbiddenKind = \"\", want a reason", s)
		}
	}

	for _, s := range public {
		if kind := forbiddenKind(netip.MustParseAddr(s)); kind != "" {
			t.Errorf("%s: forbiddenKind = %q, want public", s, kind)
		}
	}
}

func TestAllowListMatches(t *testing.T) {
	list, err := parseAllowList([]string{"Images.Example.COM.", "10.1.2.3", "192.168.0.0/16", "fd00::/8", "::ffff:172.16.0.0/120"})
	if err != nil {
		t.Fatalf("parseAllowList: %v", err)
	}

	names := map[string]bool{"images.example.com": true, "IMAGES.example.com.": true, "example.com": false}
	for name, want := range names {
		if got := list.allowsName(name); got != want {
			t.Errorf("allowsName(%q) = %v, want %v", name, got, want)
		}
	}

	addrs := map[string]bool{
		"10.1.2.3": true, "::ffff:10.1.2.3": true, "10.1.2.4": false,
		"192.168.200.1": true, "192.169.0.1": false,
		"fd12::1": true, "fc00::1": false,
		"172.16.0.5": true, "172.16.1.1": false,
	}
	for s, want := range addrs {
		if got := list.allowsAddr(netip.MustParseAddr(s)); got != want {
			t.Errorf("allowsAddr(%s) = %v, want %v", s, got, want)
		}
	}
}
