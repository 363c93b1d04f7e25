package sample

import (
	"math"
	"math/rand/v2"
)

// The physical model: a quiet-Sun scene seen through the VISP slit at 630 nm.
//
// Over the raster (x) and slit (y) plane a granulation field g(x, y) (a sum of plane
// waves of one length scale in random directions) sets the continuum: its zero contours
// form a closed network of narrow dark intergranular lanes around bright cells about
// 1.4" across. It also sets the Doppler shift (granules blue-shifted) and the line
// strength. A larger-scale polarity field and the intergranular lanes set the
// line-of-sight magnetic field, which makes Stokes V proportional to the wavelength
// derivative of the Zeeman-sensitive lines (antisymmetric about each line centre); the
// transverse field makes weaker, symmetric Q and U from the second derivative.
// Telluric O2 lines are narrow, unshifted and unpolarised. Noise is Gaussian.

// spectralLine is one absorption line of the model.
type spectralLine struct {
	name       string
	wavelength float64 // nm, in air
	depth      float64 // central depth as a fraction of the continuum
	width      float64 // Gaussian sigma in nm
	lande      float64 // effective Landé factor; 0 for telluric lines
	telluric   bool
}

// Line wavelengths are the standard air values of the 630 nm Fe I pair and the two
// telluric O2 lines next to them.
const (
	FeI6301 = 630.1501 // nm
	FeI6302 = 630.2494 // nm: the deepest line, whose core is a pixel centre
	O2Line1 = 630.2005 // nm
	O2Line2 = 630.2764 // nm
)

var modelLines = []spectralLine{
	{name: "Fe I 630.15", wavelength: FeI6301, depth: 0.60, width: 0.0045, lande: 1.67},
	{name: "Fe I 630.25", wavelength: FeI6302, depth: 0.72, width: 0.0042, lande: 2.5},
	{name: "O2 630.20", wavelength: O2Line1, depth: 0.32, width: 0.0011, telluric: true},
	{name: "O2 630.28", wavelength: O2Line2, depth: 0.28, width: 0.0011, telluric: true},
}

// Amplitudes of the model, relative to the continuum.
const (
	continuumContrast = 0.07   // granulation rms-like contrast
	dopplerPixels     = 0.25   // largest Doppler shift, in pixels of the 0.001625 nm grid
	strengthVariation = 0.05   // line strength change from granules to lanes
	stokesVAmplitude  = 0.03   // peak |V|/Ic in the strongest field
	stokesQUAmplitude = 0.006  // peak |Q|,|U|/Ic
	noiseSigma        = 0.0012 // Gaussian noise, relative to the continuum
)

// lineShape is a Gaussian core with weak Lorentzian wings, as a function of u =
// (λ-λ0)/σ, and its first and second derivatives with respect to u.
func lineShape(u float64) (f, d1, d2 float64) {
	const core, wing, a = 0.85, 0.15, 4.0
	g := math.Exp(-u * u / 2)
	l := 1 / (1 + u*u/a)
	f = core*g + wing*l
	d1 = core*(-u*g) + wing*(-2*u/a*l*l)
	d2 = core*((u*u-1)*g) + wing*(-2/a*l*l+8*u*u/(a*a)*l*l*l)
	return
}

// spectralProfiles holds per-wavelength-pixel functions of the model, computed once.
type spectralProfiles struct {
	absorption []float64 // Σ depth·φ of the solar lines
	slope      []float64 // d(absorption)/dλ, per nm
	zeemanV    []float64 // Σ depth·g·φ' normalised to peak 1: the shape of Stokes V
	zeemanQU   []float64 // Σ depth·g²·φ'' normalised to peak 1: the shape of Q and U
	telluric   []float64 // transmission of the telluric lines
}

func newSpectralProfiles(wavelengths []float64) spectralProfiles {
	n := len(wavelengths)
	p := spectralProfiles{
		absorption: make([]float64, n), slope: make([]float64, n),
		zeemanV: make([]float64, n), zeemanQU: make([]float64, n), telluric: make([]float64, n),
	}
	var peakV, peakQU float64
	for i, lambda := range wavelengths {
		p.telluric[i] = 1
		for _, l := range modelLines {
			f, d1, d2 := lineShape((lambda - l.wavelength) / l.width)
			if l.telluric {
				p.telluric[i] *= 1 - l.depth*f
				continue
			}
			p.absorption[i] += l.depth * f
			p.slope[i] += l.depth * d1 / l.width
			p.zeemanV[i] += l.depth * l.lande * d1
			p.zeemanQU[i] += l.depth * l.lande * l.lande * d2
		}
		peakV = max(peakV, math.Abs(p.zeemanV[i]))
		peakQU = max(peakQU, math.Abs(p.zeemanQU[i]))
	}
	for i := range n {
		if peakV > 0 {
			p.zeemanV[i] /= peakV
		}
		if peakQU > 0 {
			p.zeemanQU[i] /= peakQU
		}
	}
	return p
}

// waveField is a random field on the sky: a sum of plane waves.
type waveField struct {
	kx, ky, phase []float64
	norm          float64
}

// newWaveField draws n plane waves of wavelength about scale arcsec in random directions.
func newWaveField(rng *rand.Rand, n int, scale float64) waveField {
	f := waveField{norm: math.Sqrt(2 / float64(n))}
	for range n {
		k := 2 * math.Pi / (scale * (0.8 + 0.4*rng.Float64()))
		angle := 2 * math.Pi * rng.Float64()
		f.kx = append(f.kx, k*math.Cos(angle))
		f.ky = append(f.ky, k*math.Sin(angle))
		f.phase = append(f.phase, 2*math.Pi*rng.Float64())
	}
	return f
}

// at returns the field, of zero mean and unit variance, at (x, y) arcsec.
func (f waveField) at(x, y float64) float64 {
	var s float64
	for i := range f.kx {
		s += math.Cos(f.kx[i]*x + f.ky[i]*y + f.phase[i])
	}
	return s * f.norm
}

// scene holds the random fields of one dataset; it depends only on the seed.
type scene struct {
	granulation, mesogranulation, polarity, azimuth waveField
}

func newScene(seed int64) scene {
	rng := rand.New(rand.NewPCG(uint64(seed), 0x5eed_5017))
	return scene{
		granulation:     newWaveField(rng, 16, 2.8),
		mesogranulation: newWaveField(rng, 8, 6.0),
		polarity:        newWaveField(rng, 8, 4.0),
		azimuth:         newWaveField(rng, 6, 3.0),
	}
}

// surface is the state of the Sun at one point of the scene.
type surface struct {
	continuum float64 // relative to the mean quiet Sun
	shift     float64 // Doppler shift in nm (negative: towards the observer)
	strength  float64 // line strength factor
	fieldLOS  float64 // line-of-sight field, -1..1
	fieldQ    float64 // transverse field terms, -1..1
	fieldU    float64
}

func (s scene) at(x, y float64) surface {
	g := s.granulation.at(x, y)
	meso := s.mesogranulation.at(x, y)
	// The zero contours of the field form a closed network: they are the dark
	// intergranular lanes, and the cells between them the bright granules.
	lane := math.Exp(-(g / 0.35) * (g / 0.35))
	bright := math.Max(-1, math.Min(1, 0.7*math.Tanh(math.Abs(g))+0.3-1.6*lane))
	polarity := math.Tanh(2 * s.polarity.at(x, y))
	chi := s.azimuth.at(x, y)
	concentration := lane * lane
	transverse := math.Min(1, 0.8*concentration)
	return surface{
		continuum: 1 + continuumContrast*bright + 0.015*meso,
		shift:     -dopplerPixels * 0.001625 * bright,
		strength:  1 + strengthVariation*bright,
		fieldLOS:  math.Max(-1, math.Min(1, polarity*(0.1+0.9*concentration))),
		fieldQ:    transverse * math.Cos(2*chi),
		fieldU:    transverse * math.Sin(2*chi),
	}
}

// fillSpectra writes the Stokes parameter stokes (0..3 for I, Q, U, V) of one raster
// step into out, laid out [wavelength][slit], for the slit positions ys (arcsec) at
// raster position x (arcsec). rng supplies the noise.
func fillSpectra(out []float32, stokes int, sc scene, prof spectralProfiles, x float64, ys []float64, rng *rand.Rand) {
	nSlit := len(ys)
	points := make([]surface, nSlit)
	for j, y := range ys {
		points[j] = sc.at(x, y)
	}
	for w := range prof.absorption {
		row := out[w*nSlit : (w+1)*nSlit]
		a, slope, tell := prof.absorption[w], prof.slope[w], prof.telluric[w]
		zv, zqu := prof.zeemanV[w], prof.zeemanQU[w]
		for j := range row {
			p := &points[j]
			var v float64
			switch stokes {
			case 0:
				// A line shifted by δ: φ(λ-δ) ≈ φ(λ) - δ·φ'(λ).
				v = p.continuum * (1 - p.strength*(a-p.shift*slope)) * tell
				v += noiseSigma * math.Sqrt(max(v, 0)) * rng.NormFloat64()
			case 1:
				v = p.continuum*stokesQUAmplitude*p.fieldQ*zqu*tell + noiseSigma*rng.NormFloat64()
			case 2:
				v = p.continuum*stokesQUAmplitude*p.fieldU*zqu*tell + noiseSigma*rng.NormFloat64()
			case 3:
				v = p.continuum*stokesVAmplitude*p.fieldLOS*zv*tell + noiseSigma*rng.NormFloat64()
			}
			row[j] = float32(v)
		}
	}
}
