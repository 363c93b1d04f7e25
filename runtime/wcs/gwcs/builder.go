package gwcs

import (
	"fmt"

	"gokist/runtime/wcs/asdf"
	"gokist/runtime/wcs/internal/wcsmath"
	"gopkg.in/yaml.v3"
)

// transformBuilder turns gwcs transform nodes into models, and records whether any
// parameter carried units.
type transformBuilder struct {
	f        *asdf.File
	hasUnits bool
}

func (b *transformBuilder) scalarParam(n *yaml.Node, key string) (float64, error) {
	v, _, hu, err := b.f.Quantity(asdf.MapGet(n, key))
	if err != nil {
		return 0, fmt.Errorf("%s %s (line %d): %w", asdf.TagName(n), key, n.Line, err)
	}
	if len(v) != 1 {
		return 0, fmt.Errorf("%s %s (line %d): expected one number, got %d", asdf.TagName(n), key, n.Line, len(v))
	}
	b.hasUnits = b.hasUnits || hu
	return v[0], nil
}

func (b *transformBuilder) build(n *yaml.Node, depth int) (Model, error) {
	if depth > 100 {
		return nil, fmt.Errorf("transform tree nested too deeply")
	}
	switch tag := asdf.TagName(n); tag {
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
		if d := asdf.MapGet(n, "direction"); d != nil && d.Value != "pix2sky" {
			return nil, fmt.Errorf("gnomonic (line %d): direction %q is not supported", n.Line, d.Value)
		}
		return gnomonicModel{}, nil
	case "transform/rotate3d":
		return b.rotate3d(n)
	case "transform/identity":
		nd := 1
		if v := asdf.MapGet(n, "n_dims"); v != nil {
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
func (b *transformBuilder) children(n *yaml.Node, tag string, depth int) ([]Model, error) {
	fw := asdf.MapGet(n, "forward")
	if fw == nil || fw.Kind != yaml.SequenceNode || len(fw.Content) == 0 {
		return nil, fmt.Errorf("%s (line %d) has no forward list", tag, n.Line)
	}
	var out []Model
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
func composeParts(n *yaml.Node, parts []Model) (Model, error) {
	m := parts[0]
	for _, p := range parts[1:] {
		if m.NOut() != p.NIn() {
			return nil, fmt.Errorf("compose (line %d): %d outputs feed %d inputs", n.Line, m.NOut(), p.NIn())
		}
		m = &composeModel{a: m, b: p, buf: make([]float64, m.NOut())}
	}
	return m, nil
}

// remapOf is a remap of inputs by the mapping under key, over at least as many inputs
// as it uses (more when nInputsKey says so).
func remapOf(n *yaml.Node, name, key, nInputsKey string) (Model, error) {
	var mapping []int
	if err := asdf.Decode(asdf.MapGet(n, key), &mapping); err != nil {
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
	if v := asdf.MapGet(n, nInputsKey); v != nil {
		var ni int
		if err := v.Decode(&ni); err == nil && ni >= nin {
			nin = ni
		}
	}
	return &remapModel{mapping: mapping, n: nin}, nil
}

// scalar builds the one-input models of scalar parameters: linear1d, shift, scale
// (and multiplyscale), constant.
func (b *transformBuilder) scalar(n *yaml.Node, tag string) (Model, error) {
	switch tag {
	case "transform/linear1d":
		slope, err := b.scalarParam(n, "slope")
		if err != nil {
			return nil, err
		}
		intercept := 0.0
		if asdf.MapGet(n, "intercept") != nil {
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
func (b *transformBuilder) affine(n *yaml.Node) (Model, error) {
	mat, shape, hu, err := b.f.Quantity(asdf.MapGet(n, "matrix"))
	if err != nil {
		return nil, fmt.Errorf("affine (line %d) matrix: %w", n.Line, err)
	}
	if hu {
		// astropy multiplies by the matrix's numbers; its unit only has to match the
		// translation's, so undo the conversion to canonical units.
		mat, _, _ = b.f.Numbers(asdf.MapGet(asdf.MapGet(n, "matrix"), "value"))
	}
	tr, _, hu2, err := b.f.Quantity(asdf.MapGet(n, "translation"))
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
func (b *transformBuilder) rotate3d(n *yaml.Node) (Model, error) {
	if d := asdf.MapGet(n, "direction"); d == nil || d.Value != "native2celestial" {
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
func coupledOf(n *yaml.Node, parts []Model) (Model, error) {
	if len(parts) != 2 {
		return nil, fmt.Errorf("coupled_compound_model (line %d) has %d parts, not 2", n.Line, len(parts))
	}
	shared := 0
	if v := asdf.MapGet(n, "shared_inputs"); v != nil {
		if err := v.Decode(&shared); err != nil {
			return nil, fmt.Errorf("coupled_compound_model (line %d): shared_inputs: %w", n.Line, err)
		}
	}
	if shared < 0 || shared > parts[0].NIn() || shared > parts[1].NIn() {
		return nil, fmt.Errorf("coupled_compound_model (line %d): shared_inputs %d does not fit", n.Line, shared)
	}
	return &coupledModel{left: parts[0], right: parts[1], shared: shared}, nil
}
