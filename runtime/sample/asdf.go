package sample

// This file writes ASDF files (the ASDF 1.0.0 file format, standard 1.5.0): a YAML tree
// of tagged nodes followed by binary blocks, as Python's asdf library writes them, so
// that asdf, asdf-astropy, gwcs and dkist read what gokist writes. It knows the node
// shapes the samples need (quantities, units, times, ndarrays, astropy tables); what the
// tree means is the caller's.

import (
	"bytes"
	"crypto/md5"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// asdfDoc is an ASDF file being built: its tree's root mapping and its binary blocks.
type asdfDoc struct {
	root   *yaml.Node
	blocks [][]byte
}

func newASDFDoc() *asdfDoc {
	d := &asdfDoc{root: &yaml.Node{Kind: yaml.MappingNode, Tag: "!core/asdf-1.1.0"}}
	d.root.Content = append(d.root.Content,
		str("asdf_library"), flowMapping("!core/software-1.0.0",
			"author", str("gokist"), "name", str("gokist"), "version", str(fmt.Sprint(GeneratorVersion))))
	return d
}

// set adds key: v to the root mapping.
func (d *asdfDoc) set(key string, v *yaml.Node) {
	d.root.Content = append(d.root.Content, str(key), v)
}

// writeTo writes the file: the header lines, the tree, the document end and the blocks.
func (d *asdfDoc) writeTo(w io.Writer) error {
	var buf bytes.Buffer
	buf.WriteString("#ASDF 1.0.0\n#ASDF_STANDARD 1.5.0\n%YAML 1.1\n%TAG ! tag:stsci.edu:asdf/\n--- ")
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(d.root); err != nil {
		return fmt.Errorf("asdf tree: %w", err)
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("asdf tree: %w", err)
	}
	buf.WriteString("...\n")
	for _, b := range d.blocks {
		writeBlock(&buf, b)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// writeBlock appends one uncompressed ASDF block: magic, header size, then the header
// (flags, compression, allocated, used and data sizes, MD5 checksum), big-endian.
func writeBlock(buf *bytes.Buffer, data []byte) {
	buf.WriteString("\xd3BLK")
	var h [2 + 48]byte
	binary.BigEndian.PutUint16(h[0:], 48)
	n := uint64(len(data))
	binary.BigEndian.PutUint64(h[2+8:], n)
	binary.BigEndian.PutUint64(h[2+16:], n)
	binary.BigEndian.PutUint64(h[2+24:], n)
	sum := md5.Sum(data)
	copy(h[2+32:], sum[:])
	buf.Write(h[:])
	buf.Write(data)
}

// str is a string scalar, quoted when YAML would read it as another type.
func str(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }

// integer is an int scalar.
func integer(v int) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.Itoa(v)}
}

// boolean is a bool scalar.
func boolean(v bool) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(v)}
}

// float is a float scalar as YAML 1.1 (PyYAML) reads one: a mantissa with a point and a
// signed exponent, .nan, .inf.
func float(v float64) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!float", Value: yamlFloat(v)}
}

func yamlFloat(v float64) string {
	switch {
	case math.IsNaN(v):
		return ".nan"
	case math.IsInf(v, 1):
		return ".inf"
	case math.IsInf(v, -1):
		return "-.inf"
	}
	s := strconv.FormatFloat(v, 'g', -1, 64)
	mant, exp, hasExp := strings.Cut(s, "e")
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	if hasExp {
		return mant + "e" + exp
	}
	return mant
}

// tagged is a scalar with a tag, such as "!unit/unit-1.0.0 nm".
func tagged(tag, value string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: value, Style: yaml.FlowStyle}
}

// unit is an astropy unit node; "" is dimensionless.
func unit(u string) *yaml.Node { return tagged("!unit/unit-1.0.0", u) }

// timeNode is an astropy Time node in ISO format (UTC).
func timeNode(iso string) *yaml.Node { return tagged("!time/time-1.1.0", iso) }

// quantity is a scalar astropy Quantity node.
func quantity(v float64, u string) *yaml.Node {
	return flowMapping("!unit/quantity-1.1.0", "unit", unit(u), "value", float(v))
}

// arrayQuantity is an astropy Quantity node of an array (written inline).
func arrayQuantity(values []float64, shape []int, u string) *yaml.Node {
	return mapping("!unit/quantity-1.1.0", "unit", unit(u), "value", inlineArray(values, shape))
}

// mapping is a block mapping with a tag ("" for none) of key, value pairs; values are
// nodes.
func mapping(tag string, kv ...any) *yaml.Node {
	n := &yaml.Node{Kind: yaml.MappingNode, Tag: tag}
	for i := 0; i+1 < len(kv); i += 2 {
		n.Content = append(n.Content, str(kv[i].(string)), kv[i+1].(*yaml.Node))
	}
	return n
}

// flowMapping is mapping in flow style ({a: 1, b: 2}).
func flowMapping(tag string, kv ...any) *yaml.Node {
	n := mapping(tag, kv...)
	n.Style = yaml.FlowStyle
	return n
}

// seq is a block sequence of nodes.
func seq(items ...*yaml.Node) *yaml.Node {
	return &yaml.Node{Kind: yaml.SequenceNode, Content: items}
}

// flowSeq is a sequence in flow style ([a, b]).
func flowSeq(items ...*yaml.Node) *yaml.Node {
	n := seq(items...)
	n.Style = yaml.FlowStyle
	return n
}

func strs(v ...string) *yaml.Node {
	out := make([]*yaml.Node, len(v))
	for i, s := range v {
		out[i] = str(s)
	}
	return flowSeq(out...)
}

func ints(v ...int) *yaml.Node {
	out := make([]*yaml.Node, len(v))
	for i, x := range v {
		out[i] = integer(x)
	}
	return flowSeq(out...)
}

func floats(v ...float64) *yaml.Node {
	out := make([]*yaml.Node, len(v))
	for i, x := range v {
		out[i] = float(x)
	}
	return flowSeq(out...)
}

// inlineArray is a float64 ndarray written in the tree (small arrays: model parameters).
func inlineArray(values []float64, shape []int) *yaml.Node {
	var data *yaml.Node
	if len(shape) == 2 {
		rows := make([]*yaml.Node, shape[0])
		for r := range rows {
			rows[r] = floats(values[r*shape[1] : (r+1)*shape[1]]...)
		}
		data = seq(rows...)
	} else {
		data = floats(values...)
	}
	return mapping("!core/ndarray-1.0.0", "data", data, "datatype", str("float64"), "shape", ints(shape...))
}

// blockArray stores raw as the document's next binary block and returns the ndarray
// node that refers to it.
func (d *asdfDoc) blockArray(raw []byte, datatype *yaml.Node, shape []int) *yaml.Node {
	d.blocks = append(d.blocks, raw)
	return flowMapping("!core/ndarray-1.0.0",
		"source", integer(len(d.blocks)-1), "datatype", datatype, "byteorder", str("little"), "shape", ints(shape...))
}

// column is one column of an astropy table: a name and one value per row, each a
// bool, int64, float64 or string.
type column struct {
	name   string
	values []any
}

// table is an astropy Table node whose columns are stored in binary blocks: bool8,
// int64, float64 or UCS-4 strings, whichever holds every value of the column (ints mixed
// with floats are float64; anything else mixed is written as text).
func (d *asdfDoc) table(cols []column) *yaml.Node {
	names := make([]string, len(cols))
	nodes := make([]*yaml.Node, len(cols))
	for i, c := range cols {
		names[i] = c.name
		raw, dt := columnBytes(c.values)
		nodes[i] = mapping("!core/column-1.0.0",
			"data", d.blockArray(raw, dt, []int{len(c.values)}), "name", str(c.name))
	}
	return mapping("tag:astropy.org:astropy/table/table-1.0.0",
		"colnames", strs(names...), "columns", seq(nodes...), "qtable", boolean(false))
}

// columnBytes encodes a column's values (little-endian) and gives its ASDF datatype.
func columnBytes(values []any) ([]byte, *yaml.Node) {
	kind := columnKind(values)
	var buf bytes.Buffer
	switch kind {
	case "bool8":
		for _, v := range values {
			if v.(bool) {
				buf.WriteByte(1)
			} else {
				buf.WriteByte(0)
			}
		}
	case "int64":
		for _, v := range values {
			binary.Write(&buf, binary.LittleEndian, v.(int64))
		}
	case "float64":
		for _, v := range values {
			f, _ := asFloat(v)
			binary.Write(&buf, binary.LittleEndian, f)
		}
	default:
		texts := make([]string, len(values))
		width := 1
		for i, v := range values {
			if s, ok := v.(string); ok {
				texts[i] = s
			} else {
				texts[i] = fmt.Sprint(v)
			}
			width = max(width, utf8.RuneCountInString(texts[i]))
		}
		for _, s := range texts {
			n := 0
			for _, r := range s {
				binary.Write(&buf, binary.LittleEndian, uint32(r))
				n++
			}
			buf.Write(make([]byte, 4*(width-n)))
		}
		return buf.Bytes(), flowSeq(str("ucs4"), integer(width))
	}
	return buf.Bytes(), str(kind)
}

// columnKind is the narrowest ASDF datatype that holds every value.
func columnKind(values []any) string {
	kind := ""
	for _, v := range values {
		var k string
		switch v.(type) {
		case bool:
			k = "bool8"
		case int64:
			k = "int64"
		case float64:
			k = "float64"
		default:
			return "ucs4"
		}
		switch {
		case kind == "" || kind == k:
			kind = k
		case (kind == "int64" && k == "float64") || (kind == "float64" && k == "int64"):
			kind = "float64"
		default:
			return "ucs4"
		}
	}
	if kind == "" {
		return "ucs4"
	}
	return kind
}

func asFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int64:
		return float64(x), true
	}
	return 0, false
}
