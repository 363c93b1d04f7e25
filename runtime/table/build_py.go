package table

// The members that change a table (add_column, add_row), its meta, and the Column class.

import (
	"errors"
	"fmt"
	"slices"

	"gokist/obj"
)

func buildMembers() []*obj.Member {
	return []*obj.Member{
		{Name: "__len__", Signature: "__len__()", Doc: "The number of rows (len(t)).",
			Call: func(_ *obj.Env, r any, _ obj.Args) (any, error) { return r.(*Table).Len(), nil }},
		method1("remove_column", "remove_column(name)", "Remove a column.", func(env *obj.Env, t *Table, v any) error {
			return t.removeColumns(env, obj.List{v}, `column "%s" does not exist`)
		}),
		method1("remove_columns", "remove_columns(names)", "Remove columns (a name or a list of names).", func(env *obj.Env, t *Table, v any) error {
			if s, ok := v.(string); ok {
				v = obj.List{s}
			}
			return t.removeColumns(env, asItems(v), `column "%s" does not exist`)
		}),
		{Name: "rename_column", Signature: "rename_column(name, new_name)", Doc: "Rename a column.",
			Params: []obj.Param{{Name: "name"}, {Name: "new_name"}},
			Call: func(env *obj.Env, r any, a obj.Args) (any, error) {
				v, err := a.Bind("rename_column", []obj.Param{{Name: "name"}, {Name: "new_name"}})
				if err != nil {
					return nil, err
				}
				return nil, r.(*Table).renameColumn(env, v[0], v[1])
			}},
		{Name: "meta", Signature: "meta", Doc: "The table's metadata (a dict).",
			Get: func(_ *obj.Env, r any) (any, error) { return r.(*Table).info.meta, nil }},
		{Name: "add_column", Signature: "add_column(col, index=None, name=None)",
			Doc:    "Add a column (a list, array, Column or Quantity) at the end, or before column index; its name is name=, the Column's own, or colN.",
			Params: []obj.Param{{Name: "col"}, {Name: "index", Default: "None"}, {Name: "name", Default: "None"}},
			Call: func(env *obj.Env, r any, a obj.Args) (any, error) {
				v, err := a.Bind("add_column", []obj.Param{{Name: "col"}, {Name: "index", Default: "None"}, {Name: "name", Default: "None"}})
				if err != nil {
					return nil, err
				}
				return nil, r.(*Table).addColumn(env, v[0], v[1], v[2])
			}},
		{Name: "add_row", Signature: "add_row(vals=None)",
			Doc:    "Add a row at the end: values in column order (a list or tuple) or by name (a dict).",
			Params: []obj.Param{{Name: "vals", Default: "None"}},
			Call: func(env *obj.Env, r any, a obj.Args) (any, error) {
				v, err := a.Bind("add_row", []obj.Param{{Name: "vals", Default: "None"}})
				if err != nil {
					return nil, err
				}
				return nil, r.(*Table).addRow(env, v[0])
			}},
	}
}

// addColumn is t.add_column(col, index=, name=).
func (t *Table) addColumn(env *obj.Env, col, index, name any) error {
	vals, unit, err := columnValues(env, col)
	if err != nil {
		return err
	}
	n := fmt.Sprintf("col%d", len(t.names))
	if c, ok := col.(*Column); ok {
		n = c.Name
	}
	if s, ok := name.(string); ok {
		n = s
	} else if name != nil {
		return obj.Errorf(obj.TypeError, "add_column(): name must be a string, not %s", obj.TypeName(name))
	}
	if slices.Contains(t.names, n) {
		return obj.Errorf(obj.ValueError, "Cannot replace column '%s'.  Use Table.replace_column() instead.", n)
	}
	if err := t.setColumn(env.Context(), n, vals, unit); err != nil {
		return err
	}
	if index == nil {
		return nil
	}
	i, ok := index.(int)
	if !ok {
		return obj.Errorf(obj.TypeError, "add_column(): index must be an int, not %s", obj.TypeName(index))
	}
	i = min(max(i, 0), len(t.names)-1)
	m := t.src.(*memSource)
	last := len(t.names) - 1
	t.names = slices.Insert(t.names[:last], i, n)
	v := m.values[last]
	m.names = slices.Insert(m.names[:last], i, n)
	m.values = slices.Insert(m.values[:last], i, v)
	return nil
}

// addRow is t.add_row(vals): each value cast to its column's dtype.
func (t *Table) addRow(env *obj.Env, vals any) error {
	m, err := t.owned(env.Context())
	if err != nil {
		return err
	}
	row := make([]any, len(t.names))
	dts := make([]string, len(t.names))
	for i, n := range t.names {
		if dts[i] = t.info.dtypes[n]; dts[i] == "" {
			dts[i] = dtype(m.values[i])
		}
	}
	switch v := vals.(type) {
	case nil:
		for i := range row {
			row[i] = zeroOf(dts[i])
		}
	case map[string]any:
		for k := range v {
			if !slices.Contains(t.names, k) {
				return obj.Errorf(obj.ValueError, "Keys in vals must all be valid column names")
			}
		}
		for i, n := range t.names {
			x, ok := v[n]
			if !ok {
				x = zeroOf(dts[i])
			}
			row[i] = x
		}
	default:
		items := asItems(vals)
		if items == nil {
			return obj.Errorf(obj.TypeError, "Vals must be an iterable or mapping or None")
		}
		if len(items) != len(t.names) {
			return obj.Errorf(obj.ValueError, "Mismatch between number of vals and columns")
		}
		copy(row, items)
	}
	for i, x := range row {
		x, err := t.cellWithUnit(env, x, t.info.units[t.names[i]])
		if err != nil {
			msg := err.Error()
			var e *obj.Error
			if errors.As(err, &e) {
				msg = e.Msg
			}
			return obj.Errorf(obj.ValueError, "Unable to insert row because of exception in column '%s':\n%s", t.names[i], msg)
		}
		c, err := cell(x)
		if err != nil {
			return obj.Errorf(obj.TypeError, "add_row(): column '%s': %v", t.names[i], err)
		}
		if dt := dts[i]; len(m.values[i]) > 0 && dt != "object" {
			if c, err = castCell(c, dtypeKind(dt)); err != nil {
				return obj.Errorf(obj.ValueError, "add_row(): column '%s': %v", t.names[i], err)
			}
		}
		row[i] = c
	}
	for i := range row {
		m.values[i] = append(m.values[i], row[i])
		delete(t.cache.cols, t.names[i])
	}
	return nil
}

// dtypeKind is castCell's name of a dtype ("str" for str5).
func dtypeKind(dt string) string {
	if len(dt) > 3 && dt[:3] == "str" {
		return "str"
	}
	return dt
}

// zeroOf is the value a row gets where none is given (numpy's zero of the dtype).
func zeroOf(dt string) any {
	switch dtypeKind(dt) {
	case "int64":
		return 0
	case "str":
		return ""
	case "bool":
		return false
	}
	return 0.0
}

// columnClass is astropy.table.Column, the class: Column(data, name=None, unit=None).
type columnClass struct{}

var columnClassType = &obj.Type{Name: "type", Doc: "Column(data=None, name=None, dtype=None, unit=None): a named column for a Table."}

func (columnClass) Type() *obj.Type { return columnClassType }

func (columnClass) MimeBundle() map[string]any {
	return map[string]any{"text/plain": "<class 'astropy.table.column.Column'>"}
}

// Call is Column(data, name=, dtype=, unit=).
func (columnClass) Call(env *obj.Env, args obj.Args) (any, error) {
	params := []obj.Param{{Name: "data", Default: "None"}, {Name: "name", Default: "None"}, {Name: "dtype", Default: "None"}, {Name: "shape", Default: "()"}, {Name: "length", Default: "0"}, {Name: "description", Default: "None"}, {Name: "unit", Default: "None"}}
	v, err := args.Bind("Column", params)
	if err != nil {
		return nil, err
	}
	c := &Column{Values: []any{}}
	if v[0] != nil {
		if c.Values, c.Unit, err = columnValues(env, v[0]); err != nil {
			return nil, err
		}
	}
	if s, ok := v[1].(string); ok {
		c.Name = s
	}
	if v[2] != nil {
		dt, err := dtypeName(v[2])
		if err != nil {
			return nil, err
		}
		for i, x := range c.Values {
			if c.Values[i], err = castCell(x, dt); err != nil {
				return nil, obj.Errorf(obj.ValueError, "row %d: %v", i, err)
			}
		}
		if dt == "float32" {
			c.DType = dt
		}
	}
	if d, ok := v[5].(string); ok {
		c.Description = d
	} else if v[5] != nil {
		return nil, obj.Errorf(obj.TypeError, "Column(description=) takes a string, not %s", obj.TypeName(v[5]))
	}
	if v[6] != nil {
		c.Unit = unitString(v[6])
	}
	return c, nil
}

// method1 makes a one-argument method of a table.
func method1(name, sig, doc string, f func(env *obj.Env, t *Table, v any) error) *obj.Member {
	params := []obj.Param{{Name: "name"}}
	return &obj.Member{Name: name, Signature: sig, Doc: doc, Params: params,
		Call: func(env *obj.Env, r any, a obj.Args) (any, error) {
			v, err := a.Bind(name, params)
			if err != nil {
				return nil, err
			}
			return nil, f(env, r.(*Table), v[0])
		}}
}

// removeColumns is remove_column(s): every name must exist (a KeyError otherwise).
func (t *Table) removeColumns(env *obj.Env, names []any, missing string) error {
	var drop []string
	for _, v := range names {
		s, ok := v.(string)
		if !ok {
			return obj.Errorf(obj.TypeError, "column names are strings, not %s", obj.TypeName(v))
		}
		if !slices.Contains(t.names, s) {
			return obj.Errorf("KeyError", "'"+missing+"'", s)
		}
		drop = append(drop, s)
	}
	m, err := t.owned(env.Context())
	if err != nil {
		return err
	}
	for _, s := range drop {
		i := slices.Index(m.names, s)
		m.names = slices.Delete(m.names, i, i+1)
		m.values = slices.Delete(m.values, i, i+1)
		t.names = slices.DeleteFunc(t.names, func(n string) bool { return n == s })
		delete(t.cache.cols, s)
		delete(t.info.units, s)
		delete(t.info.dtypes, s)
	}
	return nil
}

// renameColumn is rename_column(name, new_name).
func (t *Table) renameColumn(env *obj.Env, from, to any) error {
	a, ok1 := from.(string)
	b, ok2 := to.(string)
	if !ok1 || !ok2 {
		return obj.Errorf(obj.TypeError, "rename_column(): names are strings")
	}
	if !slices.Contains(t.names, a) {
		return obj.Errorf("KeyError", "'Column %s does not exist'", a)
	}
	if a == b {
		return nil
	}
	if slices.Contains(t.names, b) {
		return obj.Errorf("KeyError", "'Column %s already exists'", b)
	}
	m, err := t.owned(env.Context())
	if err != nil {
		return err
	}
	m.names[slices.Index(m.names, a)] = b
	t.names[slices.Index(t.names, a)] = b
	t.cache.cols = map[string][]any{}
	for _, mp := range []map[string]string{t.info.units, t.info.dtypes} {
		if v, ok := mp[a]; ok {
			mp[b] = v
			delete(mp, a)
		}
	}
	return nil
}
