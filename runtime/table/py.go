package table

// This file is the Python face of Table, Column and Row: member tables and reprs as
// astropy's (text: the names centred over their dtypes and dashes, values right-aligned,
// long tables cut to their first and last 10 rows and wide ones to their first and last
// columns around a "..." column; HTML: astropy's notebook table).

import (
	"context"
	"fmt"
	"html"
	"strings"
	"unicode/utf8"

	"gokist/obj"
)

// Column is one column's values, as astropy's Column: numbers that numpy and plots take
// as an array, with tolist(), len, iteration and indexing.
type Column struct {
	Name   string
	Values []any
	// DType is numpy's name of the whole column's type, which a slice keeps ("" means
	// the values' own).
	DType string
	Unit  string // astropy's unit string ("m", "km / s"), "" for none
	// Description is astropy's column description (Column(description=)), "" for none.
	Description string
}

// dtype is the column's numpy type name.
func (c *Column) dtype() string {
	if c.DType != "" {
		return c.DType
	}
	return dtype(c.Values)
}

// Items makes len(), iteration and list() work.
func (c *Column) Items() []any { return c.Values }

// ArrayShape is the column's shape for numpy (obj.ArrayLike).
func (c *Column) ArrayShape() []int { return []int{len(c.Values)} }

// Float64s gives the values as numbers, or a TypeError when the column holds text.
func (c *Column) Float64s() ([]float64, error) {
	out := make([]float64, len(c.Values))
	for i, v := range c.Values {
		f, ok := obj.Float(v)
		if !ok {
			return nil, obj.Errorf(obj.TypeError, "column '%s' (dtype %s) is not numeric: row %d is %s", c.Name, c.dtype(), i, obj.TypeName(v))
		}
		out[i] = f
	}
	return out, nil
}

// GetItem is col[i] (a value) or col[a:b] (a column).
func (c *Column) GetItem(env *obj.Env, key any) (any, error) {
	switch k := key.(type) {
	case int:
		i := k
		if i < 0 {
			i += len(c.Values)
		}
		if i < 0 || i >= len(c.Values) {
			return nil, obj.Errorf(obj.IndexError, "index %d is out of bounds for column '%s' of length %d", k, c.Name, len(c.Values))
		}
		return c.Values[i], nil
	case obj.Slice:
		start, stop, step, err := k.Indices(len(c.Values))
		if err != nil {
			return nil, err
		}
		out := &Column{Name: c.Name, Values: []any{}, DType: c.dtype(), Unit: c.Unit, Description: c.Description}
		for i := start; (step > 0 && i < stop) || (step < 0 && i > stop); i += step {
			out.Values = append(out.Values, c.Values[i])
		}
		return out, nil
	}
	return nil, obj.Errorf(obj.TypeError, "a column takes an int or a slice, not %s", obj.TypeName(key))
}

var columnType = &obj.Type{Name: "Column", Doc: "One column of a Table: its values by row (col[i], col[a:b], len, iteration), name, dtype, tolist(); numeric columns act as numpy arrays."}

func init() {
	columnType.Members = []*obj.Member{
		{Name: "name", Signature: "name", Doc: "The column's name.", Get: func(_ *obj.Env, r any) (any, error) { return r.(*Column).Name, nil }},
		{Name: "dtype", Signature: "dtype", Doc: "numpy's name of the values' type, as astropy shows it.", Get: func(_ *obj.Env, r any) (any, error) { return r.(*Column).dtype(), nil }},
		{Name: "description", Signature: "description", Doc: "The column's description (None when it has none).", Get: func(_ *obj.Env, r any) (any, error) {
			if d := r.(*Column).Description; d != "" {
				return d, nil
			}
			return nil, nil
		}},
		{Name: "tolist", Signature: "tolist()", Doc: "The values as a list.", Call: func(_ *obj.Env, r any, _ obj.Args) (any, error) {
			return obj.List(append([]any(nil), r.(*Column).Values...)), nil
		}},
	}
}

// Type returns the Column member table.
func (c *Column) Type() *obj.Type { return columnType }

// MimeBundle shows the column as astropy's repr.
func (c *Column) MimeBundle() map[string]any {
	dt := c.dtype()
	cells := make([]string, len(c.Values))
	for i, v := range c.Values {
		cells[i] = cellText(v, dt)
	}
	unit := ""
	if c.Unit != "" {
		unit = fmt.Sprintf(" unit='%s'", c.Unit)
	}
	if c.Description != "" {
		unit += fmt.Sprintf(" description='%s'", c.Description)
	}
	name := fmt.Sprintf("name='%s' ", c.Name)
	if c.Name == "" {
		name = "" // astropy's Column(data) without a name
	}
	lines := []string{fmt.Sprintf("<Column %sdtype='%s'%s length=%d>", name, dt, unit, len(c.Values))}
	lines = append(lines, alignColumn(nil, cells, len(c.Values))...)
	return map[string]any{"text/plain": strings.Join(lines, "\n")}
}

// Row is one row of a table.
type Row struct {
	t     *Table
	index int
}

var rowType = &obj.Type{Name: "Row", Doc: "One row of a Table: row['NAME'] is that column's value; keys() and colnames list the names."}

func init() {
	rowType.Members = []*obj.Member{
		{Name: "colnames", Signature: "colnames", Doc: "The column names.", Get: func(_ *obj.Env, r any) (any, error) { return names(r.(*Row).t), nil }},
		{Name: "keys", Signature: "keys()", Doc: "The column names.", Call: func(_ *obj.Env, r any, _ obj.Args) (any, error) { return names(r.(*Row).t), nil }},
	}
}

// Type returns the Row member table.
func (r *Row) Type() *obj.Type { return rowType }

// GetItem is row['NAME'] or row[i] (the i-th column's value).
func (r *Row) GetItem(env *obj.Env, key any) (any, error) {
	if i, ok := key.(int); ok {
		if i < 0 {
			i += len(r.t.names)
		}
		if i < 0 || i >= len(r.t.names) {
			return nil, obj.Errorf(obj.IndexError, "index %d out of range for a row of %d columns", key, len(r.t.names))
		}
		key = r.t.names[i]
	}
	name, ok := key.(string)
	if !ok {
		return nil, obj.Errorf(obj.TypeError, "a row takes a column name or an index, not %s", obj.TypeName(key))
	}
	c, err := r.t.Column(env.Context(), name)
	if err != nil {
		return nil, err
	}
	return c.Values[0], nil
}

// MimeBundle shows the row as astropy's repr.
func (r *Row) MimeBundle() map[string]any {
	lines, err := r.t.textLines(context.Background(), shownRows(r.t.Len(), -1), 80, true)
	if err != nil {
		return map[string]any{"text/plain": fmt.Sprintf("<Row index=%d: %v>", r.index, err)}
	}
	return map[string]any{"text/plain": fmt.Sprintf("<Row index=%d>\n", r.index) + strings.Join(lines, "\n")}
}

func names(t *Table) obj.List {
	out := make(obj.List, len(t.names))
	for i, n := range t.names {
		out[i] = n
	}
	return out
}

var tableType = &obj.Type{Name: "Table", Doc: "A table (astropy's Table): t['NAME'] is a Column, t[i] a Row, t[a:b] and t['A', 'B'] tables; colnames, keys(), sort(keys), len(t)."}

func init() {
	tableType.Members = []*obj.Member{
		{Name: "colnames", Signature: "colnames", Doc: "The column names, in order.", Get: func(_ *obj.Env, r any) (any, error) { return names(r.(*Table)), nil }},
		{Name: "keys", Signature: "keys()", Doc: "The column names, in order.", Call: func(_ *obj.Env, r any, _ obj.Args) (any, error) { return names(r.(*Table)), nil }},
		{Name: "sort", Signature: "sort(keys)", Doc: "Order the rows by a column (or a list of columns), in place.",
			Params: []obj.Param{{Name: "keys"}},
			Call: func(env *obj.Env, r any, a obj.Args) (any, error) {
				v, err := a.Bind("sort", []obj.Param{{Name: "keys"}})
				if err != nil {
					return nil, err
				}
				var keys []string
				switch k := v[0].(type) {
				case string:
					keys = []string{k}
				case obj.List:
					for _, x := range k {
						s, ok := x.(string)
						if !ok {
							return nil, obj.Errorf(obj.TypeError, "sort(): column names are strings, not %s", obj.TypeName(x))
						}
						keys = append(keys, s)
					}
				default:
					return nil, obj.Errorf(obj.TypeError, "sort(): keys must be a column name or a list of names, not %s", obj.TypeName(v[0]))
				}
				return nil, r.(*Table).Sort(env.Context(), keys)
			}},
	}
	tableType.Members = append(tableType.Members, buildMembers()...)
}

// Type returns the Table member table.
func (t *Table) Type() *obj.Type { return tableType }

// Items makes len() and iteration (over rows) work.
func (t *Table) Items() []any {
	rows := t.sourceRows()
	out := make([]any, len(rows))
	for i, r := range rows {
		out[i] = &Row{t: t.view([]int{r}, t.names), index: i}
	}
	return out
}

// MimeBundle shows the table as astropy does: the text repr (at most 80 characters wide)
// and the notebook's HTML table (every column).
func (t *Table) MimeBundle() map[string]any {
	ctx := context.Background()
	lines, err := t.textLines(ctx, shownRows(t.Len(), maxRows), 80, true)
	if err != nil {
		return map[string]any{"text/plain": fmt.Sprintf("<%s length=%d: %v>", t.className(), t.Len(), err)}
	}
	bundle := map[string]any{"text/plain": fmt.Sprintf("<%s length=%d>\n", t.className(), t.Len()) + strings.Join(lines, "\n")}
	if h, err := t.html(ctx); err == nil {
		bundle["text/html"] = h
	}
	return bundle
}

// maxRows is how many rows a repr shows before it cuts to the first and last 10
// (astropy's 25 lines, less the length line and the 3 header lines).
const maxRows = 21

// shownRows is the rows a repr shows: all, or the first and last 10 around a gap (-1).
func shownRows(n, limit int) []int {
	var out []int
	if limit < 0 || n <= limit {
		for i := range n {
			out = append(out, i)
		}
		return out
	}
	head := limit / 2
	for i := range head {
		out = append(out, i)
	}
	out = append(out, -1)
	for i := n - (limit - head - 1); i < n; i++ {
		out = append(out, i)
	}
	return out
}

// textLines renders the table's header (with the dtype line for a repr) and the given
// rows as astropy's pformat does.
func (t *Table) textLines(ctx context.Context, rows []int, width int, dtypes bool) ([]string, error) {
	vals, err := t.columns(ctx, t.names)
	if err != nil {
		return nil, err
	}
	var cols [][]string
	for i, name := range t.names {
		dt := t.dtype(name)
		cells := make([]string, len(rows))
		for j, r := range rows {
			if r < 0 {
				cells[j] = "..."
			} else {
				cells[j] = cellText(vals[i][r], dt)
			}
		}
		header := []string{name}
		if t.hasUnits() {
			header = append(header, t.info.units[name])
		}
		if dtypes {
			header = append(header, dt)
		}
		cols = append(cols, alignColumn(header, cells, len(rows)))
	}
	if len(cols) == 0 {
		return []string{"<No columns>"}, nil
	}
	cols = dropMiddleColumns(cols, width)
	lines := make([]string, len(cols[0]))
	for i := range lines {
		parts := make([]string, len(cols))
		for j, c := range cols {
			parts[j] = c[i]
		}
		lines[i] = strings.Join(parts, " ")
	}
	return lines, nil
}

// alignColumn lays out one column: the header lines centred (Python's str.center) over
// a dashed line, the cells right-aligned, all as wide as the widest.
func alignColumn(header, cells []string, _ int) []string {
	w := 0
	if len(header) > 0 {
		w = len("---") // astropy's dashed line is at least three wide
	}
	for _, s := range append(append([]string(nil), header...), cells...) {
		w = max(w, utf8.RuneCountInString(s))
	}
	var out []string
	for _, h := range header {
		out = append(out, center(h, w))
	}
	if len(header) > 0 {
		out = append(out, strings.Repeat("-", w))
	}
	for _, c := range cells {
		out = append(out, strings.Repeat(" ", w-utf8.RuneCountInString(c))+c)
	}
	return out
}

// center is Python's str.center.
func center(s string, w int) string {
	marg := w - utf8.RuneCountInString(s)
	if marg <= 0 {
		return s
	}
	left := marg/2 + (marg & w & 1)
	return strings.Repeat(" ", left) + s + strings.Repeat(" ", marg-left)
}

// dropMiddleColumns replaces columns from the middle by one "..." column until the
// lines fit width, as astropy does.
func dropMiddleColumns(cols [][]string, width int) [][]string {
	outWidth := func() int {
		n := len(cols) - 1
		for _, c := range cols {
			n += utf8.RuneCountInString(c[0])
		}
		return n
	}
	dots := make([]string, len(cols[0]))
	for i := range dots {
		dots[i] = "..."
	}
	isDots := func(c []string) bool { return len(c) > 0 && &c[0] == &dots[0] }
	middle := len(cols) / 2
	for outWidth() > width {
		if len(cols) == 1 {
			break
		}
		if len(cols) == 2 {
			cols[1] = dots
			break
		}
		if isDots(cols[middle]) {
			cols = append(cols[:middle], cols[middle+1:]...)
			middle = len(cols) / 2
		}
		cols[middle] = dots
	}
	return cols
}

// html is astropy's notebook table: names and dtypes as header rows, every column.
func (t *Table) html(ctx context.Context) (string, error) {
	vals, err := t.columns(ctx, t.names)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "<div><i>%s length=%d</i>\n<table class=\"table-striped table-bordered table-condensed\">\n<thead><tr>", t.className(), t.Len())
	for _, n := range t.names {
		fmt.Fprintf(&b, "<th>%s</th>", html.EscapeString(n))
	}
	b.WriteString("</tr></thead>\n<thead><tr>")
	if t.hasUnits() {
		for _, n := range t.names {
			fmt.Fprintf(&b, "<th>%s</th>", html.EscapeString(t.info.units[n]))
		}
		b.WriteString("</tr></thead>\n<thead><tr>")
	}
	dts := make([]string, len(t.names))
	for i := range t.names {
		dts[i] = t.dtype(t.names[i])
		fmt.Fprintf(&b, "<th>%s</th>", dts[i])
	}
	b.WriteString("</tr></thead>\n")
	for _, r := range shownRows(t.Len(), maxRows) {
		b.WriteString("<tr>")
		for i := range t.names {
			cell := "..."
			if r >= 0 {
				cell = cellText(vals[i][r], dts[i])
			}
			fmt.Fprintf(&b, "<td>%s</td>", html.EscapeString(cell))
		}
		b.WriteString("</tr>\n")
	}
	b.WriteString("</table></div>")
	return b.String(), nil
}

// hasUnits reports whether any column has a unit (astropy then shows a unit line).
func (t *Table) hasUnits() bool {
	for _, n := range t.names {
		if t.info.units[n] != "" {
			return true
		}
	}
	return false
}
