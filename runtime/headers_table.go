package runtime

// This file makes a dataset's headers a table.Table (astropy's Table, as dkist's
// ds.headers is): one row per present file in grid order, one column per keyword of the
// first file, read from the files' headers when a cell first asks for a column (each
// file's header once for all the columns asked for at a time) and cached per dataset.

import (
	"context"
	"sync"
	"sync/atomic"

	"gokist/obj"
	"gokist/runtime/table"
)

// headersTable is the dataset's headers as a Table.
func headersTable(info *datasetInfo) *table.Table {
	t := table.New(headerSource{info})
	t.FoldCase = true
	return t
}

// headerSource is a dataset's file headers as a table's column source.
type headerSource struct{ info *datasetInfo }

// Names lists the first file's keywords (not COMMENT, HISTORY or blank cards).
func (s headerSource) Names() []string {
	var out []string
	if h := s.info.firstHeader; h != nil {
		seen := map[string]bool{}
		for _, c := range h.Cards() {
			if c.Key != "" && c.Key != "COMMENT" && c.Key != "HISTORY" && !seen[c.Key] {
				seen[c.Key] = true
				out = append(out, c.Key)
			}
		}
	}
	return out
}

// Rows is the number of present files.
func (s headerSource) Rows() int { return len(s.info.files) }

// Columns gives the keywords' values per file (None where a file lacks one).
func (s headerSource) Columns(ctx context.Context, names []string) ([][]any, error) {
	return s.info.columns.getMany(ctx, s.info.files, names)
}

// getMany is get for several keywords, reading each file's header once for those not
// cached yet.
func (c *headerColumns) getMany(ctx context.Context, files []string, keywords []string) ([][]any, error) {
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
	cols := make([]obj.List, len(keywords))
	for i := range cols {
		cols[i] = make(obj.List, len(files))
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
		c.values, c.found = map[string]obj.List{}, map[string]bool{}
	}
	for i, k := range keywords {
		c.values[k], c.found[k] = cols[i], found[i].Load()
	}
	return nil
}

// headers is the dataset's headers table, made once per dataset value so that sorting it
// (in place, as astropy's) lasts.
func (d *Dataset) headers() *table.Table {
	d.info.headersOnce.Do(func() { d.info.headersTable = headersTable(d.info) })
	return d.info.headersTable
}
