package runtime

// This file makes a dataset's headers a table.Table (astropy's Table, as dkist's
// ds.headers is): one row per present file in grid order, one column per keyword of the
// first file, read from the files' headers when a cell first asks for a column (each
// file's header once for all the columns asked for at a time) and cached per dataset.

import (
	"context"
	"gokist/runtime/dkist"

	"gokist/runtime/table"
)

// headersTable is the dataset's headers as a Table.
func headersTable(info *dkist.DatasetInfo) *table.Table {
	t := table.New(headerSource{info})
	t.FoldCase = true
	return t
}

// headerSource is a dataset's file headers as a table's column source.
type headerSource struct{ info *dkist.DatasetInfo }

// Names lists the first file's keywords (not COMMENT, HISTORY or blank cards).
func (s headerSource) Names() []string {
	var out []string
	if h := s.info.FirstHeader; h != nil {
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
func (s headerSource) Rows() int { return len(s.info.Files) }

// Columns gives the keywords' values per file (None where a file lacks one).
func (s headerSource) Columns(ctx context.Context, names []string) ([][]any, error) {
	return s.info.Columns.GetMany(ctx, s.info.Files, names)
}

// headers is the dataset's headers table, made once per dataset value so that sorting it
// (in place, as astropy's) lasts.
func (d *Dataset) headers() *table.Table {
	return d.Info.HeadersView.Get(func() any { return headersTable(d.Info) }).(*table.Table)
}
