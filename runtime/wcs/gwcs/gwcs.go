package gwcs

import (
	"fmt"
	"strings"

	"gokist/runtime/wcs/asdf"
	"gopkg.in/yaml.v3"
)

// GWCS is one gwcs/wcs node of an ASDF tree: its steps, the pixel-to-world transform
// they make, and (from the last step's frame) what the world outputs are.
type GWCS struct {
	f     *asdf.File
	path  string       // the file, for errors
	steps *yaml.Node   // the steps sequence
	nodes []*yaml.Node // the steps' transforms, in order (the last step has none)
}

// Find opens the dataset's gwcs in the ASDF tree: node when it is not nil (a tile of a
// tiled index), else the tree's dataset.wcs, else the first gwcs found. path names the
// file in errors.
func Find(f *asdf.File, node *yaml.Node, path string) (*GWCS, error) {
	g := node
	if g == nil {
		g = asdf.MapGet(asdf.MapGet(f.Root(), "dataset"), "wcs")
	}
	if g == nil || asdf.TagName(g) != "gwcs/wcs" {
		g = asdf.FindTag(f.Root(), "gwcs/wcs", 0)
	}
	if g == nil {
		return nil, fmt.Errorf("%s: no gwcs in the ASDF tree", path)
	}
	steps := asdf.MapGet(g, "steps")
	if steps == nil || steps.Kind != yaml.SequenceNode || len(steps.Content) < 2 {
		return nil, fmt.Errorf("%s: the gwcs has no steps", path)
	}
	out := &GWCS{f: f, path: path, steps: steps}
	for _, s := range steps.Content[:len(steps.Content)-1] {
		t := asdf.MapGet(s, "transform")
		if t == nil || t.Tag == "!!null" {
			return nil, fmt.Errorf("%s: a gwcs step (line %d) has no transform", path, s.Line)
		}
		out.nodes = append(out.nodes, t)
	}
	return out, nil
}

// Build composes the steps' transforms into a new model tree (each evaluator's scratch
// holds its own: models carry buffers); withUnits says whether they carry units, so that
// the outputs are in the wcsunit base units (m, deg, s) rather than the frame's.
func (g *GWCS) Build() (m Model, withUnits bool, err error) {
	b := &transformBuilder{f: g.f}
	for _, n := range g.nodes {
		p, err := b.build(n, 0)
		if err != nil {
			return nil, false, err
		}
		if m == nil {
			m = p
			continue
		}
		if m.NOut() != p.NIn() {
			return nil, false, fmt.Errorf("gwcs steps: %d outputs feed %d inputs", m.NOut(), p.NIn())
		}
		m = &composeModel{a: m, b: p, buf: make([]float64, m.NOut())}
	}
	return m, b.hasUnits, nil
}

// InputNames gives the input frame's axes_names (in WCS order, the reverse of numpy's),
// nil when it has none.
func (g *GWCS) InputNames() []string {
	var names []string
	if v := asdf.MapGet(asdf.MapGet(g.steps.Content[0], "frame"), "axes_names"); v != nil {
		_ = v.Decode(&names)
	}
	return names
}

// Tiles lists the gwcs nodes of the datasets of a tiled index (dkist's tiled_dataset:
// a grid of datasets, each with its own gwcs), flattened row-major; an entry is nil when
// that dataset has no gwcs, and the list is empty when the tree is not a tiled index.
func Tiles(f *asdf.File) []*yaml.Node {
	tiles := tileDatasets(asdf.MapGet(f.Root(), "dataset"))
	out := make([]*yaml.Node, len(tiles))
	for i, t := range tiles {
		out[i] = asdf.MapGet(t, "wcs")
	}
	return out
}

// tileDatasets lists the dataset nodes of a tiled_dataset node, flattened row-major.
func tileDatasets(n *yaml.Node) []*yaml.Node {
	if n == nil || !strings.Contains(n.Tag, "tiled_dataset") {
		return nil
	}
	var out []*yaml.Node
	var walk func(n *yaml.Node, depth int)
	walk = func(n *yaml.Node, depth int) {
		for n != nil && n.Kind == yaml.AliasNode {
			n = n.Alias
		}
		switch {
		case n == nil || depth > 8:
		case n.Kind == yaml.SequenceNode:
			for _, c := range n.Content {
				walk(c, depth+1)
			}
		case n.Kind == yaml.MappingNode:
			out = append(out, n)
		}
	}
	walk(asdf.MapGet(n, "datasets"), 0)
	return out
}
