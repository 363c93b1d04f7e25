package lazy

import (
	"math"
	"slices"
	"sync"
)

// chunkCache is an LRU cache of decoded file regions within a byte budget.
type chunkCache struct {
	mu      sync.Mutex
	limit   int64
	used    int64
	entries map[string]*cacheEntry
	tick    int64
}

// cacheEntry is one decoded region: float32 values for float32 files (exact, half the
// memory), float64 otherwise.
type cacheEntry struct {
	data   []float64
	data32 []float32
	used   int64
}

func (e *cacheEntry) bytes() int64 { return int64(len(e.data))*8 + int64(len(e.data32))*4 }

// copyEntry writes the entry's values into dst.
func copyEntry[T float32 | float64](e *cacheEntry, dst []T) {
	if e.data32 == nil {
		for i, x := range e.data {
			dst[i] = T(x)
		}
		return
	}
	for i, x := range e.data32 {
		dst[i] = T(x)
	}
}

func newChunkCache(limit int64) *chunkCache {
	return &chunkCache{limit: limit, entries: map[string]*cacheEntry{}}
}

func (c *chunkCache) get(key string) (*cacheEntry, bool) {
	if c == nil || c.limit <= 0 {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok {
		return nil, false
	}
	c.tick++
	e.used = c.tick
	return e, true
}

// put keeps a copy of the decoded region data, as float32 when f32 (the file's values
// are float32, so the conversion is exact).
func (c *chunkCache) put(key string, data any, f32 bool) {
	if c == nil || c.limit <= 0 {
		return
	}
	e := &cacheEntry{}
	switch d := data.(type) {
	case []float32:
		if f32 {
			e.data32 = slices.Clone(d)
		} else {
			e.data = make([]float64, len(d))
			for i, x := range d {
				e.data[i] = float64(x)
			}
		}
	case []float64:
		if f32 {
			e.data32 = toFloat32(d)
		} else {
			e.data = slices.Clone(d)
		}
	}
	size := e.bytes()
	if size > c.limit/4 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.entries[key]; ok {
		return
	}
	for c.used+size > c.limit && len(c.entries) > 0 {
		oldKey, oldest := "", int64(math.MaxInt64)
		for k, e := range c.entries {
			if e.used < oldest {
				oldKey, oldest = k, e.used
			}
		}
		c.used -= c.entries[oldKey].bytes()
		delete(c.entries, oldKey)
	}
	c.tick++
	e.used = c.tick
	c.entries[key] = e
	c.used += size
}

// Usage is the cache's budget, the bytes it holds and how many regions (nil: no cache).
func (c *chunkCache) Usage() (limit, used int64, entries int) {
	if c == nil {
		return 0, 0, 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.limit, c.used, len(c.entries)
}
