package wcs

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
	"gokist/runtime/wcs/internal/wcsmath"
	"gokist/runtime/wcs/wcsunit"
	"gopkg.in/yaml.v3"
)

// blockMagic starts every ASDF binary block.
var blockMagic = []byte("\xd3BLK")

// asdfFile is a parsed ASDF file: its YAML tree and its binary blocks (read lazily).
type asdfFile struct {
	path   string
	root   *yaml.Node
	raw    []byte
	blocks []int // offsets of the block magics, in order
	// wcsNode is the gwcs to read when it is not dataset.wcs (a tile of a tiled index).
	wcsNode *yaml.Node
}

// maxASDFBytes is the most bytes of an ASDF file (decompressed) readASDF reads: a real
// DKIST index is tens of MB, and a small .asdf.gz could otherwise inflate to fill the
// memory.
var maxASDFBytes int64 = 512 << 20

// readASDF reads an ASDF file (gzip-compressed when its name ends in .gz): the YAML tree
// up to the first binary block, and the offsets of the blocks after it. Only a regular
// file is read (opening a named pipe would block for ever), of at most maxASDFBytes.
func readASDF(path string) (*asdfFile, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file (mode %s)", path, st.Mode())
	}
	if st.Size() > maxASDFBytes {
		return nil, fmt.Errorf("%s: %d bytes, more than %d MiB, the most read of an ASDF file", path, st.Size(), maxASDFBytes>>20)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return parseASDF(path, raw)
}

// parseASDF is readASDF on the file's bytes; path names the file in errors.
func parseASDF(path string, raw []byte) (*asdfFile, error) {
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		raw, err = io.ReadAll(io.LimitReader(zr, maxASDFBytes+1))
		zr.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if int64(len(raw)) > maxASDFBytes {
			return nil, fmt.Errorf("%s: decompresses to more than %d MiB, the most read of an ASDF file", path, maxASDFBytes>>20)
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
	f := &asdfFile{path: path, root: doc.Content[0], raw: raw}
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

// block returns the decompressed data of block n.
func (f *asdfFile) block(n int) ([]byte, error) {
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

// tagName gives a node's tag without the URI prefix and version:
// "!<tag:stsci.edu:asdf/transform/compose-1.2.0>" → "transform/compose".
func tagName(n *yaml.Node) string {
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

// mapGet returns the value node of key in a mapping node, or nil.
func mapGet(n *yaml.Node, key string) *yaml.Node {
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

// findTag searches the tree depth-first for the first node whose tag name is tag.
func findTag(n *yaml.Node, tag string, depth int) *yaml.Node {
	if n == nil || depth > 64 {
		return nil
	}
	if tagName(n) == tag {
		return n
	}
	for _, c := range n.Content {
		if r := findTag(c, tag, depth+1); r != nil {
			return r
		}
	}
	return nil
}

// numbers reads a scalar, a sequence or an ndarray node as float64 values (flattened).
func (f *asdfFile) numbers(n *yaml.Node) ([]float64, []int, error) {
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
			v, s, err := f.numbers(c)
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
		if tagName(n) == "core/ndarray" || mapGet(n, "source") != nil || mapGet(n, "data") != nil {
			return f.ndarray(n)
		}
	}
	return nil, nil, fmt.Errorf("line %d: expected numbers, found %s", n.Line, tagName(n))
}

// ndarray reads an ASDF ndarray (inline data or a binary block) as float64 values.
func (f *asdfFile) ndarray(n *yaml.Node) ([]float64, []int, error) {
	if d := mapGet(n, "data"); d != nil {
		return f.numbers(d)
	}
	var shape []int
	if s := mapGet(n, "shape"); s != nil {
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
	if err := decode(mapGet(n, "source"), &source); err != nil {
		return nil, nil, fmt.Errorf("line %d: ndarray source must be a block number: %w", n.Line, err)
	}
	var dtype, order string
	if d := mapGet(n, "datatype"); d != nil {
		dtype = d.Value
	}
	if o := mapGet(n, "byteorder"); o != nil {
		order = o.Value
	}
	offset := 0
	if o := mapGet(n, "offset"); o != nil {
		_ = o.Decode(&offset)
	}
	data, err := f.block(source)
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

// unitOf reads a unit node ("!unit/unit-1.0.0 nm" or a plain string).
func unitOf(n *yaml.Node) string {
	if n == nil {
		return ""
	}
	return strings.TrimSpace(n.Value)
}

// quantity reads a number or a unit/quantity node as values in canonical units (m, deg,
// s; pixel factors dropped); hasUnit reports whether it was a quantity.
func (f *asdfFile) quantity(n *yaml.Node) (vals []float64, shape []int, hasUnit bool, err error) {
	if n == nil {
		return nil, nil, false, fmt.Errorf("missing parameter")
	}
	if n.Kind == yaml.MappingNode && mapGet(n, "unit") != nil && mapGet(n, "value") != nil {
		u := unitOf(mapGet(n, "unit"))
		dim, scale, ok := wcsunit.ParseCompound(u)
		if !ok {
			return nil, nil, true, fmt.Errorf("line %d: unit %q is not supported", n.Line, u)
		}
		_ = dim
		vals, shape, err = f.numbers(mapGet(n, "value"))
		if err != nil {
			return nil, nil, true, err
		}
		for i := range vals {
			vals[i] *= scale
		}
		return vals, shape, true, nil
	}
	vals, shape, err = f.numbers(n)
	return vals, shape, false, err
}

// model is one evaluated gwcs transform. eval reads nIn inputs and writes nOut outputs;
// in and out never alias. Models carry their own buffers, so a built tree serves one
// goroutine at a time (each scratch has its own).
type model interface {
	nIn() int
	nOut() int
	eval(in, out []float64)
}

type composeModel struct {
	a, b model
	buf  []float64
}

func (m *composeModel) nIn() int  { return m.a.nIn() }
func (m *composeModel) nOut() int { return m.b.nOut() }
func (m *composeModel) eval(in, out []float64) {
	m.a.eval(in, m.buf)
	m.b.eval(m.buf, out)
}

type concatModel struct{ parts []model }

func (m *concatModel) nIn() int {
	n := 0
	for _, p := range m.parts {
		n += p.nIn()
	}
	return n
}
func (m *concatModel) nOut() int {
	n := 0
	for _, p := range m.parts {
		n += p.nOut()
	}
	return n
}
func (m *concatModel) eval(in, out []float64) {
	i, o := 0, 0
	for _, p := range m.parts {
		p.eval(in[i:i+p.nIn()], out[o:o+p.nOut()])
		i += p.nIn()
		o += p.nOut()
	}
}

type remapModel struct {
	mapping []int
	n       int
}

func (m *remapModel) nIn() int  { return m.n }
func (m *remapModel) nOut() int { return len(m.mapping) }
func (m *remapModel) eval(in, out []float64) {
	for i, k := range m.mapping {
		out[i] = in[k]
	}
}

// linearModel is out = in·slope + intercept (linear1d, shift, scale, multiplyscale).
type linearModel struct{ slope, intercept float64 }

func (m *linearModel) nIn() int  { return 1 }
func (m *linearModel) nOut() int { return 1 }
func (m *linearModel) eval(in, out []float64) {
	out[0] = in[0]*m.slope + m.intercept
}

type affineModel struct {
	n           int
	matrix, tra []float64
}

func (m *affineModel) nIn() int  { return m.n }
func (m *affineModel) nOut() int { return m.n }
func (m *affineModel) eval(in, out []float64) {
	for i := 0; i < m.n; i++ {
		s := m.tra[i]
		for j := 0; j < m.n; j++ {
			s += m.matrix[i*m.n+j] * in[j]
		}
		out[i] = s
	}
}

type identityModel struct{ n int }

func (m *identityModel) nIn() int               { return m.n }
func (m *identityModel) nOut() int              { return m.n }
func (m *identityModel) eval(in, out []float64) { copy(out, in[:m.n]) }

type constantModel struct{ value float64 }

func (m *constantModel) nIn() int               { return 1 }
func (m *constantModel) nOut() int              { return 1 }
func (m *constantModel) eval(in, out []float64) { out[0] = m.value }

// gnomonicModel is the TAN deprojection (x, y) in degrees → native (phi, theta).
type gnomonicModel struct{}

func (gnomonicModel) nIn() int  { return 2 }
func (gnomonicModel) nOut() int { return 2 }
func (gnomonicModel) eval(in, out []float64) {
	x, y := in[0], in[1]
	r := math.Hypot(x, y)
	phi := 0.0
	if r != 0 {
		phi = math.Atan2(x, -y) * wcsmath.R2D
	}
	out[0], out[1] = phi, math.Atan2(wcsmath.R2D, r)*wcsmath.R2D
}

// rotateModel turns native (phi, theta) into celestial (alpha, delta) for a native pole at
// celestial (lon, lat) and a celestial pole at native longitude lonPole (astropy's
// RotateNative2Celestial).
type rotateModel struct {
	alphaP, phiP, sinDP, cosDP float64
}

func (rotateModel) nIn() int  { return 2 }
func (rotateModel) nOut() int { return 2 }
func (m *rotateModel) eval(in, out []float64) {
	sinT, cosT := wcsmath.SinCosD(in[1])
	sinDphi, cosDphi := wcsmath.SinCosD(in[0] - m.phiP)
	a := math.Atan2(-cosT*sinDphi, sinT*m.cosDP-cosT*m.sinDP*cosDphi)*wcsmath.R2D + m.alphaP
	d := sinT*m.sinDP + cosT*m.cosDP*cosDphi
	d = math.Asin(math.Max(-1, math.Min(1, d))) * wcsmath.R2D
	// astropy wraps alpha into [0, 360).
	a = math.Mod(a, 360)
	if a < 0 {
		a += 360
	}
	out[0], out[1] = a, d
}

// transformBuilder turns gwcs transform nodes into models, and records whether any
// parameter carried units.
type transformBuilder struct {
	f        *asdfFile
	hasUnits bool
}

func (b *transformBuilder) scalarParam(n *yaml.Node, key string) (float64, error) {
	v, _, hu, err := b.f.quantity(mapGet(n, key))
	if err != nil {
		return 0, fmt.Errorf("%s %s (line %d): %w", tagName(n), key, n.Line, err)
	}
	if len(v) != 1 {
		return 0, fmt.Errorf("%s %s (line %d): expected one number, got %d", tagName(n), key, n.Line, len(v))
	}
	b.hasUnits = b.hasUnits || hu
	return v[0], nil
}

func (b *transformBuilder) build(n *yaml.Node, depth int) (model, error) {
	if depth > 100 {
		return nil, fmt.Errorf("transform tree nested too deeply")
	}
	switch tag := tagName(n); tag {
	case "transform/compose":
		parts, err := b.children(n, tag, depth)
		if err != nil {
			return nil, err
		}
		return composeParts(n, parts)
	case "transform/concatenate":
		parts, err := b.children(n, tag, depth)
		if err != nil {
			return nil, err
		}
		return &concatModel{parts: parts}, nil
	case "transform/remap_axes":
		return remapOf(n, "remap_axes", "mapping", "n_inputs")
	case "asymmetric_mapping_model":
		// dkist's AsymmetricMapping: a remap whose forward and backward mappings differ.
		return remapOf(n, "asymmetric_mapping_model", "forward_mapping", "forward_n_inputs")
	case "transform/linear1d", "transform/shift", "transform/scale", "transform/multiplyscale", "transform/constant":
		return b.scalar(n, tag)
	case "transform/affine":
		return b.affine(n)
	case "transform/gnomonic":
		if d := mapGet(n, "direction"); d != nil && d.Value != "pix2sky" {
			return nil, fmt.Errorf("gnomonic (line %d): direction %q is not supported", n.Line, d.Value)
		}
		return gnomonicModel{}, nil
	case "transform/rotate3d":
		return b.rotate3d(n)
	case "transform/identity":
		nd := 1
		if v := mapGet(n, "n_dims"); v != nil {
			if err := v.Decode(&nd); err != nil || nd < 1 {
				return nil, fmt.Errorf("identity (line %d): bad n_dims", n.Line)
			}
		}
		return &identityModel{n: nd}, nil
	case "coupled_compound_model":
		parts, err := b.children(n, tag, depth)
		if err != nil {
			return nil, err
		}
		return coupledOf(n, parts)
	case "varying_celestial_transform":
		return b.varyingCelestial(n)
	case "transform/tabular":
		return b.tabular(n)
	}
	return nil, fmt.Errorf("gwcs transform %q (line %d) is not supported", n.Tag, n.Line)
}

// children builds the models of a compound transform's forward list.
func (b *transformBuilder) children(n *yaml.Node, tag string, depth int) ([]model, error) {
	fw := mapGet(n, "forward")
	if fw == nil || fw.Kind != yaml.SequenceNode || len(fw.Content) == 0 {
		return nil, fmt.Errorf("%s (line %d) has no forward list", tag, n.Line)
	}
	var out []model
	for _, c := range fw.Content {
		m, err := b.build(c, depth+1)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// composeParts chains parts, each one's outputs feeding the next one's inputs.
func composeParts(n *yaml.Node, parts []model) (model, error) {
	m := parts[0]
	for _, p := range parts[1:] {
		if m.nOut() != p.nIn() {
			return nil, fmt.Errorf("compose (line %d): %d outputs feed %d inputs", n.Line, m.nOut(), p.nIn())
		}
		m = &composeModel{a: m, b: p, buf: make([]float64, m.nOut())}
	}
	return m, nil
}

// remapOf is a remap of inputs by the mapping under key, over at least as many inputs
// as it uses (more when nInputsKey says so).
func remapOf(n *yaml.Node, name, key, nInputsKey string) (model, error) {
	var mapping []int
	if err := decode(mapGet(n, key), &mapping); err != nil {
		return nil, fmt.Errorf("%s (line %d): %s: %w", name, n.Line, key, err)
	}
	nin := 0
	for _, k := range mapping {
		if k < 0 {
			if name == "remap_axes" {
				return nil, fmt.Errorf("remap_axes (line %d): negative index in mapping %v", n.Line, mapping)
			}
			return nil, fmt.Errorf("%s (line %d): negative index in %v", name, n.Line, mapping)
		}
		nin = max(nin, k+1)
	}
	if v := mapGet(n, nInputsKey); v != nil {
		var ni int
		if err := v.Decode(&ni); err == nil && ni >= nin {
			nin = ni
		}
	}
	return &remapModel{mapping: mapping, n: nin}, nil
}

// scalar builds the one-input models of scalar parameters: linear1d, shift, scale
// (and multiplyscale), constant.
func (b *transformBuilder) scalar(n *yaml.Node, tag string) (model, error) {
	switch tag {
	case "transform/linear1d":
		slope, err := b.scalarParam(n, "slope")
		if err != nil {
			return nil, err
		}
		intercept := 0.0
		if mapGet(n, "intercept") != nil {
			if intercept, err = b.scalarParam(n, "intercept"); err != nil {
				return nil, err
			}
		}
		return &linearModel{slope: slope, intercept: intercept}, nil
	case "transform/shift":
		off, err := b.scalarParam(n, "offset")
		if err != nil {
			return nil, err
		}
		return &linearModel{slope: 1, intercept: off}, nil
	case "transform/constant":
		v, err := b.scalarParam(n, "value")
		if err != nil {
			return nil, err
		}
		return &constantModel{value: v}, nil
	}
	fct, err := b.scalarParam(n, "factor")
	if err != nil {
		return nil, err
	}
	return &linearModel{slope: fct}, nil
}

// affine builds an affine transform from its matrix and translation.
func (b *transformBuilder) affine(n *yaml.Node) (model, error) {
	mat, shape, hu, err := b.f.quantity(mapGet(n, "matrix"))
	if err != nil {
		return nil, fmt.Errorf("affine (line %d) matrix: %w", n.Line, err)
	}
	if hu {
		// astropy multiplies by the matrix's numbers; its unit only has to match the
		// translation's, so undo the conversion to canonical units.
		mat, _, _ = b.f.numbers(mapGet(mapGet(n, "matrix"), "value"))
	}
	tr, _, hu2, err := b.f.quantity(mapGet(n, "translation"))
	if err != nil {
		return nil, fmt.Errorf("affine (line %d) translation: %w", n.Line, err)
	}
	b.hasUnits = b.hasUnits || hu || hu2
	dim := len(tr)
	if len(shape) != 2 || shape[0] != dim || shape[1] != dim || len(mat) != dim*dim {
		return nil, fmt.Errorf("affine (line %d): matrix shape %v does not fit translation of %d", n.Line, shape, dim)
	}
	return &affineModel{n: dim, matrix: mat, tra: tr}, nil
}

// rotate3d builds the native-to-celestial rotation of its phi, theta and psi.
func (b *transformBuilder) rotate3d(n *yaml.Node) (model, error) {
	if d := mapGet(n, "direction"); d == nil || d.Value != "native2celestial" {
		dir := ""
		if d != nil {
			dir = d.Value
		}
		return nil, fmt.Errorf("rotate3d (line %d): direction %q is not supported", n.Line, dir)
	}
	var p [3]float64
	for i, k := range []string{"phi", "theta", "psi"} {
		v, err := b.scalarParam(n, k)
		if err != nil {
			return nil, err
		}
		p[i] = v
	}
	m := &rotateModel{alphaP: p[0], phiP: p[2]}
	m.sinDP, m.cosDP = wcsmath.SinCosD(p[1])
	return m, nil
}

// coupledOf is dkist's CoupledCompoundModel: left & right where the last shared_inputs
// inputs of left are also the first inputs of right.
func coupledOf(n *yaml.Node, parts []model) (model, error) {
	if len(parts) != 2 {
		return nil, fmt.Errorf("coupled_compound_model (line %d) has %d parts, not 2", n.Line, len(parts))
	}
	shared := 0
	if v := mapGet(n, "shared_inputs"); v != nil {
		if err := v.Decode(&shared); err != nil {
			return nil, fmt.Errorf("coupled_compound_model (line %d): shared_inputs: %w", n.Line, err)
		}
	}
	if shared < 0 || shared > parts[0].nIn() || shared > parts[1].nIn() {
		return nil, fmt.Errorf("coupled_compound_model (line %d): shared_inputs %d does not fit", n.Line, shared)
	}
	return &coupledModel{left: parts[0], right: parts[1], shared: shared}, nil
}

// FromASDF builds a dataset WCS from the gwcs stored in a DKIST ASDF index (the tree's
// dataset.wcs, else the first gwcs found): its transform is evaluated directly and its
// output frame gives world names, units, physical types, the helioprojective frame's
// obstime and the temporal frame's reference time. shape is the dataset's array shape
// (numpy order) and pixelNames its pixel axis names in the same order (nil: the gwcs
// input frame's names). A transform this package does not evaluate is an error naming
// its tag, so that the loader can fall back to the FITS headers (New). The inverse is
// numerical.
func FromASDF(path string, shape []int, pixelNames []string) (*WCS, error) {
	f, err := readASDF(path)
	if err != nil {
		return nil, err
	}
	return fromASDF(f, path, shape, pixelNames)
}

func fromASDF(f *asdfFile, path string, shape []int, pixelNames []string) (*WCS, error) {
	steps, tr, err := gwcsSteps(f, path)
	if err != nil {
		return nil, err
	}
	m0, withUnits, err := tr.build()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	n := len(shape)
	if m0.nIn() != n {
		return nil, fmt.Errorf("%s: the gwcs takes %d pixel inputs but the dataset has %d array axes", path, m0.nIn(), n)
	}
	for k, s := range shape {
		if s < 1 {
			return nil, fmt.Errorf("%s: array axis %d has length %d", path, k, s)
		}
	}
	sys := &system{shape: append([]int(nil), shape...), rsunKm: 695700, describe: "gwcs"}
	sys.pixelNames = gwcsPixelNames(steps.Content[0], pixelNames, n)
	factors, err := gwcsWorldAxes(f, path, sys, steps.Content[len(steps.Content)-1], m0.nOut(), withUnits)
	if err != nil {
		return nil, err
	}
	sys.newScratch = func() *scratch {
		m, _, _ := tr.build()
		return &scratch{gw: m, in: make([]float64, n)}
	}
	sys.eval = func(q, out []float64, sc *scratch) error {
		for i := 0; i < n; i++ {
			sc.in[i] = q[n-1-i]
		}
		sc.gw.eval(sc.in, out)
		for i := range out {
			out[i] *= factors[i]
			if p := sys.world[i].period; p > 0 && sys.world[i].kind == kindCelestialLon && sys.world[i].frame == "helioprojective" {
				out[i] = math.Remainder(out[i], p)
			}
		}
		return nil
	}
	if err := numericalCorrelation(sys); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return newView(sys), nil
}

// gwcsTransform is the pixel-to-world transform of a gwcs: the transforms of its steps,
// composed. Each build makes a new model tree (an evaluator's scratch holds its own).
type gwcsTransform struct {
	f     *asdfFile
	nodes []*yaml.Node // the steps' transforms, in order
}

// build composes the steps' transforms; withUnits says whether they carry units.
func (t gwcsTransform) build() (m model, withUnits bool, err error) {
	b := &transformBuilder{f: t.f}
	for _, n := range t.nodes {
		p, err := b.build(n, 0)
		if err != nil {
			return nil, false, err
		}
		if m == nil {
			m = p
			continue
		}
		if m.nOut() != p.nIn() {
			return nil, false, fmt.Errorf("gwcs steps: %d outputs feed %d inputs", m.nOut(), p.nIn())
		}
		m = &composeModel{a: m, b: p, buf: make([]float64, m.nOut())}
	}
	return m, b.hasUnits, nil
}

// gwcsSteps finds the dataset's gwcs in the ASDF tree and the transforms of all its
// steps but the last (whose transform is null).
func gwcsSteps(f *asdfFile, path string) (*yaml.Node, gwcsTransform, error) {
	g := f.wcsNode
	if g == nil {
		g = mapGet(mapGet(f.root, "dataset"), "wcs")
	}
	if g == nil || tagName(g) != "gwcs/wcs" {
		g = findTag(f.root, "gwcs/wcs", 0)
	}
	if g == nil {
		return nil, gwcsTransform{}, fmt.Errorf("%s: no gwcs in the ASDF tree", path)
	}
	steps := mapGet(g, "steps")
	if steps == nil || steps.Kind != yaml.SequenceNode || len(steps.Content) < 2 {
		return nil, gwcsTransform{}, fmt.Errorf("%s: the gwcs has no steps", path)
	}
	tr := gwcsTransform{f: f}
	for _, s := range steps.Content[:len(steps.Content)-1] {
		t := mapGet(s, "transform")
		if t == nil || t.Tag == "!!null" {
			return nil, gwcsTransform{}, fmt.Errorf("%s: a gwcs step (line %d) has no transform", path, s.Line)
		}
		tr.nodes = append(tr.nodes, t)
	}
	return steps, tr, nil
}

// gwcsPixelNames names the n array axes: the loader's names, else the gwcs input
// frame's axes_names (in WCS order, the reverse of array order), else dim<k>.
func gwcsPixelNames(inStep *yaml.Node, pixelNames []string, n int) []string {
	var inNames []string
	if v := mapGet(mapGet(inStep, "frame"), "axes_names"); v != nil {
		_ = v.Decode(&inNames)
	}
	out := make([]string, n)
	for k := range out {
		switch {
		case k < len(pixelNames) && pixelNames[k] != "":
			out[k] = pixelNames[k]
		case n-1-k < len(inNames):
			out[k] = inNames[n-1-k]
		default:
			out[k] = fmt.Sprintf("dim%d", k)
		}
	}
	return out
}

// gwcsWorldAxes makes sys's nw world axes from the gwcs output frame (a composite
// frame's frames, each over its axes_order), pairs the celestial ones, and gives the
// factor from each output's unit to the world axis's unit (1 without units).
func gwcsWorldAxes(f *asdfFile, path string, sys *system, outStep *yaml.Node, nw int, withUnits bool) ([]float64, error) {
	sys.world = make([]worldAxis, nw)
	for i := range sys.world {
		sys.world[i] = worldAxis{name: fmt.Sprintf("world%d", i), partner: -1, home: -1}
	}
	factors := make([]float64, nw)
	for i := range factors {
		factors[i] = 1
	}
	outFrame := mapGet(outStep, "frame")
	if outFrame == nil {
		return nil, fmt.Errorf("%s: the gwcs output step has no frame", path)
	}
	frames := []*yaml.Node{outFrame}
	if tagName(outFrame) == "gwcs/composite_frame" {
		list := mapGet(outFrame, "frames")
		if list == nil || list.Kind != yaml.SequenceNode {
			return nil, fmt.Errorf("%s: composite frame (line %d) has no frames list", path, outFrame.Line)
		}
		frames = list.Content
	}
	offset := 0
	for _, fr := range frames {
		naxes, err := gwcsFrameAxes(f, path, sys, fr, offset, factors, withUnits)
		if err != nil {
			return nil, err
		}
		offset += naxes
	}
	for i, a := range sys.world {
		if (a.kind == kindCelestialLon || a.kind == kindCelestialLat) && a.partner < 0 {
			return nil, fmt.Errorf("%s: celestial world axis %d (%s) has no partner", path, i, a.name)
		}
	}
	if sys.refTime.IsZero() {
		sys.refTime = sys.obstime
	}
	return factors, nil
}

// gwcsFrameAxes fills in the world axes of one frame (its outputs from offset on, or
// its axes_order) and returns how many axes it has.
func gwcsFrameAxes(f *asdfFile, path string, sys *system, fr *yaml.Node, offset int, factors []float64, withUnits bool) (int, error) {
	var order []int
	var names, ptypes, units []string
	if v := mapGet(fr, "axes_order"); v != nil {
		_ = v.Decode(&order)
	}
	if v := mapGet(fr, "axes_names"); v != nil {
		_ = v.Decode(&names)
	}
	if v := mapGet(fr, "axis_physical_types"); v != nil {
		_ = v.Decode(&ptypes)
	}
	if v := mapGet(fr, "unit"); v != nil {
		for _, u := range v.Content {
			units = append(units, wcsunit.Canonical(unitOf(u)))
		}
	}
	naxes := max(len(order), len(names), len(units))
	if len(order) == 0 {
		for i := 0; i < naxes; i++ {
			order = append(order, offset+i)
		}
	}
	kind := tagName(fr)
	for j, w := range order {
		if w < 0 || w >= len(sys.world) {
			return 0, fmt.Errorf("%s: frame %s axes_order %v is out of range for %d outputs", path, kind, order, len(sys.world))
		}
		a := &sys.world[w]
		if j < len(names) {
			a.name = names[j]
		} else if fn := mapGet(fr, "name"); fn != nil && len(order) == 1 {
			a.name = fn.Value // a one-axis frame without axes_names: its own name
		}
		if j < len(ptypes) {
			a.ptype = ptypes[j]
		}
		if j < len(units) {
			a.unit = units[j]
		}
		if err := gwcsFrameKind(f, path, sys, fr, kind, j, a); err != nil {
			return 0, err
		}
		if withUnits && a.unit != "" {
			if u, ok := wcsunit.Lookup(a.unit); ok {
				factors[w] = 1 / u.Scale
			}
		}
	}
	if kind == "gwcs/celestial_frame" && len(order) == 2 {
		sys.world[order[0]].partner, sys.world[order[1]].partner = order[1], order[0]
		sys.world[order[1]].frame = sys.world[order[0]].frame
	}
	return naxes, nil
}

// gwcsFrameKind sets what the frame's kind (spectral, celestial, temporal, Stokes) says
// of its j-th world axis a, and of the system: the celestial frame's obstime and solar
// radius, the temporal frame's reference time.
func gwcsFrameKind(f *asdfFile, path string, sys *system, fr *yaml.Node, kind string, j int, a *worldAxis) error {
	switch kind {
	case "gwcs/spectral_frame":
		a.kind = kindSpectral
	case "gwcs/celestial_frame":
		if j == 0 {
			a.kind = kindCelestialLon
		} else {
			a.kind = kindCelestialLat
		}
		ref := mapGet(fr, "reference_frame")
		a.frame = strings.TrimPrefix(tagName(ref), "coordinates/frames/")
		if a.frame == "" {
			a.frame = "icrs"
		}
		if attrs := mapGet(ref, "frame_attributes"); attrs != nil {
			if ot := mapGet(attrs, "obstime"); ot != nil {
				if t, err := asdfTime(ot); err == nil {
					sys.obstime = t
				}
			}
			if rs := mapGet(attrs, "rsun"); rs != nil {
				if v, _, _, err := f.quantity(rs); err == nil && len(v) == 1 {
					sys.rsunKm = v[0] / 1e3
				}
			}
		}
		if a.unit != "" {
			if u, ok := wcsunit.Lookup(a.unit); ok {
				a.period = 360 / u.Scale
			}
		}
	case "gwcs/temporal_frame":
		a.kind = kindTime
		if a.unit == "" {
			a.unit = "s"
		}
		t, err := asdfTime(mapGet(fr, "reference_frame"))
		if err != nil {
			return fmt.Errorf("%s: temporal frame: %w", path, err)
		}
		sys.refTime = t
	case "gwcs/stokes_frame":
		a.kind, a.unit = kindStokes, ""
		if mapGet(fr, "axes_names") == nil {
			// gwcs's StokesFrame names its one axis "stokes" whatever the frame's name.
			a.name = "stokes"
		}
		if a.ptype == "" {
			a.ptype = "phys.polarization.stokes"
		}
	}
	return nil
}

// numericalCorrelation finds which world outputs depend on which pixel inputs by moving
// each pixel by one at two points, and sets each world axis's home to the pixel axis
// that moves it most (in its unit per pixel).
func numericalCorrelation(sys *system) error {
	n, nw := len(sys.shape), len(sys.world)
	sc := sys.getScratch()
	defer sys.putScratch(sc)
	sys.corr = make([][]bool, nw)
	for i := range sys.corr {
		sys.corr[i] = make([]bool, n)
	}
	best := make([]float64, nw)
	q := make([]float64, n)
	w0 := make([]float64, nw)
	w1 := make([]float64, nw)
	for _, start := range []float64{0, 0.5} {
		for k := range q {
			q[k] = start * float64(sys.shape[k]-1)
		}
		if err := sys.eval(q, w0, sc); err != nil {
			return err
		}
		for k := 0; k < n; k++ {
			q[k]++
			if err := sys.eval(q, w1, sc); err != nil {
				return err
			}
			q[k]--
			for i := 0; i < nw; i++ {
				d := math.Abs(w1[i] - w0[i])
				if d > 1e-12*math.Max(1, math.Abs(w0[i])) {
					sys.corr[i][k] = true
					if d > best[i] {
						best[i], sys.world[i].home = d, k
					}
				}
			}
		}
	}
	for i, a := range sys.world {
		if a.partner >= 0 {
			for k := range sys.corr[i] {
				if sys.corr[a.partner][k] {
					sys.corr[i][k] = true
				}
			}
		}
	}
	return nil
}

// decode decodes node n into v, or fails when the node is missing.
func decode(n *yaml.Node, v any) error {
	if n == nil {
		return fmt.Errorf("missing")
	}
	return n.Decode(v)
}

// asdfTime reads an ASDF time node: "!time/time-1.1.0 2044-03-15T08:22:54.721" or a
// mapping with value (and format, scale).
func asdfTime(n *yaml.Node) (time.Time, error) {
	if n == nil {
		return time.Time{}, fmt.Errorf("missing time")
	}
	if n.Kind == yaml.MappingNode {
		if v := mapGet(n, "value"); v != nil {
			n = v
		}
	}
	if n.Kind != yaml.ScalarNode {
		return time.Time{}, fmt.Errorf("line %d: time is not a string", n.Line)
	}
	return fitswcs.ParseISOTime(n.Value)
}
