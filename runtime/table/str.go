package table

import (
	"context"
	"fmt"
	"strings"
)

// printLines is how many lines str() of a table or column gives at most (astropy's
// pprint.MAX_LINES when no terminal is attached, as in a notebook).
const printLines = 25

// printedRows is the rows str() shows, as astropy's _pformat_col_iter chooses them below
// a header of nHeader lines: all, or the first rows, a gap (-1) and the last, with a
// closing "Length = N rows" line then (long reports it).
func printedRows(n, nHeader int) (rows []int, long bool) {
	limit := printLines - nHeader
	if n <= limit {
		return shownRows(n, -1), false
	}
	half := limit / 2
	gap := half - 1 // one line of the budget goes to "Length = N rows"
	for i := range gap {
		rows = append(rows, i)
	}
	rows = append(rows, -1)
	for i := n - half - limit%2 + 1; i < n; i++ {
		rows = append(rows, i)
	}
	return rows, true
}

// Str is str(table): astropy's pformat without the dtype line or the class line.
func (t *Table) Str() string {
	nHeader := 2
	if t.hasUnits() {
		nHeader++
	}
	rows, long := printedRows(t.Len(), nHeader)
	lines, err := t.textLines(context.Background(), rows, 80, false)
	if err != nil {
		return fmt.Sprintf("<%s length=%d: %v>", t.className(), t.Len(), err)
	}
	if long {
		lines = append(lines, fmt.Sprintf("Length = %d rows", t.Len()))
	}
	return strings.Join(lines, "\n")
}

// Str is str(column): the name (None when it has none) and unit over a dashed line,
// then the values, as astropy's Column.pformat.
func (c *Column) Str() string {
	header := []string{c.Name}
	if c.Name == "" {
		header[0] = "None"
	}
	if c.Unit != "" {
		header = append(header, c.Unit)
	}
	rows, long := printedRows(len(c.Values), len(header)+1)
	dt := c.dtype()
	cells := make([]string, len(rows))
	for i, r := range rows {
		cells[i] = "..."
		if r >= 0 {
			cells[i] = cellText(c.Values[r], dt)
		}
	}
	lines := alignColumn(header, cells, len(rows))
	if long {
		lines = append(lines, fmt.Sprintf("Length = %d rows", len(c.Values)))
	}
	return strings.Join(lines, "\n")
}
