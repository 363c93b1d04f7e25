package fitswcs

import (
	"fmt"
	"math"
	"strings"
	"time"

	"gokist/runtime/wcs/internal/wcsmath"
	"gokist/runtime/wcs/wcsunit"
)

// HeaderReader gives typed access to FITS header cards; *fits.Header satisfies it.
// Each method reports whether the key is present with a value of that kind.
type HeaderReader interface {
	String(key string) (string, bool)
	Int(key string) (int64, bool)
	Float(key string) (float64, bool)
}

// maxFileAxes bounds WCSAXES/NAXIS so that a corrupt header cannot make us allocate much.
const maxFileAxes = 32

// FileWCS is one FITS file's primary world coordinate system.
type FileWCS struct {
	NAxis   int
	CType   []string
	CUnit   []string // canonical unit names ("" when absent)
	CRPix   []float64
	CRVal   []float64
	CDelt   []float64
	PC      [][]float64 // PC matrix, or the CD matrix with CDelt all 1
	LonPole float64

	m    []float64 // NAxis×NAxis row-major: CDELT_i·PC_ij, pixel offsets → intermediate
	minv []float64 // its inverse

	lon, lat int // 0-based indices of the celestial pair, -1 when there is none
	// angle unit factors (CUNIT → deg) of the celestial pair
	lonScale, latScale float64
	wrapLon            bool // helioprojective-like longitudes wrap to [-180, 180)
	// native pole position for the zenithal projection
	sinDP, cosDP, alphaP, phiP float64
	sinPhiP, cosPhiP           float64
	car                        bool // plate carrée (CAR) rather than gnomonic (TAN)
}

// celestialLon and celestialLat are the four-character CTYPE prefixes of celestial
// longitude and latitude axes.
var celestialLon = map[string]bool{"RA--": true, "GLON": true, "ELON": true, "HPLN": true, "HGLN": true, "CRLN": true, "SLON": true}
var celestialLat = map[string]bool{"DEC-": true, "GLAT": true, "ELAT": true, "HPLT": true, "HGLT": true, "CRLT": true, "SLAT": true}

func ctypePrefix(ct string) string {
	if len(ct) < 4 {
		return ct
	}
	return ct[:4]
}

// ctypeAlgorithm returns the projection/algorithm code after the '-' padding ("TAN").
func ctypeAlgorithm(ct string) string {
	if len(ct) <= 4 {
		return ""
	}
	return strings.TrimLeft(ct[4:], "-")
}

func headerFloat(h HeaderReader, key string) (float64, bool) {
	if v, ok := h.Float(key); ok {
		return v, true
	}
	if v, ok := h.Int(key); ok {
		return float64(v), true
	}
	return 0, false
}

// ParseFile reads the primary WCS of one FITS header. The number of axes is WCSAXES,
// else NAXIS. Missing keys take the defaults of FITS WCS Paper I (CRPIX 0, CRVAL 0,
// CDELT 1, PC identity).
func ParseFile(h HeaderReader) (*FileWCS, error) {
	n := 0
	if v, ok := h.Int("WCSAXES"); ok {
		n = int(v)
	} else if v, ok := h.Int("NAXIS"); ok {
		n = int(v)
	} else {
		return nil, fmt.Errorf("wcs: header has neither WCSAXES nor NAXIS")
	}
	if n < 1 || n > maxFileAxes {
		return nil, fmt.Errorf("wcs: WCSAXES/NAXIS = %d is out of range 1..%d", n, maxFileAxes)
	}
	f := &FileWCS{NAxis: n, lon: -1, lat: -1}
	f.CType = make([]string, n)
	f.CUnit = make([]string, n)
	f.CRPix = make([]float64, n)
	f.CRVal = make([]float64, n)
	f.CDelt = make([]float64, n)
	f.PC = make([][]float64, n)
	hasCD := false
	if _, ok := headerFloat(h, "CD1_1"); ok {
		hasCD = true
	}
	for i := 0; i < n; i++ {
		k := i + 1
		if s, ok := h.String(fmt.Sprintf("CTYPE%d", k)); ok {
			f.CType[i] = strings.TrimSpace(s)
		}
		if s, ok := h.String(fmt.Sprintf("CUNIT%d", k)); ok {
			f.CUnit[i] = wcsunit.Canonical(s)
		}
		f.CRPix[i], _ = headerFloat(h, fmt.Sprintf("CRPIX%d", k))
		f.CRVal[i], _ = headerFloat(h, fmt.Sprintf("CRVAL%d", k))
		f.CDelt[i] = 1
		if v, ok := headerFloat(h, fmt.Sprintf("CDELT%d", k)); ok && !hasCD {
			if v == 0 {
				return nil, fmt.Errorf("wcs: CDELT%d is 0", k)
			}
			f.CDelt[i] = v
		}
		f.PC[i] = make([]float64, n)
		for j := 0; j < n; j++ {
			key := fmt.Sprintf("PC%d_%d", k, j+1)
			if hasCD {
				key = fmt.Sprintf("CD%d_%d", k, j+1)
			}
			if v, ok := headerFloat(h, key); ok {
				f.PC[i][j] = v
			} else if i == j && !hasCD {
				f.PC[i][j] = 1
			}
		}
	}
	if err := f.setup(h); err != nil {
		return nil, err
	}
	return f, nil
}

// setup precomputes the linear matrix, its inverse and the celestial constants.
func (f *FileWCS) setup(h HeaderReader) error {
	n := f.NAxis
	f.m = make([]float64, n*n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			f.m[i*n+j] = f.CDelt[i] * f.PC[i][j]
		}
	}
	inv, err := wcsmath.Invert(f.m, n)
	if err != nil {
		return fmt.Errorf("wcs: the PC/CDELT matrix is singular: %w", err)
	}
	f.minv = inv
	for i, ct := range f.CType {
		p := ctypePrefix(ct)
		switch {
		case celestialLon[p]:
			if f.lon >= 0 {
				return fmt.Errorf("wcs: two celestial longitude axes (CTYPE%d=%q, CTYPE%d=%q)", f.lon+1, f.CType[f.lon], i+1, ct)
			}
			f.lon = i
		case celestialLat[p]:
			if f.lat >= 0 {
				return fmt.Errorf("wcs: two celestial latitude axes (CTYPE%d=%q, CTYPE%d=%q)", f.lat+1, f.CType[f.lat], i+1, ct)
			}
			f.lat = i
		default:
			if alg := ctypeAlgorithm(ct); alg != "" && len(ct) == 8 && ct[4] == '-' {
				return fmt.Errorf("wcs: CTYPE%d = %q: non-linear algorithm %q is not supported", i+1, ct, alg)
			}
		}
	}
	if (f.lon >= 0) != (f.lat >= 0) {
		i := max(f.lon, f.lat)
		return fmt.Errorf("wcs: CTYPE%d = %q has no matching celestial axis", i+1, f.CType[i])
	}
	if f.lon < 0 {
		return nil
	}
	for _, i := range []int{f.lon, f.lat} {
		if alg := ctypeAlgorithm(f.CType[i]); alg != "TAN" && alg != "CAR" {
			return fmt.Errorf("wcs: CTYPE%d = %q: projection %q is not supported (only TAN and CAR)", i+1, f.CType[i], alg)
		}
	}
	if a, b := ctypeAlgorithm(f.CType[f.lon]), ctypeAlgorithm(f.CType[f.lat]); a != b {
		return fmt.Errorf("wcs: CTYPE%d = %q and CTYPE%d = %q have different projections", f.lon+1, f.CType[f.lon], f.lat+1, f.CType[f.lat])
	}
	f.car = ctypeAlgorithm(f.CType[f.lon]) == "CAR"
	var scales [2]float64
	for k, i := range []int{f.lon, f.lat} {
		unit := f.CUnit[i]
		if unit == "" {
			unit = "deg"
			f.CUnit[i] = "deg"
		}
		u, ok := wcsunit.Lookup(unit)
		if !ok || u.Dim != wcsunit.Angle {
			return fmt.Errorf("wcs: CUNIT%d = %q is not an angle", i+1, unit)
		}
		scales[k] = u.Scale
	}
	f.lonScale, f.latScale = scales[0], scales[1]
	p := ctypePrefix(f.CType[f.lon])
	f.wrapLon = p == "HPLN" || p == "HGLN" || p == "SLON"
	deltaP := f.CRVal[f.lat] * f.latScale
	f.alphaP = f.CRVal[f.lon] * f.lonScale
	// The zenithal projections have their reference point at the native pole
	// (phi0, theta0) = (0, 90), so the celestial pole of the native system is
	// (alphaP, deltaP) = CRVAL; LONPOLE defaults to 180 unless deltaP is the pole.
	f.LonPole = 180
	if deltaP >= 90 {
		f.LonPole = 0
	}
	if f.car {
		// The cylindrical projections have their reference point on the native equator
		// (phi0, theta0) = (0, 0): LONPOLE defaults to 0 when CRVAL's latitude is >= 0,
		// else 180, and the celestial pole follows (celPole).
		f.LonPole = 0
		if deltaP < 0 {
			f.LonPole = 180
		}
	}
	if v, ok := headerFloat(h, "LONPOLE"); ok {
		f.LonPole = v
	}
	f.phiP = f.LonPole
	if f.car {
		latPole := 90.0
		if v, ok := headerFloat(h, "LATPOLE"); ok {
			latPole = v
		}
		f.alphaP, deltaP = celPole(f.alphaP, deltaP, f.phiP, latPole)
	}
	f.sinPhiP, f.cosPhiP = wcsmath.SinCosD(f.phiP)
	f.sinDP, f.cosDP = wcsmath.SinCosD(deltaP)
	return nil
}

// celPole gives the celestial coordinates of the native pole (alphaP, deltaP) for a
// projection whose reference point (alpha0, delta0) is at native (phi0, theta0) = (0, 0),
// with native longitude phiP of the celestial pole: FITS WCS Paper II eqs. 8–10, of the
// two solutions the one nearer latPole (LATPOLE, default +90), as wcslib's celset.
func celPole(alpha0, delta0, phiP, latPole float64) (float64, float64) {
	sinPhi, cosPhi := wcsmath.SinCosD(phiP)
	sinD0, cosD0 := wcsmath.SinCosD(delta0)
	var deltaP float64
	if d := math.Abs(cosPhi); d < 1e-12 {
		deltaP = latPole // the pole is not fixed by the reference point; LATPOLE decides
	} else {
		u := math.Atan2(0, cosPhi) * wcsmath.R2D
		v := math.Acos(math.Max(-1, math.Min(1, sinD0/d))) * wcsmath.R2D
		best, bestDist := 0.0, math.Inf(1)
		for _, c := range []float64{u + v, u - v} {
			for c > 180 {
				c -= 360
			}
			for c < -180 {
				c += 360
			}
			if c < -90-1e-10 || c > 90+1e-10 {
				continue
			}
			if dist := math.Abs(c - latPole); dist < bestDist {
				best, bestDist = c, dist
			}
		}
		deltaP = math.Max(-90, math.Min(90, best))
	}
	var alphaP float64
	switch {
	case math.Abs(math.Abs(deltaP)-90) < 1e-12 && deltaP > 0:
		alphaP = alpha0 + phiP - 180
	case math.Abs(math.Abs(deltaP)-90) < 1e-12:
		alphaP = alpha0 - phiP
	default:
		sinDP, cosDP := wcsmath.SinCosD(deltaP)
		alphaP = alpha0 - math.Atan2(sinPhi/cosD0, -sinDP*sinD0/(cosDP*cosD0))*wcsmath.R2D
	}
	// wcslib gives the pole's longitude the sign of the reference point's, which decides
	// the range of the longitudes it returns.
	if alpha0 >= 0 && alphaP < 0 {
		alphaP += 360
	} else if alpha0 < 0 && alphaP > 0 {
		alphaP -= 360
	}
	return alphaP, deltaP
}

// WrapsLongitude says whether the celestial longitude is helioprojective-like
// (HPLN, HGLN, SLON), wrapping to [-180, 180) rather than [0, 360).
func (f *FileWCS) WrapsLongitude() bool { return f.wrapLon }

// Celestial reports the 0-based indices of the celestial longitude and latitude axes, or
// (-1, -1) when the file has no celestial pair.
func (f *FileWCS) Celestial() (lon, lat int) { return f.lon, f.lat }

// PixelToWorld converts 0-based pixel coordinates in FITS axis order into world values
// in each axis's CUNIT (as astropy.wcs all_pix2world with origin 0, before wcslib turns
// celestial units into degrees and spectral ones into SI). Helioprojective and
// heliographic longitudes are wrapped into [-180°, 180°); other longitudes into [0°, 360°).
func (f *FileWCS) PixelToWorld(pix []float64) ([]float64, error) {
	if len(pix) != f.NAxis {
		return nil, fmt.Errorf("wcs: %d pixel values for a %d-axis WCS", len(pix), f.NAxis)
	}
	out := make([]float64, f.NAxis)
	f.pixelToWorldInto(pix, out)
	return out, nil
}

// pixelToWorldInto is PixelToWorld without allocation or checks: len(pix) == len(out)
// == NAxis, and they must not alias.
func (f *FileWCS) pixelToWorldInto(pix, out []float64) {
	n := f.NAxis
	for i := 0; i < n; i++ {
		s := 0.0
		row := f.m[i*n : i*n+n]
		for j, mij := range row {
			if mij != 0 {
				s += mij * (pix[j] + 1 - f.CRPix[j])
			}
		}
		out[i] = s
	}
	for i := 0; i < n; i++ {
		if i != f.lon && i != f.lat {
			out[i] += f.CRVal[i]
		}
	}
	if f.lon >= 0 {
		x, y := out[f.lon]*f.lonScale, out[f.lat]*f.latScale
		var lon, lat float64
		if f.car {
			lon, lat = f.carPixToSky(x, y)
		} else {
			lon, lat = f.tanPixToSky(x, y)
		}
		out[f.lon], out[f.lat] = lon/f.lonScale, lat/f.latScale
	}
}

// carPixToSky is the plate carrée deprojection (Paper II §5.2.3: phi = x, theta = y)
// followed by the rotation to celestial coordinates.
func (f *FileWCS) carPixToSky(x, y float64) (float64, float64) {
	if math.Abs(x) > 180 || math.Abs(y) > 90 {
		return math.NaN(), math.NaN() // outside the projection's plane, as wcslib's CAR
	}
	sinT, cosT := wcsmath.SinCosD(y)
	sinPhi, cosPhi := wcsmath.SinCosD(x)
	return f.nativeToCelestial(sinT, cosT, sinPhi, cosPhi)
}

// tanPixToSky turns intermediate coordinates (x, y) in degrees into celestial (lon, lat)
// in degrees: the gnomonic deprojection (Paper II §5.1.3) followed by the spherical
// rotation from native to celestial coordinates (Paper II eq. 2).
func (f *FileWCS) tanPixToSky(x, y float64) (float64, float64) {
	// Native (phi, theta) without trigonometry: tan(theta) = (180/π)/r, and phi is the
	// direction of (x, −y); then sin/cos of phi − phiP from the precomputed phiP terms.
	r := math.Sqrt(x*x + y*y) // |x|, |y| ≤ a few hundred degrees: no overflow to guard
	h := math.Sqrt(wcsmath.R2D*wcsmath.R2D + r*r)
	sinT, cosT := wcsmath.R2D/h, r/h
	sinPhi, cosPhi := 0.0, 1.0
	if r != 0 {
		sinPhi, cosPhi = x/r, -y/r
	}
	return f.nativeToCelestial(sinT, cosT, sinPhi, cosPhi)
}

// nativeToCelestial rotates native (theta, phi), given as sines and cosines, into
// celestial (lon, lat) in degrees (Paper II eq. 2), wrapping the longitude.
func (f *FileWCS) nativeToCelestial(sinT, cosT, sinPhi, cosPhi float64) (float64, float64) {
	sinDphi := sinPhi*f.cosPhiP - cosPhi*f.sinPhiP
	cosDphi := cosPhi*f.cosPhiP + sinPhi*f.sinPhiP
	a := math.Atan2(-cosT*sinDphi, sinT*f.cosDP-cosT*f.sinDP*cosDphi)*wcsmath.R2D + f.alphaP
	d := sinT*f.sinDP + cosT*f.cosDP*cosDphi
	d = math.Asin(math.Max(-1, math.Min(1, d))) * wcsmath.R2D
	if f.wrapLon {
		a = math.Mod(a+180, 360)
		if a < 0 {
			a += 360
		}
		a -= 180
	} else {
		a = math.Mod(a, 360)
		if a < 0 {
			a += 360
		}
	}
	return a, d
}

// tanSkyToPix is the inverse of tanPixToSky.
func (f *FileWCS) tanSkyToPix(lon, lat float64) (float64, float64, error) {
	sinD, cosD := wcsmath.SinCosD(lat)
	sinDa, cosDa := wcsmath.SinCosD(lon - f.alphaP)
	// a and b are cos(theta)·sin(phi−phiP) and cos(theta)·cos(phi−phiP); taking theta from
	// atan2 keeps full precision near the native pole, where asin would not.
	a := -cosD * sinDa
	b := sinD*f.cosDP - cosD*f.sinDP*cosDa
	s := sinD*f.sinDP + cosD*f.cosDP*cosDa
	if s <= 0 {
		return 0, 0, fmt.Errorf("wcs: (%g°, %g°) is on the far side of the TAN projection", lon, lat)
	}
	phi := math.Atan2(a, b)*wcsmath.R2D + f.phiP
	r := wcsmath.R2D * math.Hypot(a, b) / s
	sinP, cosP := wcsmath.SinCosD(phi)
	return r * sinP, -r * cosP, nil
}

// carSkyToPix is the inverse of carPixToSky: native (phi, theta) of the celestial
// point, phi wrapped into [-180, 180).
func (f *FileWCS) carSkyToPix(lon, lat float64) (float64, float64, error) {
	sinD, cosD := wcsmath.SinCosD(lat)
	sinDa, cosDa := wcsmath.SinCosD(lon - f.alphaP)
	a := -cosD * sinDa
	b := sinD*f.cosDP - cosD*f.sinDP*cosDa
	s := sinD*f.sinDP + cosD*f.cosDP*cosDa
	phi := math.Mod(math.Atan2(a, b)*wcsmath.R2D+f.phiP+180, 360)
	if phi < 0 {
		phi += 360
	}
	theta := math.Atan2(s, math.Hypot(a, b)) * wcsmath.R2D
	return phi - 180, theta, nil
}

// WorldToPixel converts world values in each axis's CUNIT into 0-based pixel coordinates
// (the inverse of PixelToWorld).
func (f *FileWCS) WorldToPixel(world []float64) ([]float64, error) {
	n := f.NAxis
	if len(world) != n {
		return nil, fmt.Errorf("wcs: %d world values for a %d-axis WCS", len(world), n)
	}
	interm := make([]float64, n)
	for i := 0; i < n; i++ {
		interm[i] = world[i] - f.CRVal[i]
	}
	if f.lon >= 0 {
		skyToPix := f.tanSkyToPix
		if f.car {
			skyToPix = f.carSkyToPix
		}
		x, y, err := skyToPix(world[f.lon]*f.lonScale, world[f.lat]*f.latScale)
		if err != nil {
			return nil, err
		}
		interm[f.lon], interm[f.lat] = x/f.lonScale, y/f.latScale
	}
	out := make([]float64, n)
	for j := 0; j < n; j++ {
		s := 0.0
		for i := 0; i < n; i++ {
			s += f.minv[j*n+i] * interm[i]
		}
		out[j] = s + f.CRPix[j] - 1
	}
	return out, nil
}

// PhysicalType gives the IVOA UCD-like physical type of axis i (0-based), as astropy
// and dkist name them.
func (f *FileWCS) PhysicalType(i int) string {
	return physicalTypeOfCType(f.CType[i])
}

func physicalTypeOfCType(ct string) string {
	p := ctypePrefix(ct)
	switch p {
	case "HPLN":
		return "custom:pos.helioprojective.lon"
	case "HPLT":
		return "custom:pos.helioprojective.lat"
	case "HGLN":
		return "custom:pos.heliographic.stonyhurst.lon"
	case "HGLT":
		return "custom:pos.heliographic.stonyhurst.lat"
	case "CRLN":
		return "custom:pos.heliographic.carrington.lon"
	case "CRLT":
		return "custom:pos.heliographic.carrington.lat"
	case "RA--":
		return "pos.eq.ra"
	case "DEC-":
		return "pos.eq.dec"
	case "GLON":
		return "pos.galactic.lon"
	case "GLAT":
		return "pos.galactic.lat"
	case "AWAV":
		return "em.wl"
	case "WAVE":
		return "em.wl"
	case "FREQ":
		return "em.freq"
	case "STOK":
		return "phys.polarization.stokes"
	case "TIME", "UTC", "TAI", "TT":
		return "time"
	}
	return "custom:" + strings.TrimRight(ct, "- ")
}

// FileInfo is what a dataset keeps of each file for its WCS: parsed once when the
// dataset loads, small.
type FileInfo struct {
	WCS     *FileWCS
	DateAvg time.Time // DATE-AVG, else DATE-BEG (UTC); zero when neither is present
	Stokes  string    // STOKES ("I", "Q", "U", "V"), "" when absent
}

// ParseFileInfo reads a file's WCS, mid-exposure time and Stokes parameter.
func ParseFileInfo(h HeaderReader) (FileInfo, error) {
	w, err := ParseFile(h)
	if err != nil {
		return FileInfo{}, err
	}
	fi := FileInfo{WCS: w}
	for _, key := range []string{"DATE-AVG", "DATE-BEG", "DATE-OBS"} {
		if s, ok := h.String(key); ok && strings.TrimSpace(s) != "" {
			t, err := ParseISOTime(s)
			if err != nil {
				return FileInfo{}, fmt.Errorf("wcs: %s: %w", key, err)
			}
			fi.DateAvg = t
			break
		}
	}
	if s, ok := h.String("STOKES"); ok {
		fi.Stokes = strings.ToUpper(strings.TrimSpace(s))
	}
	return fi, nil
}

// ParseISOTime reads a FITS/ISO 8601 date-time such as "2022-10-24T19:47:33.351000" (UTC
// assumed; fractional seconds of any length; a date alone is midnight).
func ParseISOTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	s = strings.TrimSuffix(s, "Z")
	for _, layout := range []string{"2006-01-02T15:04:05.999999999", "2006-01-02T15:04:05", "2006-01-02 15:04:05.999999999", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, time.UTC); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("cannot read %q as an ISO 8601 time", s)
}
