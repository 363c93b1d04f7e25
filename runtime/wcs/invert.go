package wcs

import (
	"math"

	"gokist/obj"
	"gokist/runtime/wcs/internal/wcsmath"
)

// WorldToPixelValues is the low-level inverse: one number per kept world axis (as
// PixelToWorldValues gives them) → pixel coordinates in WCS order. It minimises the
// scaled world residual by Gauss–Newton with Levenberg damping, starting at the array's
// centre.
func (w *WCS) WorldToPixelValues(target []float64) ([]float64, error) {
	np := len(w.shape)
	nk := len(w.worldKeep)
	if len(target) != nk {
		return nil, obj.Errorf(obj.TypeError, "world_to_pixel() takes %d world values, got %d", nk, len(target))
	}
	if np == 0 {
		return nil, nil
	}
	sc := w.sys.getScratch()
	defer w.sys.putScratch(sc)
	s := newInverseSolver(w, target, sc)
	if err := w.seedStepAxes(s.p, target, s.f0, sc); err != nil {
		return nil, err
	}
	if err := w.lowLevel(s.p, s.f0, sc); err != nil {
		return nil, err
	}
	for iter := 0; iter < 100; iter++ {
		if err := s.jacobian(); err != nil {
			return nil, err
		}
		if iter == 0 {
			s.setScale()
		}
		cost := s.residual(s.f0)
		if cost < 1e-26 {
			break
		}
		s.normalEquations()
		improved, done, err := s.dampedStep(cost)
		if err != nil {
			return nil, err
		}
		if done {
			return s.p, nil
		}
		if !improved {
			break
		}
	}
	return s.p, nil
}

// inverseSolver holds the state of one WorldToPixelValues solve: the pixel estimate p
// (WCS order), the world values f0 there, the finite-difference Jacobian, each world
// axis's scale (the norm of its Jacobian row at the start) and the damped normal
// equations ata·δ = atb.
type inverseSolver struct {
	w           *WCS
	sc          *scratch
	target      []float64
	np, nk      int
	p, trial    []float64
	f0, f1, res []float64
	jac, scale  []float64
	ata, atb    []float64
	lambda      float64
}

// inverseStep is the finite-difference step, in pixels.
const inverseStep = 1e-3

func newInverseSolver(w *WCS, target []float64, sc *scratch) inverseSolver {
	np, nk := len(w.shape), len(w.worldKeep)
	s := inverseSolver{w: w, sc: sc, target: target, np: np, nk: nk, lambda: 1e-6,
		p: make([]float64, np), trial: make([]float64, np),
		f0: make([]float64, nk), f1: make([]float64, nk), res: make([]float64, nk),
		jac: make([]float64, nk*np), scale: make([]float64, nk),
		ata: make([]float64, np*np), atb: make([]float64, np)}
	for i := range s.p {
		s.p[i] = float64(w.shape[np-1-i]-1) / 2
	}
	return s
}

// period gives kept world axis k's wrap period (0: none).
func (s *inverseSolver) period(k int) float64 {
	return s.w.sys.world[s.w.worldKeep[k]].period
}

// residual stores target − f (wrapped for periodic axes) in res and returns the scaled
// squared residual.
func (s *inverseSolver) residual(f []float64) float64 {
	sum := 0.0
	for k := range f {
		r := s.target[k] - f[k]
		if per := s.period(k); per > 0 {
			r = math.Remainder(r, per)
		}
		s.res[k] = r
		if s.scale[k] > 0 {
			sum += (r / s.scale[k]) * (r / s.scale[k])
		}
	}
	return sum
}

// jacobian fills jac by forward differences at p (backward where the forward point is
// past the end of a lookup table).
func (s *inverseSolver) jacobian() error {
	const h = inverseStep
	np, p := s.np, s.p
	for j := 0; j < np; j++ {
		old := p[j]
		step := h
		p[j] = old + step
		if err := s.w.lowLevel(p, s.f1, s.sc); err != nil {
			return err
		}
		if hasNaN(s.f1) { // past the end of a lookup table: look the other way
			step = -h
			p[j] = old + step
			if err := s.w.lowLevel(p, s.f1, s.sc); err != nil {
				return err
			}
		}
		p[j] = old
		for k := 0; k < s.nk; k++ {
			d := (s.f1[k] - s.f0[k]) * (h / step)
			if per := s.period(k); per > 0 {
				d = math.Remainder(d, per)
			}
			s.jac[k*np+j] = d / h
		}
	}
	return nil
}

// setScale takes each world axis's scale from its Jacobian row, so that axes in
// different units weigh alike.
func (s *inverseSolver) setScale() {
	for k := 0; k < s.nk; k++ {
		sum := 0.0
		for j := 0; j < s.np; j++ {
			sum += s.jac[k*s.np+j] * s.jac[k*s.np+j]
		}
		s.scale[k] = math.Sqrt(sum)
	}
}

// normalEquations forms ata = Jᵀ W J and atb = Jᵀ W res with W the inverse squared
// scales.
func (s *inverseSolver) normalEquations() {
	np := s.np
	for a := 0; a < np; a++ {
		s.atb[a] = 0
		for b := 0; b < np; b++ {
			s.ata[a*np+b] = 0
		}
	}
	for k := 0; k < s.nk; k++ {
		if s.scale[k] == 0 {
			continue
		}
		wk := 1 / (s.scale[k] * s.scale[k])
		for a := 0; a < np; a++ {
			ja := s.jac[k*np+a]
			if ja == 0 {
				continue
			}
			s.atb[a] += wk * ja * s.res[k]
			for b := 0; b < np; b++ {
				s.ata[a*np+b] += wk * ja * s.jac[k*np+b]
			}
		}
	}
}

// dampedStep tries Levenberg-damped steps, raising the damping until one lowers the
// cost (improved) and moving p there; done says that step was negligible.
func (s *inverseSolver) dampedStep(cost float64) (improved, done bool, err error) {
	np, p := s.np, s.p
	for try := 0; try < 20; try++ {
		m := append([]float64(nil), s.ata...)
		for a := 0; a < np; a++ {
			if m[a*np+a] == 0 {
				m[a*np+a] = 1 // no world value moves with this pixel: leave it be
			}
			m[a*np+a] += s.lambda * m[a*np+a]
		}
		delta, err := solveLinear(m, s.atb, np)
		if err != nil {
			s.lambda *= 10
			continue
		}
		for a := range p {
			s.trial[a] = p[a] + delta[a]
		}
		if err := s.w.lowLevel(s.trial, s.f1, s.sc); err != nil {
			return false, false, err
		}
		if c := s.residual(s.f1); c <= cost {
			copy(p, s.trial)
			copy(s.f0, s.f1)
			s.lambda = math.Max(s.lambda/10, 1e-12)
			return true, negligible(delta, p), nil
		}
		s.lambda *= 10
	}
	return false, false, nil
}

// negligible says whether every component of step delta is below 1e-12 relative to p.
func negligible(delta, p []float64) bool {
	for a := range delta {
		if math.Abs(delta[a]) > 1e-12*(1+math.Abs(p[a])) {
			return false
		}
	}
	return true
}

func hasNaN(v []float64) bool {
	for _, x := range v {
		if math.IsNaN(x) {
			return true
		}
	}
	return false
}

// seedStepAxes starts the inverse at the right integer pixel for Stokes axes, whose
// value may be a step function of the pixel (nearest-neighbour lookup tables) that
// derivatives cannot follow: each Stokes world axis that depends on one pixel axis only
// gets the pixel whose value matches.
func (w *WCS) seedStepAxes(p, target, buf []float64, sc *scratch) error {
	np := len(w.shape)
	for i, b := range w.worldKeep {
		if w.sys.world[b].kind != kindStokes {
			continue
		}
		axis := -1
		for j, k := range w.viewBase {
			if w.sys.corr[b][k] {
				if axis >= 0 {
					axis = -2
					break
				}
				axis = np - 1 - j
			}
		}
		if axis < 0 {
			continue
		}
		n := w.shape[np-1-axis]
		orig := p[axis]
		found := false
		for c := 0; c < n && c < 1<<16; c++ {
			p[axis] = float64(c)
			if err := w.lowLevel(p, buf, sc); err != nil {
				return err
			}
			if buf[i] == target[i] {
				found = true
				break
			}
		}
		if !found {
			p[axis] = orig
		}
	}
	return nil
}

// solveLinear solves the n×n system m·x = b (m row-major; m is overwritten).
func solveLinear(m, b []float64, n int) ([]float64, error) {
	inv, err := wcsmath.Invert(m, n)
	if err != nil {
		return nil, err
	}
	x := make([]float64, n)
	for i := 0; i < n; i++ {
		s := 0.0
		for j := 0; j < n; j++ {
			s += inv[i*n+j] * b[j]
		}
		x[i] = s
	}
	return x, nil
}
