package dkist

// This file reads header keywords across a dataset's files on demand and caches them:
// ds.headers' columns (each file's header read once for all the keywords asked for at a
// time).

import (
	"context"
	"sync"
	"sync/atomic"

	"gokist/obj"
)

// headerColumns caches the values of header keywords across a dataset's files.
type headerColumns struct {
	mu     sync.Mutex
	values map[string][]any // keyword → value per file (nil where absent)
	found  map[string]bool  // whether any file has the keyword
}

// GetMany is get for several keywords, reading each file's header once for those not
// cached yet.
func (c *headerColumns) GetMany(ctx context.Context, files []string, keywords []string) ([][]any, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var missing []string
	for _, k := range keywords {
		if _, ok := c.values[k]; !ok {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		if err := c.readAll(ctx, files, missing); err != nil {
			return nil, err
		}
	}
	out := make([][]any, len(keywords))
	for i, k := range keywords {
		out[i] = append([]any(nil), c.values[k]...)
	}
	return out, nil
}

// readAll reads the keywords' values from every file's header, in parallel, into the
// cache. The caller holds c.mu.
func (c *headerColumns) readAll(ctx context.Context, files []string, keywords []string) error {
	cols := make([][]any, len(keywords))
	for i := range cols {
		cols[i] = make([]any, len(files))
	}
	found := make([]atomic.Bool, len(keywords))
	errs := make([]error, len(files))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(8, max(1, len(files))) {
		wg.Go(func() {
			for {
				f := int(next.Add(1) - 1)
				if f >= len(files) || ctx.Err() != nil {
					return
				}
				h, err := readImageHeader(files[f])
				if err != nil {
					errs[f] = err
					continue
				}
				for i, k := range keywords {
					if card, ok := h.Get(k); ok {
						found[i].Store(true)
						cols[i][f] = card.Value
						if v, isInt := card.Value.(int64); isInt {
							cols[i][f] = int(v)
						}
					}
				}
			}
		})
	}
	wg.Wait()
	if ctx.Err() != nil {
		return obj.Errorf(obj.Interrupted, "reading the headers interrupted")
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	if c.values == nil {
		c.values, c.found = map[string][]any{}, map[string]bool{}
	}
	for i, k := range keywords {
		c.values[k], c.found[k] = cols[i], found[i].Load()
	}
	return nil
}
