package table

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"gokist/obj"
	"gokist/pyfmt"
)

// Source gives a table's columns: their names, the number of rows, and the values of
// some columns (one slice per name, one value per row: string, int, float64, bool or
// nil), read when first asked for. A source that reads files reads each file once per
// call, however many names it is asked for.
type Source interface {
	Names() []string
	Rows() int
	Columns(ctx context.Context, names []string) ([][]any, error)
}

// Table is a table of named columns of equal length, read from its source on demand
// and kept. rows, when set, selects and orders the source's rows.
type Table struct {
	// FoldCase lets t['key'] find column KEY when there is no column key (FITS
	// keywords, which FITS itself matches without case).
	FoldCase bool

	src   Source
	names []string
	rows  []int // nil: all of the source's rows, in order

	cache *columnCache // shared by the table's views
	info  *colInfo     // units, declared dtypes and meta, shared by the table's views
}

// colInfo is what a table built in a cell declares beyond its values: each column's
// unit and dtype (when given, e.g. float32), and the table's meta.
type colInfo struct {
	units  map[string]string
	dtypes map[string]string
	meta   map[string]any
	qtable bool // a QTable: columns with units are Quantities
}

func newColInfo() *colInfo {
	return &colInfo{units: map[string]string{}, dtypes: map[string]string{}, meta: map[string]any{}}
}

// columnCache holds the source's columns read so far (all source rows).
type columnCache struct {
	mu   sync.Mutex
	cols map[string][]any
}

// New makes a table over src.
func New(src Source) *Table {
	return &Table{src: src, names: slices.Clone(src.Names()), cache: &columnCache{cols: map[string][]any{}}, info: newColInfo()}
}

// FromColumns makes an in-memory table of the given columns (equal lengths).
func FromColumns(names []string, values [][]any) *Table {
	return New(&memSource{names: names, values: values})
}

// Len is the number of rows.
func (t *Table) Len() int {
	if t.rows != nil {
		return len(t.rows)
	}
	return t.src.Rows()
}

// ColNames lists the column names in order.
func (t *Table) ColNames() []string { return slices.Clone(t.names) }

// columns gives the values of the named columns for the table's rows, reading those
// not read before in one call to the source.
func (t *Table) columns(ctx context.Context, names []string) ([][]any, error) {
	t.cache.mu.Lock()
	defer t.cache.mu.Unlock()
	var missing []string
	for _, n := range names {
		if _, ok := t.cache.cols[n]; !ok && !slices.Contains(missing, n) {
			missing = append(missing, n)
		}
	}
	if len(missing) > 0 {
		vals, err := t.src.Columns(ctx, missing)
		if err != nil {
			return nil, err
		}
		for i, n := range missing {
			t.cache.cols[n] = vals[i]
		}
	}
	out := make([][]any, len(names))
	for i, n := range names {
		all := t.cache.cols[n]
		if t.rows == nil {
			out[i] = slices.Clone(all)
			continue
		}
		out[i] = make([]any, len(t.rows))
		for j, r := range t.rows {
			out[i][j] = all[r]
		}
	}
	return out, nil
}

// view is the table of the given source rows and column names, sharing the cache.
func (t *Table) view(rows []int, names []string) *Table {
	return &Table{FoldCase: t.FoldCase, src: t.src, names: names, rows: rows, cache: t.cache, info: t.info}
}

// sourceRows lists the table's rows as source row numbers.
func (t *Table) sourceRows() []int {
	if t.rows != nil {
		return t.rows
	}
	out := make([]int, t.src.Rows())
	for i := range out {
		out[i] = i
	}
	return out
}

// Column gives one column, or a KeyError naming the closest column.
func (t *Table) Column(ctx context.Context, name string) (*Column, error) {
	if up := strings.ToUpper(name); t.FoldCase && !slices.Contains(t.names, name) && slices.Contains(t.names, up) {
		name = up
	}
	if !slices.Contains(t.names, name) {
		e := obj.Errorf("KeyError", "'%s'", name)
		if c := obj.Closest(name, t.names); c != "" {
			e.Hint = fmt.Sprintf("did you mean '%s'?", c)
		}
		return nil, e
	}
	vals, err := t.columns(ctx, []string{name})
	if err != nil {
		return nil, err
	}
	return &Column{Name: name, Values: vals[0], DType: t.dtype(name), Unit: t.info.units[name]}, nil
}

// dtype is the numpy type name of a column read before: that of all the source's rows,
// which a slice or a row of the table keeps.
func (t *Table) dtype(name string) string {
	if dt := t.info.dtypes[name]; dt != "" {
		return dt
	}
	t.cache.mu.Lock()
	defer t.cache.mu.Unlock()
	return dtype(t.cache.cols[name])
}

// GetItem is t['NAME'] (a Column), t['A', 'B'] (a table of those columns), t[i] (a
// Row) and t[a:b:c] (a table of those rows), as astropy's Table.
func (t *Table) GetItem(env *obj.Env, key any) (any, error) {
	switch k := key.(type) {
	case string:
		return t.columnValue(env, k)
	case obj.Tuple:
		return t.selectColumns(k)
	case obj.List:
		return t.selectColumns(k)
	case int:
		n := t.Len()
		i := k
		if i < 0 {
			i += n
		}
		if i < 0 || i >= n {
			return nil, obj.Errorf(obj.IndexError, "index %d out of range for a table of %d rows", k, n)
		}
		return &Row{t: t.view([]int{t.sourceRows()[i]}, t.names), index: i}, nil
	case obj.Slice:
		start, stop, step, err := k.Indices(t.Len())
		if err != nil {
			return nil, err
		}
		rows := t.sourceRows()
		var sel []int
		for i := start; (step > 0 && i < stop) || (step < 0 && i > stop); i += step {
			sel = append(sel, rows[i])
		}
		if sel == nil {
			sel = []int{}
		}
		return t.view(sel, t.names), nil
	}
	return nil, obj.Errorf(obj.TypeError, "a table takes a column name, a tuple of names, a row index or a slice, not %s", obj.TypeName(key))
}

// selectColumns is t['A', 'B']: a table of those columns.
func (t *Table) selectColumns(keys []any) (*Table, error) {
	var names []string
	for _, v := range keys {
		s, ok := v.(string)
		if !ok {
			return nil, obj.Errorf(obj.TypeError, "column names are strings, not %s", obj.TypeName(v))
		}
		if !slices.Contains(t.names, s) {
			return nil, obj.Errorf("KeyError", "'%s'", s)
		}
		names = append(names, s)
	}
	return t.view(t.sourceRows(), names), nil
}

// Sort orders the rows by the named columns (stable, None first), in place, as astropy's
// Table.sort.
func (t *Table) Sort(ctx context.Context, keys []string) error {
	for _, k := range keys {
		if !slices.Contains(t.names, k) {
			return obj.Errorf("KeyError", "'%s'", k)
		}
	}
	cols, err := t.columns(ctx, keys)
	if err != nil {
		return err
	}
	rows := t.sourceRows()
	order := make([]int, len(rows))
	for i := range order {
		order[i] = i
	}
	var cmpErr error
	sort.SliceStable(order, func(a, b int) bool {
		for _, c := range cols {
			d, err := compare(c[order[a]], c[order[b]])
			if err != nil && cmpErr == nil {
				cmpErr = err
			}
			if d != 0 {
				return d < 0
			}
		}
		return false
	})
	if cmpErr != nil {
		return cmpErr
	}
	sorted := make([]int, len(rows))
	for i, o := range order {
		sorted[i] = rows[o]
	}
	t.rows = sorted
	return nil
}

// compare orders two cell values: numbers by value, strings by text, None first.
func compare(a, b any) (int, error) {
	switch {
	case a == nil && b == nil:
		return 0, nil
	case a == nil:
		return -1, nil
	case b == nil:
		return 1, nil
	}
	if x, ok := obj.Float(a); ok {
		if y, ok := obj.Float(b); ok {
			switch {
			case x < y:
				return -1, nil
			case x > y:
				return 1, nil
			}
			return 0, nil
		}
	}
	if x, ok := a.(string); ok {
		if y, ok := b.(string); ok {
			return strings.Compare(x, y), nil
		}
	}
	return 0, obj.Errorf(obj.TypeError, "cannot sort %s and %s values together", obj.TypeName(a), obj.TypeName(b))
}

// dtype is numpy's name for a column of these values, as astropy shows it.
func dtype(values []any) string {
	kind := ""
	width := 1
	for _, v := range values {
		var k string
		switch x := v.(type) {
		case bool:
			k = "bool"
		case int:
			k = "int64"
		case float64:
			k = "float64"
		case string:
			k = "str"
			width = max(width, utf8.RuneCountInString(x))
		default:
			return "object"
		}
		switch {
		case kind == "" || kind == k:
			kind = k
		case (kind == "int64" && k == "float64") || (kind == "float64" && k == "int64"):
			kind = "float64"
		default:
			return "object"
		}
	}
	switch kind {
	case "":
		return "float64"
	case "str":
		return fmt.Sprintf("str%d", width)
	}
	return kind
}

// cellText is a value as astropy prints it in a table.
func cellText(v any, dt string) string {
	switch x := v.(type) {
	case nil:
		return "None"
	case bool:
		if x {
			return "True"
		}
		return "False"
	case int:
		if dt == "float64" {
			return pyfmt.Float(float64(x))
		}
		return fmt.Sprint(x)
	case float64:
		if dt == "float32" {
			return pyfmt.Float32(float32(x))
		}
		return pyfmt.Float(x)
	case string:
		return x
	}
	return fmt.Sprint(v)
}

// memSource is an in-memory table's columns.
type memSource struct {
	names  []string
	values [][]any
}

func (m *memSource) Names() []string { return m.names }
func (m *memSource) Rows() int {
	if len(m.values) == 0 {
		return 0
	}
	return len(m.values[0])
}
func (m *memSource) Columns(_ context.Context, names []string) ([][]any, error) {
	out := make([][]any, len(names))
	for i, n := range names {
		out[i] = m.values[slices.Index(m.names, n)]
	}
	return out, nil
}
