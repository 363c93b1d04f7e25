// Package table owns gokist's Table: astropy's Table as cells meet it (a DKIST dataset's
// headers, one row per file), with its Column and Row. A table has named columns of
// equal length, each holding strings, ints, floats, bools or None; columns can be read
// lazily from a Source (a dataset's FITS headers, read on first use), so a table of
// thousands of files reads only the columns a cell asks for or a repr shows.
//
// Python face: t['KEY'] is a Column (numbers that numpy and plots take as an array, with
// tolist(), len, iteration, indexing), t[i] a Row, t[a:b] and t['A', 'B'] tables;
// colnames, keys(), sort(key); reprs as astropy's (text and HTML).
//
// Cells build tables too, as the module astropy.table (construct.go, build_py.go,
// quantity.go): Table(data, names=, dtype=, meta=, rows=, units=), QTable, Column,
// t['new'] = values, add_column, add_row, remove_column(s), rename_column. Columns keep
// a unit (from a Quantity); a QTable's column with a unit is a Quantity, which the
// face runtime/astropy/units builds through Quantities (this package cannot import it:
// that face imports this one, table_units.go).
package table
