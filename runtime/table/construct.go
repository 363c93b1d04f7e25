package table

// This file builds tables in cells, as astropy.table: Table(data, names=, dtype=,
// meta=, rows=, units=), t['new'] = values, add_column, add_row; and registers the
// module astropy.table. Columns come from lists, tuples, Columns, Quantities (their
// unit kept, obj.QuantityValue) and arrays (through their tolist()).

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"gokist/obj"
)

func init() {
	obj.RegisterModule("astropy.table", func(obj.ModuleScope) (any, error) {
		return obj.NewModule("astropy.table", "Tables (astropy.table): Table, QTable and Column.", map[string]any{
			"Table":  tableClass{},
			"QTable": qtableClass{},
			"Column": columnClass{},
		}), nil
	})
}

// tableParams are Table()'s arguments gokist takes, in astropy's order.
var tableParams = []obj.Param{{Name: "data", Default: "None"}, {Name: "masked", Default: "False"}, {Name: "names", Default: "None"},
	{Name: "dtype", Default: "None"}, {Name: "meta", Default: "None"}, {Name: "copy", Default: "True"}, {Name: "rows", Default: "None"},
	{Name: "copy_indices", Default: "True"}, {Name: "units", Default: "None"}}

// tableClass is astropy.table.Table, the class: calling it builds a table.
type tableClass struct{}

var tableClassType = &obj.Type{Name: "type", Doc: "Table(data=None, names=None, dtype=None, meta=None, rows=None, units=None): a table from a dict of columns, a list of columns (with names=), rows=[...] (tuples or dicts), or empty; then t['name'] = values, add_column, add_row."}

func (tableClass) Type() *obj.Type { return tableClassType }

func (tableClass) MimeBundle() map[string]any {
	return map[string]any{"text/plain": "<class 'astropy.table.table.Table'>"}
}

// builtColumn is one column being built: its name, values and unit.
type builtColumn struct {
	name string
	vals []any
	unit string
}

// Call is Table(...).
func (tableClass) Call(env *obj.Env, args obj.Args) (any, error) {
	v, err := args.Bind("Table", tableParams)
	if err != nil {
		return nil, err
	}
	data, names, dtypes, meta, rows, units := v[0], v[2], v[3], v[4], v[6], v[8]
	if data != nil && rows != nil {
		return nil, obj.Errorf(obj.ValueError, "Cannot supply both `data` and `rows` values")
	}
	var cols []builtColumn
	if rows != nil {
		cols, err = columnsFromRows(env, rows)
	} else {
		cols, err = columnsFromData(env, data)
	}
	if err != nil {
		return nil, err
	}
	if cols, err = applyNames(cols, names, dtypes); err != nil {
		return nil, err
	}
	t, err := assemble(cols)
	if err != nil {
		return nil, err
	}
	if err := t.applyDTypes(dtypes); err != nil {
		return nil, err
	}
	if err := t.applyUnits(units); err != nil {
		return nil, err
	}
	if m, ok := meta.(map[string]any); ok {
		t.info.meta = m
	} else if meta != nil {
		return nil, obj.Errorf(obj.TypeError, "meta must be a dict, not %s", obj.TypeName(meta))
	}
	return t, nil
}

// columnsFromData reads data: a dict of columns, a list or tuple of columns, a Table, or
// None (an empty table).
func columnsFromData(env *obj.Env, data any) ([]builtColumn, error) {
	switch d := data.(type) {
	case nil:
		return nil, nil
	case map[string]any:
		var out []builtColumn
		for _, k := range obj.DictKeys(d) {
			vals, unit, err := columnValues(env, d[k])
			if err != nil {
				return nil, err
			}
			out = append(out, builtColumn{k, vals, unit})
		}
		return out, nil
	case *Table:
		var out []builtColumn
		for _, n := range d.names {
			c, err := d.Column(env.Context(), n)
			if err != nil {
				return nil, err
			}
			out = append(out, builtColumn{n, slices.Clone(c.Values), c.Unit})
		}
		return out, nil
	case obj.List, obj.Tuple:
		items := asItems(d)
		out := make([]builtColumn, len(items))
		for i, it := range items {
			vals, unit, err := columnValues(env, it)
			if err != nil {
				return nil, err
			}
			out[i] = builtColumn{fmt.Sprintf("col%d", i), vals, unit}
			if c, ok := it.(*Column); ok {
				out[i].name = c.Name
			}
		}
		return out, nil
	}
	return nil, obj.Errorf(obj.ValueError, "Data type %s not allowed to init Table", obj.TypeName(data))
}

func asItems(v any) []any {
	switch x := v.(type) {
	case obj.List:
		return x
	case obj.Tuple:
		return x
	case []any:
		return x
	}
	return nil
}

// columnsFromRows transposes rows: tuples or lists in column order, or dicts by name.
func columnsFromRows(env *obj.Env, rows any) ([]builtColumn, error) {
	items := asItems(rows)
	if items == nil {
		return nil, obj.Errorf(obj.TypeError, "rows must be a list of rows, not %s", obj.TypeName(rows))
	}
	if len(items) == 0 {
		return nil, nil
	}
	if first, ok := items[0].(map[string]any); ok {
		keys := obj.DictKeys(first)
		cols := make([]builtColumn, len(keys))
		for i, k := range keys {
			cols[i].name = k
		}
		for r, row := range items {
			m, ok := row.(map[string]any)
			if !ok || len(m) != len(keys) {
				return nil, obj.Errorf(obj.ValueError, "Row %d has keys %s, expected %s", r, pyStrings(obj.DictKeys(asMap(row))), pyStrings(keys))
			}
			for i, k := range keys {
				v, ok := m[k]
				if !ok {
					return nil, obj.Errorf(obj.ValueError, "Row %d has keys %s, expected %s", r, pyStrings(obj.DictKeys(m)), pyStrings(keys))
				}
				cols[i].vals = append(cols[i].vals, v)
			}
		}
		return checkCells(cols)
	}
	n := len(asItems(items[0]))
	cols := make([]builtColumn, n)
	for i := range cols {
		cols[i].name = fmt.Sprintf("col%d", i)
	}
	for _, row := range items {
		cells := asItems(row)
		if cells == nil || len(cells) != n {
			return nil, obj.Errorf(obj.ValueError, "Arguments \"names\" and \"dtype\" must match number of columns")
		}
		for i, c := range cells {
			cols[i].vals = append(cols[i].vals, c)
		}
	}
	return checkCells(cols)
}

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func pyStrings(s []string) string {
	q := make([]string, len(s))
	for i, v := range s {
		q[i] = "'" + v + "'"
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// checkCells refuses cells that are not scalars.
func checkCells(cols []builtColumn) ([]builtColumn, error) {
	for i := range cols {
		for j, v := range cols[i].vals {
			c, err := cell(v)
			if err != nil {
				return nil, obj.Errorf(obj.TypeError, "column '%s', row %d: %v", cols[i].name, j, err)
			}
			cols[i].vals[j] = c
		}
	}
	return cols, nil
}

// cell is one table cell: a string, int, float64, bool or None.
func cell(v any) (any, error) {
	switch x := v.(type) {
	case nil, string, int, float64, bool:
		return x, nil
	case float32:
		return float64(x), nil
	}
	return nil, fmt.Errorf("a cell holds a number, string, bool or None, not %s (gokist's tables have no multidimensional or object columns)", obj.TypeName(v))
}

// columnValues reads one column's data: a list or tuple of scalars, a Column, a value
// with a unit (obj.QuantityValue) or an array (through tolist()).
func columnValues(env *obj.Env, v any) ([]any, string, error) {
	switch x := v.(type) {
	case *Column:
		return slices.Clone(x.Values), x.Unit, nil
	case obj.QuantityValue:
		val, unit := x.QuantityParts()
		vals, _, err := columnValues(env, val)
		return vals, unit, err
	case obj.List, obj.Tuple:
		items := asItems(x)
		out := make([]any, len(items))
		for i, it := range items {
			c, err := cell(it)
			if err != nil {
				return nil, "", obj.Errorf(obj.TypeError, "row %d: %v", i, err)
			}
			out[i] = c
		}
		return out, "", nil
	case int, float64, float32, bool, string:
		c, _ := cell(x)
		return []any{c}, "", nil
	}
	if o, ok := v.(obj.Object); ok {
		if m := o.Type().Member("tolist"); m != nil && m.Call != nil {
			l, err := m.Call(env, v, obj.Args{})
			if err != nil {
				return nil, "", err
			}
			if _, isList := l.(obj.List); isList {
				return columnValues(env, l)
			}
			return columnValues(env, obj.List{l})
		}
	}
	return nil, "", obj.Errorf(obj.TypeError, "a column is a list, tuple, array, Column or Quantity, not %s", obj.TypeName(v))
}

// applyNames names the columns from names= (which must match their number; with no
// data it makes empty columns, as Table(names=..., dtype=...)).
func applyNames(cols []builtColumn, names, dtypes any) ([]builtColumn, error) {
	if names == nil {
		return cols, nil
	}
	items := asItems(names)
	if items == nil {
		return nil, obj.Errorf(obj.TypeError, "names must be a list or tuple of strings, not %s", obj.TypeName(names))
	}
	if cols == nil {
		cols = make([]builtColumn, len(items))
		for i := range cols {
			cols[i].vals = []any{}
		}
	}
	if len(items) != len(cols) || (dtypes != nil && len(asItems(dtypes)) != len(cols)) {
		return nil, obj.Errorf(obj.ValueError, "Arguments \"names\" and \"dtype\" must match number of columns")
	}
	for i, n := range items {
		switch s := n.(type) {
		case string:
			cols[i].name = s
		case nil:
		default:
			return nil, obj.Errorf(obj.TypeError, "column names are strings, not %s", obj.TypeName(n))
		}
	}
	return cols, nil
}

// assemble checks lengths and names and makes the table.
func assemble(cols []builtColumn) (*Table, error) {
	lengths := map[int]bool{}
	seen := map[string]bool{}
	names := make([]string, len(cols))
	values := make([][]any, len(cols))
	for i, c := range cols {
		lengths[len(c.vals)] = true
		if seen[c.name] {
			return nil, obj.Errorf(obj.ValueError, "Duplicate column names")
		}
		seen[c.name] = true
		names[i], values[i] = c.name, c.vals
	}
	if len(lengths) > 1 {
		var ls []int
		for l := range lengths {
			ls = append(ls, l)
		}
		sort.Ints(ls)
		parts := make([]string, len(ls))
		for i, l := range ls {
			parts[i] = fmt.Sprint(l)
		}
		return nil, obj.Errorf(obj.ValueError, "Inconsistent data column lengths: {%s}", strings.Join(parts, ", "))
	}
	t := FromColumns(names, values)
	for _, c := range cols {
		if c.unit != "" {
			t.info.units[c.name] = c.unit
		}
	}
	return t, nil
}

// dtypeName reads one dtype: a numpy name or code ('f4', 'float32', 'i8', 'U'), or the
// builtins float, int, str, bool.
func dtypeName(v any) (string, error) {
	name := ""
	switch x := v.(type) {
	case string:
		name = x
	case *obj.Func:
		name = x.Name
	default:
		if o, ok := v.(obj.Object); ok {
			name = strings.TrimPrefix(o.Type().Name, "numpy.")
			if f, ok := v.(interface{ MimeBundle() map[string]any }); ok {
				if s, _ := f.MimeBundle()["text/plain"].(string); s != "" {
					name = strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(s, "<class 'numpy."), "dtype('"), "'>")
					name = strings.TrimSuffix(name, "')")
				}
			}
		}
	}
	switch name {
	case "f8", "float64", "float", "d", "<f8":
		return "float64", nil
	case "f4", "float32", "<f4":
		return "float32", nil
	case "i8", "int64", "int", "<i8":
		return "int64", nil
	case "str", "U", "S":
		return "str", nil
	case "bool", "?", "b1":
		return "bool", nil
	}
	return "", obj.Errorf(obj.TypeError, "data type %s not understood (gokist's tables take float64, float32, int64, str and bool)", pyRepr(v))
}

func pyRepr(v any) string {
	if s, ok := v.(string); ok {
		return "'" + s + "'"
	}
	return obj.TypeName(v)
}

// applyDTypes converts each column to its dtype= entry, as numpy's astype.
func (t *Table) applyDTypes(dtypes any) error {
	if dtypes == nil {
		return nil
	}
	items := asItems(dtypes)
	if len(items) != len(t.names) {
		return obj.Errorf(obj.ValueError, "Arguments \"names\" and \"dtype\" must match number of columns")
	}
	mem := t.src.(*memSource)
	for i, d := range items {
		dt, err := dtypeName(d)
		if err != nil {
			return err
		}
		for j, v := range mem.values[i] {
			c, err := castCell(v, dt)
			if err != nil {
				return obj.Errorf(obj.ValueError, "column '%s', row %d: %v", t.names[i], j, err)
			}
			mem.values[i][j] = c
		}
		if dt == "float32" {
			t.info.dtypes[t.names[i]] = dt
		}
	}
	return nil
}

// castCell converts one value to a dtype as numpy's astype does (floats to ints toward
// zero, numbers to their text for str).
func castCell(v any, dt string) (any, error) {
	f, isNum := obj.Float(v)
	switch dt {
	case "float64", "float32":
		if s, ok := v.(string); ok {
			return nil, fmt.Errorf("could not convert string to float: '%s'", s)
		}
		if isNum {
			if dt == "float32" {
				return float64(float32(f)), nil
			}
			return f, nil
		}
	case "int64":
		if isNum {
			if math.IsNaN(f) || math.IsInf(f, 0) {
				return nil, fmt.Errorf("cannot convert float %s to integer", cellText(v, ""))
			}
			return int(f), nil
		}
		if s, ok := v.(string); ok {
			return nil, fmt.Errorf("invalid literal for int() with base 10: '%s'", s)
		}
	case "str":
		return cellText(v, ""), nil
	case "bool":
		if isNum {
			return f != 0, nil
		}
		if s, ok := v.(string); ok {
			return s != "", nil
		}
	}
	return v, nil
}

// applyUnits sets units= (a dict by name or a list in column order).
func (t *Table) applyUnits(units any) error {
	switch u := units.(type) {
	case nil:
		return nil
	case map[string]any:
		for k, v := range u {
			if !slices.Contains(t.names, k) {
				return obj.Errorf(obj.ValueError, "units: there is no column '%s'", k)
			}
			t.info.units[k] = unitString(v)
		}
		return nil
	}
	items := asItems(units)
	if len(items) != len(t.names) {
		return obj.Errorf(obj.ValueError, "units must be a dict or a list of one unit per column")
	}
	for i, v := range items {
		t.info.units[t.names[i]] = unitString(v)
	}
	return nil
}

// unitString is a unit's text: a string as given, a unit object as it prints.
func unitString(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case fmt.Stringer:
		return x.String()
	}
	return fmt.Sprint(v)
}

// owned makes the table's columns its own in-memory ones (all rows in order), so that
// it can change without changing the tables it was sliced from or shares a source with.
func (t *Table) owned(ctx context.Context) (*memSource, error) {
	if m, ok := t.src.(*memSource); ok && t.rows == nil && len(m.names) == len(t.names) {
		return m, nil
	}
	vals, err := t.columns(ctx, t.names)
	if err != nil {
		return nil, err
	}
	m := &memSource{names: slices.Clone(t.names), values: vals}
	info := newColInfo()
	for k, v := range t.info.units {
		info.units[k] = v
	}
	for k, v := range t.info.dtypes {
		info.dtypes[k] = v
	}
	info.meta, info.qtable = t.info.meta, t.info.qtable
	t.src, t.rows, t.cache, t.info = m, nil, &columnCache{cols: map[string][]any{}}, info
	return m, nil
}

// setColumn adds or replaces the column name (at the end when new).
func (t *Table) setColumn(ctx context.Context, name string, vals []any, unit string) error {
	m, err := t.owned(ctx)
	if err != nil {
		return err
	}
	if len(t.names) > 0 && len(vals) != t.Len() {
		if len(vals) != 1 {
			return obj.Errorf(obj.ValueError, "Inconsistent data column lengths")
		}
		vals = slices.Repeat(vals, t.Len()) // a scalar fills the column, as numpy broadcasts it
	}
	if i := slices.Index(m.names, name); i >= 0 {
		m.values[i] = vals
	} else {
		m.names = append(m.names, name)
		m.values = append(m.values, vals)
		t.names = append(t.names, name)
	}
	delete(t.info.dtypes, name)
	delete(t.cache.cols, name)
	if unit != "" {
		t.info.units[name] = unit
	} else {
		delete(t.info.units, name)
	}
	return nil
}

// SetItem is t['name'] = values.
func (t *Table) SetItem(env *obj.Env, key, value any) error {
	name, ok := key.(string)
	if !ok {
		return obj.Errorf(obj.TypeError, "gokist's tables set whole columns by name (t['name'] = values), not by %s", obj.TypeName(key))
	}
	vals, unit, err := columnValues(env, value)
	if err != nil {
		return err
	}
	return t.setColumn(env.Context(), name, vals, unit)
}
