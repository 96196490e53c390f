package assets

import (
	"container/list"
	"sync"
	"time"
)

// store keeps assets in memory. Fetched images and blurred copies share an
// LRU list bounded by bytes. Images passed to Add are pinned outside it,
// because their URLs are handed out once and must keep working.
type store struct {
	mu       sync.Mutex
	limit    int64
	size     int64
	lru      *list.List               // of *lruEntry, most recently used first
	byName   map[string]*list.Element // asset name -> element of lru
	byURL    map[string]string        // source URL -> asset name
	pinned   map[string]*asset        // asset name -> asset
	failures map[string]failure       // source URL -> remembered failure
}

type lruEntry struct {
	asset *asset
	// urls lists the source URLs with this content, removed from byURL
	// when the entry is evicted.
	urls []string
	size int64
}

// failure is a remembered fetch error.
type failure struct {
	err     error
	expires time.Time
}

// maxFailures bounds the failure memory, so that many distinct failing URLs
// cannot grow it without limit.
const maxFailures = 4096

func newStore(limit int64) *store {
	return &store{
		limit:    limit,
		lru:      list.New(),
		byName:   make(map[string]*list.Element),
		byURL:    make(map[string]string),
		pinned:   make(map[string]*asset),
		failures: make(map[string]failure),
	}
}

// lookupURL returns the cached asset fetched from src.
func (s *store) lookupURL(src string) (*asset, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()

	name, ok := s.byURL[src]
	if !ok {
		return nil, false
	}

	return s.touchLocked(name)
}

// lookupName returns the pinned or cached asset with the given name.
func (s *store) lookupName(name string) (*asset, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()

	if a, ok := s.pinned[name]; ok {
		return a, true
	}

	return s.touchLocked(name)
}

// touchLocked returns the LRU asset named name and marks it recently used.
func (s *store) touchLocked(name string) (*asset, bool) {
	elem, ok := s.byName[name]
	if !ok {
		return nil, false
	}

	s.lru.MoveToFront(elem)
	return elem.Value.(*lruEntry).asset, true
}

// put adds a to the LRU list, recording src as one of its source URLs unless
// src is empty, and evicts the least recently used entries over the limit.
// It returns the cached asset, which is an earlier one with the same name
// when the content was already present.
func (s *store) put(src string, a *asset) *asset {
	s.mu.Lock()
	defer s.mu.Unlock()

	elem, ok := s.byName[a.name]
	if !ok {
		elem = s.lru.PushFront(&lruEntry{asset: a})
		s.byName[a.name] = elem
		s.resizeLocked(elem.Value.(*lruEntry), a.size())
	}

	entry := elem.Value.(*lruEntry)
	if src != "" {
		if _, known := s.byURL[src]; !known {
			entry.urls = append(entry.urls, src)
			s.byURL[src] = a.name
			s.resizeLocked(entry, entry.size+int64(len(src)))
		}

		delete(s.failures, src)
	}

	s.lru.MoveToFront(elem)
	s.evictLocked(elem)
	return entry.asset
}

func (s *store) resizeLocked(entry *lruEntry, size int64) {
	s.size += size - entry.size
	entry.size = size
}

// evictLocked removes entries from the back of the list until the size fits
// the limit, keeping keep, which put has just used.
// NOTE: nothing pins an image between Resolve and Chrome's request for it,
// so an image evicted in that gap gets 404. CacheBytes must exceed the
// images of all renders in flight by a wide margin.
func (s *store) evictLocked(keep *list.Element) {
	for s.size > s.limit {
		last := s.lru.Back()
		if last == nil || last == keep {
			return
		}

		entry := s.lru.Remove(last).(*lruEntry)
		delete(s.byName, entry.asset.name)
		for _, src := range entry.urls {
			delete(s.byURL, src)
		}

		s.size -= entry.size
	}
}

// pin stores a outside the LRU list.
func (s *store) pin(a *asset) {
	s.mu.Lock()
	defer s.mu.Unlock()

	s.pinned[a.name] = a
}

// lookupFailure returns the remembered failure of src if it has not expired.
func (s *store) lookupFailure(src string, now time.Time) (failure, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()

	f, ok := s.failures[src]
	if !ok {
		return failure{}, false
	}

	if !now.Before(f.expires) {
		delete(s.failures, src)
		return failure{}, false
	}

	return f, true
}

// rememberFailure records err for src until expires. When the memory is
// full it drops expired entries first, then arbitrary ones.
func (s *store) rememberFailure(src string, err error, now, expires time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()

	if len(s.failures) >= maxFailures {
		for key, f := range s.failures {
			if !now.Before(f.expires) {
				delete(s.failures, key)
			}
		}
	}

	for key := range s.failures {
		if len(s.failures) < maxFailures {
			break
		}

		delete(s.failures, key)
	}

	s.failures[src] = failure{err: err, expires: expires}
}

// usage returns the bytes held by the LRU list and its number of entries.
func (s *store) usage() (size int64, entries int) {
	s.mu.Lock()
	defer s.mu.Unlock()

	return s.size, s.lru.Len()
}
