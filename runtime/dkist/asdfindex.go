package dkist

// This file reads a DKIST ASDF index's file_manager (file names, grid shape, target
// HDU, dtype) without an ASDF library: the YAML tree only, bounded in size and
// interruptible.

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"gokist/runtime/memlimit"
	"io"
	"io/fs"
	"os"
	"regexp"
	"strings"

	"gokist/runtime/lazy"

	"gopkg.in/yaml.v3"

	"gokist/fits"
	"gokist/obj"
)

// fileManager is the part of a DKIST ASDF index that lays out the files.
type fileManager struct {
	uris      []string // row-major over gridShape
	gridShape []int
	shape     []int // each file's array shape, numpy order
	target    int
	datatype  string
	inventory *yaml.Node // dataset.meta.inventory, nil when absent
}

var fileManagerLine = regexp.MustCompile(`(?m)^( *)data: *!<asdf://dkist\.nso\.edu/tags/file_manager[^>]*> *$`)

// inventoryLine starts the inventory record (dataset.meta.inventory).
var inventoryLine = regexp.MustCompile(`(?m)^( +)inventory: *$`)

// indentedBlock parses the YAML block that follows the first line re matches: the lines
// indented deeper than it, up to the next line that is not. It is nil when re does not
// match. Real indexes hold tens of MB of header tables, which this skips.
func indentedBlock(text []byte, re *regexp.Regexp) (*yaml.Node, error) {
	loc := re.FindSubmatchIndex(text)
	if loc == nil {
		return nil, nil
	}
	indent := loc[3] - loc[2]
	var lines [][]byte
	for _, line := range bytes.SplitAfter(text[loc[1]:], []byte("\n")) {
		trimmed := bytes.TrimLeft(line, " ")
		if len(bytes.TrimSpace(line)) > 0 && len(line)-len(trimmed) <= indent {
			break
		}
		lines = append(lines, line[min(indent, len(line)-len(trimmed)):])
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(bytes.Join(lines, nil), &doc); err != nil {
		return nil, err
	}
	if len(doc.Content) == 0 {
		return nil, nil
	}
	return doc.Content[0], nil
}

// readInventory finds dataset.meta.inventory: in doc when the whole tree was parsed,
// else as an indented block of text. It is nil when the index has none or it cannot be
// read (the inventory is metadata: the dataset loads without it).
func readInventory(text []byte, doc *yaml.Node) *yaml.Node {
	if doc != nil && doc.Kind != 0 {
		return mapGet(mapGet(mapGet(docRoot(doc), "dataset"), "meta"), "inventory")
	}
	n, err := indentedBlock(text, inventoryLine)
	if err != nil || n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	return n
}

// readFileManager reads dataset.data (the file_manager) of a DKIST ASDF file. It parses
// only that block of the YAML tree when it can find it, since real indexes also hold
// tens of MB of header tables.
func readFileManager(ctx context.Context, path string) (*fileManager, error) {
	text, err := readASDFTree(ctx, path)
	if err != nil {
		return nil, err
	}
	block, err := indentedBlock(text, fileManagerLine)
	if err != nil {
		return nil, obj.Errorf(obj.ValueError, "%s: cannot read the file_manager block: %v", path, err)
	}
	var doc yaml.Node
	if block == nil {
		if err := yaml.Unmarshal(text, &doc); err != nil {
			return nil, obj.Errorf(obj.ValueError, "%s: not a readable ASDF (YAML) file: %v", path, err)
		}
		block = mapGet(mapGet(docRoot(&doc), "dataset"), "data")
	}
	if block == nil || block.Kind != yaml.MappingNode {
		return nil, obj.Errorf(obj.ValueError, "%s: no dataset.data file_manager in this ASDF file", path)
	}
	fm, err := parseFileManager(path, block)
	if err != nil {
		return nil, err
	}
	fm.inventory = readInventory(text, &doc)
	return fm, nil
}

// parseFileManager reads a file_manager node of the ASDF index at path.
func parseFileManager(path string, block *yaml.Node) (*fileManager, error) {
	var err error
	fm := &fileManager{}
	uris := mapGet(block, "fileuris")
	if uris == nil {
		return nil, obj.Errorf(obj.ValueError, "%s: the file_manager has no fileuris", path)
	}
	fm.gridShape, err = nestedShape(uris)
	if err != nil {
		return nil, obj.Errorf(obj.ValueError, "%s: fileuris: %v", path, err)
	}
	flattenStrings(uris, &fm.uris)
	if n := mapGet(block, "shape"); n != nil {
		if err := n.Decode(&fm.shape); err != nil {
			return nil, obj.Errorf(obj.ValueError, "%s: file_manager shape: %v", path, err)
		}
	}
	if n := mapGet(block, "target"); n != nil {
		_ = n.Decode(&fm.target)
	}
	if n := mapGet(block, "datatype"); n != nil {
		_ = n.Decode(&fm.datatype)
	}
	if len(fm.shape) == 0 || len(fm.uris) == 0 {
		return nil, obj.Errorf(obj.ValueError, "%s: the file_manager lists no files or no file shape", path)
	}
	if n, ok := checkedProduct(fm.shape); !ok || n == 0 {
		return nil, obj.Errorf(obj.ValueError, "%s: the file_manager's file shape %s is not a usable array shape", path, lazy.ShapeString(fm.shape))
	}
	if n, ok := checkedProduct(fm.gridShape); !ok || n != len(fm.uris) {
		return nil, obj.Errorf(obj.ValueError, "%s: the file_manager's fileuris of shape %s list %d files", path, lazy.ShapeString(fm.gridShape), len(fm.uris))
	}
	return fm, nil
}

// MaxASDFTree is the most bytes of an ASDF index's YAML tree the loader reads (after
// decompression): a real index's tree is a few MB (10^6 files would list ~50 MB of
// names), and a small .asdf.gz could otherwise inflate to fill the memory.
var MaxASDFTree int64 = 256 << 20

// readASDFTree reads the YAML tree of an ASDF file (gzip-compressed when its name ends in
// .gz), up to the document end marker or the first binary block, refusing what is not a
// regular file (opening a named pipe would block for ever), stopping at maxASDFTree bytes
// and when ctx is cancelled.
func readASDFTree(ctx context.Context, path string) ([]byte, error) {
	st, err := os.Stat(path)
	if err == nil && !st.Mode().IsRegular() {
		return nil, obj.Errorf(obj.ValueError, "%s: the ASDF index is not a regular file (%s)", path, fits.FileKind(st.Mode()))
	}
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrPermission) {
			return nil, lazy.PermissionDenied(path, "cannot read the dataset's ASDF index", err)
		}
		return nil, &obj.Error{Class: obj.FileNotFoundError, Msg: err.Error(), Err: err}
	}
	defer f.Close()
	var r io.Reader = &contextReader{ctx: ctx, r: f}
	compressed := strings.HasSuffix(strings.ToLower(path), ".gz")
	if compressed {
		zr, err := gzip.NewReader(r)
		if err != nil {
			return nil, readASDFError(ctx, path, "not a gzip file", err)
		}
		defer zr.Close()
		r = zr
	}
	var text []byte
	buf := make([]byte, 1<<20)
	for {
		n, err := r.Read(buf)
		from := max(0, len(text)-len("\n...\n"))
		text = append(text, buf[:n]...)
		end := yamlEnd(text[from:])
		if end >= 0 {
			text = text[:from+end]
		}
		// YAML is text: a NUL byte before the tree's end means the file is not an
		// ASDF index (a run of zeros inflates fastest), whatever follows.
		if i := bytes.IndexByte(text[from:], 0); i >= 0 {
			return nil, obj.Errorf(obj.ValueError, "%s: a NUL byte at byte %d, inside what should be the YAML tree of an ASDF index", path, from+i).
				WithHint("the file is damaged or not a DKIST ASDF index; move it away to load the FITS files by their DINDEX keys")
		}
		if end >= 0 {
			return text, nil
		}
		if int64(len(text)) > MaxASDFTree {
			what := "its YAML tree is"
			if compressed {
				what = "it decompresses to"
			}
			return nil, obj.Errorf(obj.ValueError, "%s: %s more than %s, the most the loader reads of an ASDF index", path, what, memlimit.HumanBytes(MaxASDFTree)).
				WithHint("the file is damaged or not a DKIST ASDF index; move it away to load the FITS files by their DINDEX keys")
		}
		if err == io.EOF {
			return text, nil
		}
		if err != nil {
			return nil, readASDFError(ctx, path, "cannot read", err)
		}
	}
}

// yamlEnd finds where an ASDF file's YAML tree ends in text (after the newline of the
// document end marker, or at the first binary block), or -1.
func yamlEnd(text []byte) int {
	end := -1
	if i := bytes.Index(text, []byte("\n...\n")); i >= 0 {
		end = i + 1
	}
	if i := bytes.Index(text, []byte("\xd3BLK")); i >= 0 && (end < 0 || i < end) {
		end = i
	}
	return end
}

// readASDFError is the error of a failed read of an ASDF index: Interrupted when ctx was
// cancelled, else what went wrong.
func readASDFError(ctx context.Context, path, what string, err error) error {
	if ctx.Err() != nil {
		return loadInterrupted("reading the ASDF index " + path)
	}
	return obj.Errorf(obj.ValueError, "%s: %s: %v", path, what, err)
}

// contextReader stops reading once ctx is cancelled, so that an interrupted load does
// not leave a goroutine inflating a file behind.
type contextReader struct {
	ctx context.Context
	r   io.Reader
}

func docRoot(doc *yaml.Node) *yaml.Node {
	if doc.Kind == yaml.DocumentNode && len(doc.Content) > 0 {
		return doc.Content[0]
	}
	return doc
}

// mapGet finds key in a YAML mapping node.
func mapGet(n *yaml.Node, key string) *yaml.Node {
	if n == nil {
		return nil
	}
	if n.Kind == yaml.DocumentNode {
		n = docRoot(n)
	}
	if n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// nestedShape gives the shape of a nested YAML sequence (a scalar has shape ()).
func nestedShape(n *yaml.Node) ([]int, error) {
	if n.Kind != yaml.SequenceNode {
		return nil, nil
	}
	if len(n.Content) == 0 {
		return []int{0}, nil
	}
	inner, err := nestedShape(n.Content[0])
	if err != nil {
		return nil, err
	}
	for _, c := range n.Content[1:] {
		s, err := nestedShape(c)
		if err != nil {
			return nil, err
		}
		if !lazy.SameShape(s, inner) {
			return nil, fmt.Errorf("ragged nested list: %s and %s", lazy.ShapeString(inner), lazy.ShapeString(s))
		}
	}
	return append([]int{len(n.Content)}, inner...), nil
}

func flattenStrings(n *yaml.Node, out *[]string) {
	if n.Kind == yaml.SequenceNode {
		for _, c := range n.Content {
			flattenStrings(c, out)
		}
		return
	}
	*out = append(*out, n.Value)
}

func (c *contextReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// yamlValue turns a YAML node into a plain Go value: a *Record (mapping), an []any
// (sequence), a string, an int, a float64, a bool or nil. Tagged nodes (times, quantities) keep their text;
// nesting deeper than 32 is cut off as None.
func yamlValue(n *yaml.Node, depth int) any {
	if n == nil || depth > 32 {
		return nil
	}
	switch n.Kind {
	case yaml.DocumentNode:
		return yamlValue(docRoot(n), depth)
	case yaml.AliasNode:
		return yamlValue(n.Alias, depth+1)
	case yaml.MappingNode:
		m := &Record{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			m.Add(n.Content[i].Value, yamlValue(n.Content[i+1], depth+1))
		}
		return m
	case yaml.SequenceNode:
		out := make([]any, len(n.Content))
		for i, c := range n.Content {
			out[i] = yamlValue(c, depth+1)
		}
		return out
	}
	switch n.ShortTag() {
	case "!!int":
		var v int
		if n.Decode(&v) == nil {
			return v
		}
	case "!!float":
		var v float64
		if n.Decode(&v) == nil {
			return v
		}
	case "!!bool":
		var v bool
		if n.Decode(&v) == nil {
			return v
		}
	case "!!null":
		return nil
	}
	return n.Value
}
