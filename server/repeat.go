package server

import (
	"crypto/sha256"
	"net/url"
	"sort"
	"sync"
	"time"
)

// repeatCache remembers the image of each recent request, so that a bot
// sending the same request again within the window gets the stored image
// without a render. It is bounded by entry count, evicting the oldest.
type repeatCache struct {
	window time.Duration
	max    int
	now    func() time.Time

	mu      sync.Mutex
	entries map[[32]byte]repeatEntry
	order   [][32]byte // insertion order, for eviction
}

type repeatEntry struct {
	name    string
	expires time.Time
}

func newRepeatCache(window time.Duration, max int) *repeatCache {
	return &repeatCache{window: window, max: max, now: time.Now, entries: map[[32]byte]repeatEntry{}}
}

// repeatKey hashes the whole query, sorted, and the body. Two requests that
// differ only in the order of their parameters share a key.
func repeatKey(query url.Values, body []byte) [32]byte {
	keys := make([]string, 0, len(query))
	for k := range query {
		keys = append(keys, k)
	}
	sort.Strings(keys)

	h := sha256.New()
	for _, k := range keys {
		for _, v := range query[k] {
			h.Write([]byte(k))
			h.Write([]byte{0})
			h.Write([]byte(v))
			h.Write([]byte{0})
		}
	}
	h.Write([]byte{1})
	h.Write(body)
	var key [32]byte
	h.Sum(key[:0])
	return key
}

func (c *repeatCache) get(key [32]byte) (string, bool) {
	if c == nil || c.window <= 0 {
		return "", false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok || c.now().After(e.expires) {
		return "", false
	}
	return e.name, true
}

func (c *repeatCache) put(key [32]byte, name string) {
	if c == nil || c.window <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.entries[key]; !ok {
		c.order = append(c.order, key)
	}
	c.entries[key] = repeatEntry{name: name, expires: c.now().Add(c.window)}

	for len(c.order) > c.max {
		delete(c.entries, c.order[0])
		c.order = c.order[1:]
	}
}
