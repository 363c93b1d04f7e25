package asdf

import (
	"bytes"
	"compress/bzip2"
	"compress/gzip"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"time"

	"gokist/runtime/wcs/fitswcs"
	"gokist/runtime/wcs/wcsunit"
	"gopkg.in/yaml.v3"
)

// blockMagic starts every ASDF binary block.
var blockMagic = []byte("\xd3BLK")

// File is a parsed ASDF file: its YAML tree and its binary blocks (read lazily).
type File struct {
	path   string
	root   *yaml.Node
	raw    []byte
	blocks []int // offsets of the block magics, in order
}

// maxBytes is the most bytes of an ASDF file (decompressed) Read reads: a real
// DKIST index is tens of MB, and a small .asdf.gz could otherwise inflate to fill the
// memory.
var maxBytes int64 = 512 << 20

// Read reads an ASDF file (gzip-compressed when its name ends in .gz): the YAML tree
// up to the first binary block, and the offsets of the blocks after it. Only a regular
// file is read (opening a named pipe would block for ever), of at most maxBytes.
func Read(path string) (*File, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file (mode %s)", path, st.Mode())
	}
	if st.Size() > maxBytes {
		return nil, fmt.Errorf("%s: %d bytes, more than %d MiB, the most read of an ASDF file", path, st.Size(), maxBytes>>20)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, raw)
}

// Parse is Read on the file's bytes; path names the file in errors.
func Parse(path string, raw []byte) (*File, error) {
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		raw, err = io.ReadAll(io.LimitReader(zr, maxBytes+1))
		zr.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if int64(len(raw)) > maxBytes {
			return nil, fmt.Errorf("%s: decompresses to more than %d MiB, the most read of an ASDF file", path, maxBytes>>20)
		}
	}
	if !bytes.HasPrefix(raw, []byte("#ASDF")) {
		return nil, fmt.Errorf("%s: not an ASDF file (no #ASDF header line)", path)
	}
	end := bytes.Index(raw, blockMagic)
	if end < 0 {
		end = len(raw)
	}
	text := raw[:end]
	// yaml.v3 reads YAML 1.2; the ASDF header comments are fine, the %YAML 1.1 directive
	// is accepted. Stop at the document end marker.
	if i := bytes.Index(text, []byte("\n...")); i >= 0 {
		text = text[:i+1]
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(text, &doc); err != nil {
		return nil, fmt.Errorf("%s: YAML tree: %w", path, err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, fmt.Errorf("%s: empty YAML tree", path)
	}
	f := &File{path: path, root: doc.Content[0], raw: raw}
	for pos := end; pos >= 0 && pos+6 <= len(raw); {
		if !bytes.Equal(raw[pos:pos+4], blockMagic) {
			break
		}
		f.blocks = append(f.blocks, pos)
		hs := int(binary.BigEndian.Uint16(raw[pos+4:]))
		if hs < 48 || pos+6+hs > len(raw) {
			return nil, fmt.Errorf("%s: block %d: bad header size %d", path, len(f.blocks)-1, hs)
		}
		alloc := binary.BigEndian.Uint64(raw[pos+6+8:])
		next := uint64(pos+6+hs) + alloc
		if next > uint64(len(raw)) {
			return nil, fmt.Errorf("%s: block %d: allocated size %d runs past the end of the file", path, len(f.blocks)-1, alloc)
		}
		pos = int(next)
	}
	return f, nil
}

// Block returns the decompressed data of block n.
func (f *File) Block(n int) ([]byte, error) {
	if n < 0 || n >= len(f.blocks) {
		return nil, fmt.Errorf("%s: block %d does not exist (%d blocks)", f.path, n, len(f.blocks))
	}
	pos := f.blocks[n]
	hs := int(binary.BigEndian.Uint16(f.raw[pos+4:]))
	h := f.raw[pos+6 : pos+6+hs]
	compression := strings.TrimRight(string(h[4:8]), "\x00")
	used := binary.BigEndian.Uint64(h[16:])
	dataSize := binary.BigEndian.Uint64(h[24:])
	start := uint64(pos + 6 + hs)
	if start+used > uint64(len(f.raw)) {
		return nil, fmt.Errorf("%s: block %d: used size %d runs past the end", f.path, n, used)
	}
	data := f.raw[start : start+used]
	var r io.Reader
	switch compression {
	case "":
		return data, nil
	case "zlib":
		zr, err := zlib.NewReader(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("%s: block %d: %w", f.path, n, err)
		}
		r = zr
	case "bzp2":
		r = bzip2.NewReader(bytes.NewReader(data))
	default:
		return nil, fmt.Errorf("%s: block %d: compression %q is not supported", f.path, n, compression)
	}
	out, err := io.ReadAll(io.LimitReader(r, int64(dataSize)+1))
	if err != nil {
		return nil, fmt.Errorf("%s: block %d: %w", f.path, n, err)
	}
	return out, nil
}

// TagName gives a node's tag without the URI prefix and version:
// "!<tag:stsci.edu:asdf/transform/compose-1.2.0>" → "transform/compose".
func TagName(n *yaml.Node) string {
	t := n.Tag
	t = strings.TrimPrefix(t, "!")
	t = strings.TrimSuffix(strings.TrimPrefix(t, "<"), ">")
	for _, p := range []string{"asdf://dkist.nso.edu/tags/", "tag:stsci.edu:asdf/", "tag:stsci.edu:", "tag:astropy.org:astropy/", "tag:sunpy.org:sunpy/", "asdf://asdf-format.org/", "asdf://stsci.edu/", "asdf://dkist.nso.edu/tags/", "asdf://astropy.org/"} {
		t = strings.TrimPrefix(t, p)
	}
	if i := strings.LastIndex(t, "-"); i >= 0 && i+1 < len(t) && t[i+1] >= '0' && t[i+1] <= '9' {
		t = t[:i]
	}
	return t
}

// MapGet returns the value node of key in a mapping node, or nil.
func MapGet(n *yaml.Node, key string) *yaml.Node {
	if n == nil {
		return nil
	}
	for n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			v := n.Content[i+1]
			for v.Kind == yaml.AliasNode {
				v = v.Alias
			}
			return v
		}
	}
	return nil
}

// FindTag searches the tree depth-first for the first node whose tag name is tag.
func FindTag(n *yaml.Node, tag string, depth int) *yaml.Node {
	if n == nil || depth > 64 {
		return nil
	}
	if TagName(n) == tag {
		return n
	}
	for _, c := range n.Content {
		if r := FindTag(c, tag, depth+1); r != nil {
			return r
		}
	}
	return nil
}

// Root is the file's YAML tree.
func (f *File) Root() *yaml.Node { return f.root }

// Numbers reads a scalar, a sequence or an ndarray node as float64 values (flattened).
func (f *File) Numbers(n *yaml.Node) ([]float64, []int, error) {
	if n == nil {
		return nil, nil, fmt.Errorf("missing value")
	}
	switch n.Kind {
	case yaml.ScalarNode:
		var v float64
		if err := n.Decode(&v); err != nil {
			return nil, nil, fmt.Errorf("line %d: %q is not a number", n.Line, n.Value)
		}
		return []float64{v}, nil, nil
	case yaml.SequenceNode:
		var out []float64
		var shape []int
		for i, c := range n.Content {
			v, s, err := f.Numbers(c)
			if err != nil {
				return nil, nil, err
			}
			if i == 0 {
				shape = append([]int{len(n.Content)}, s...)
			}
			out = append(out, v...)
		}
		if len(n.Content) == 0 {
			shape = []int{0}
		}
		return out, shape, nil
	case yaml.MappingNode:
		if TagName(n) == "core/ndarray" || MapGet(n, "source") != nil || MapGet(n, "data") != nil {
			return f.ndarray(n)
		}
	}
	return nil, nil, fmt.Errorf("line %d: expected numbers, found %s", n.Line, TagName(n))
}

// ndarray reads an ASDF ndarray (inline data or a binary block) as float64 values.
func (f *File) ndarray(n *yaml.Node) ([]float64, []int, error) {
	if d := MapGet(n, "data"); d != nil {
		return f.Numbers(d)
	}
	var shape []int
	if s := MapGet(n, "shape"); s != nil {
		if err := s.Decode(&shape); err != nil {
			return nil, nil, fmt.Errorf("line %d: ndarray shape: %w", n.Line, err)
		}
	}
	count := 1
	for _, s := range shape {
		if s < 0 || s > 1<<24 || count*s > 1<<26 {
			return nil, nil, fmt.Errorf("line %d: ndarray shape %v is too large", n.Line, shape)
		}
		count *= s
	}
	var source int
	if err := Decode(MapGet(n, "source"), &source); err != nil {
		return nil, nil, fmt.Errorf("line %d: ndarray source must be a block number: %w", n.Line, err)
	}
	var dtype, order string
	if d := MapGet(n, "datatype"); d != nil {
		dtype = d.Value
	}
	if o := MapGet(n, "byteorder"); o != nil {
		order = o.Value
	}
	offset := 0
	if o := MapGet(n, "offset"); o != nil {
		_ = o.Decode(&offset)
	}
	data, err := f.Block(source)
	if err != nil {
		return nil, nil, err
	}
	var bo binary.ByteOrder = binary.LittleEndian
	if order == "big" {
		bo = binary.BigEndian
	}
	size := map[string]int{"float64": 8, "float32": 4, "int64": 8, "int32": 4, "int16": 2, "uint8": 1, "int8": 1}[dtype]
	if size == 0 {
		return nil, nil, fmt.Errorf("line %d: ndarray datatype %q is not supported", n.Line, dtype)
	}
	if offset < 0 || offset+count*size > len(data) {
		return nil, nil, fmt.Errorf("line %d: ndarray of %d × %s needs %d bytes from offset %d; block %d has %d", n.Line, count, dtype, count*size, offset, source, len(data))
	}
	out := make([]float64, count)
	for i := range out {
		b := data[offset+i*size:]
		switch dtype {
		case "float64":
			out[i] = math.Float64frombits(bo.Uint64(b))
		case "float32":
			out[i] = float64(math.Float32frombits(bo.Uint32(b)))
		case "int64":
			out[i] = float64(int64(bo.Uint64(b)))
		case "int32":
			out[i] = float64(int32(bo.Uint32(b)))
		case "int16":
			out[i] = float64(int16(bo.Uint16(b)))
		case "uint8":
			out[i] = float64(b[0])
		case "int8":
			out[i] = float64(int8(b[0]))
		}
	}
	return out, shape, nil
}

// UnitOf reads a unit node ("!unit/unit-1.0.0 nm" or a plain string).
func UnitOf(n *yaml.Node) string {
	if n == nil {
		return ""
	}
	return strings.TrimSpace(n.Value)
}

// Quantity reads a number or a unit/quantity node as values in canonical units (m, deg,
// s; pixel factors dropped); hasUnit reports whether it was a quantity.
func (f *File) Quantity(n *yaml.Node) (vals []float64, shape []int, hasUnit bool, err error) {
	if n == nil {
		return nil, nil, false, fmt.Errorf("missing parameter")
	}
	if n.Kind == yaml.MappingNode && MapGet(n, "unit") != nil && MapGet(n, "value") != nil {
		u := UnitOf(MapGet(n, "unit"))
		dim, scale, ok := wcsunit.ParseCompound(u)
		if !ok {
			return nil, nil, true, fmt.Errorf("line %d: unit %q is not supported", n.Line, u)
		}
		_ = dim
		vals, shape, err = f.Numbers(MapGet(n, "value"))
		if err != nil {
			return nil, nil, true, err
		}
		for i := range vals {
			vals[i] *= scale
		}
		return vals, shape, true, nil
	}
	vals, shape, err = f.Numbers(n)
	return vals, shape, false, err
}

// Decode decodes node n into v, or fails when the node is missing.
func Decode(n *yaml.Node, v any) error {
	if n == nil {
		return fmt.Errorf("missing")
	}
	return n.Decode(v)
}

// Time reads an ASDF time node: "!time/time-1.1.0 2044-03-15T08:22:54.721" or a
// mapping with value (and format, scale).
func Time(n *yaml.Node) (time.Time, error) {
	if n == nil {
		return time.Time{}, fmt.Errorf("missing time")
	}
	if n.Kind == yaml.MappingNode {
		if v := MapGet(n, "value"); v != nil {
			n = v
		}
	}
	if n.Kind != yaml.ScalarNode {
		return time.Time{}, fmt.Errorf("line %d: time is not a string", n.Line)
	}
	return fitswcs.ParseISOTime(n.Value)
}
