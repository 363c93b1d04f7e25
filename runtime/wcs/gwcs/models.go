package gwcs

import (
	"math"

	"gokist/runtime/wcs/internal/wcsmath"
)

// Model is one evaluated gwcs transform. Eval reads NIn inputs and writes NOut outputs;
// in and out never alias. Models carry their own buffers, so a built tree serves one
// goroutine at a time (each scratch has its own).
type Model interface {
	NIn() int               // how many inputs Eval reads
	NOut() int              // how many outputs Eval writes
	Eval(in, out []float64) // in has NIn values, out NOut; they never alias
}

type composeModel struct {
	a, b Model
	buf  []float64
}

func (m *composeModel) NIn() int  { return m.a.NIn() }
func (m *composeModel) NOut() int { return m.b.NOut() }
func (m *composeModel) Eval(in, out []float64) {
	m.a.Eval(in, m.buf)
	m.b.Eval(m.buf, out)
}

type concatModel struct{ parts []Model }

func (m *concatModel) NIn() int {
	n := 0
	for _, p := range m.parts {
		n += p.NIn()
	}
	return n
}
func (m *concatModel) NOut() int {
	n := 0
	for _, p := range m.parts {
		n += p.NOut()
	}
	return n
}
func (m *concatModel) Eval(in, out []float64) {
	i, o := 0, 0
	for _, p := range m.parts {
		p.Eval(in[i:i+p.NIn()], out[o:o+p.NOut()])
		i += p.NIn()
		o += p.NOut()
	}
}

type remapModel struct {
	mapping []int
	n       int
}

func (m *remapModel) NIn() int  { return m.n }
func (m *remapModel) NOut() int { return len(m.mapping) }
func (m *remapModel) Eval(in, out []float64) {
	for i, k := range m.mapping {
		out[i] = in[k]
	}
}

// linearModel is out = in·slope + intercept (linear1d, shift, scale, multiplyscale).
type linearModel struct{ slope, intercept float64 }

func (m *linearModel) NIn() int  { return 1 }
func (m *linearModel) NOut() int { return 1 }
func (m *linearModel) Eval(in, out []float64) {
	out[0] = in[0]*m.slope + m.intercept
}

type affineModel struct {
	n           int
	matrix, tra []float64
}

func (m *affineModel) NIn() int  { return m.n }
func (m *affineModel) NOut() int { return m.n }
func (m *affineModel) Eval(in, out []float64) {
	for i := 0; i < m.n; i++ {
		s := m.tra[i]
		for j := 0; j < m.n; j++ {
			s += m.matrix[i*m.n+j] * in[j]
		}
		out[i] = s
	}
}

type identityModel struct{ n int }

func (m *identityModel) NIn() int               { return m.n }
func (m *identityModel) NOut() int              { return m.n }
func (m *identityModel) Eval(in, out []float64) { copy(out, in[:m.n]) }

type constantModel struct{ value float64 }

func (m *constantModel) NIn() int               { return 1 }
func (m *constantModel) NOut() int              { return 1 }
func (m *constantModel) Eval(in, out []float64) { out[0] = m.value }

// gnomonicModel is the TAN deprojection (x, y) in degrees → native (phi, theta).
type gnomonicModel struct{}

func (gnomonicModel) NIn() int  { return 2 }
func (gnomonicModel) NOut() int { return 2 }
func (gnomonicModel) Eval(in, out []float64) {
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

func (rotateModel) NIn() int  { return 2 }
func (rotateModel) NOut() int { return 2 }
func (m *rotateModel) Eval(in, out []float64) {
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
