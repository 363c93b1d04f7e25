package sample

import (
	"fmt"
	"math"
	"strings"
	"time"

	"gokist/fits"
)

// Geometry is where a sample dataset looks and when: the numbers its FITS WCS is written
// from. Tests use them to compute expected world coordinates on their own.
type Geometry struct {
	// Shape is (stokes, raster, wavelength, slit), numpy order.
	Shape [4]int
	// SlitScale is the slit pixel scale (CDELT1, arcsec, HPLT-TAN).
	SlitScale float64
	// RasterStep is the raster step (CDELT3, arcsec, HPLN-TAN).
	RasterStep float64
	// Dispersion is the wavelength step (CDELT2, nm, AWAV).
	Dispersion float64
	// Rotation is the angle (degrees) of the PC matrix between the slit/raster axes and
	// helioprojective latitude/longitude: PC1_1 = PC3_3 = cos, PC1_3 = -sin, PC3_1 = sin.
	Rotation float64
	// CentreTx and CentreTy are the pointing (CRVAL3, CRVAL1), arcsec.
	CentreTx, CentreTy float64
	// SlitRefPixel is CRPIX1; RasterRefPixel is the dataset's raster reference pixel
	// (1-based): file k (0-based step) has CRPIX3 = RasterRefPixel - k.
	SlitRefPixel, RasterRefPixel float64
	// CoreIndex is the 0-based wavelength pixel of the Fe I 630.25 nm core: CRPIX2 is
	// CoreIndex+1 and CRVAL2 is FeI6302.
	CoreIndex int
	// Start is DATE-BEG of the first raster step; each step starts Cadence later and
	// lasts Exposure.
	Start              time.Time
	Cadence, Exposure  time.Duration
	DatasetID, Program string
	// Instrument is "VISP" (when empty) or "CRYO-NIRSP" (its spectropolarimeter: the
	// same scene and line profiles, moved by WaveOffset nm to He I 1083.0 nm).
	Instrument string
	WaveOffset float64
}

// cryoHeI is where the Cryo-NIRSP stand-in puts the Fe I 630.25 nm line (nm).
const cryoHeI = 1083.0

// ForInstrument sets the instrument the geometry's headers and names imitate.
func (g *Geometry) ForInstrument(instrument string) {
	g.Instrument, g.WaveOffset = instrument, 0
	if instrument == "CRYO-NIRSP" {
		g.WaveOffset = cryoHeI - FeI6302
	}
}

// prefix starts the instrument's file and index names.
func (g Geometry) prefix() string {
	if g.Instrument == "" {
		return "VISP"
	}
	return g.Instrument
}

// restWavelengths are the wavelengths the line model is evaluated at (before WaveOffset).
func (g Geometry) restWavelengths() []float64 {
	w := g.Wavelengths()
	for i := range w {
		w[i] -= g.WaveOffset
	}
	return w
}

// Real VISP numbers that the sample copies.
const (
	visSlitScale  = 0.0298   // arcsec per slit pixel
	visRasterStep = 0.0534   // arcsec per raster step
	visDispersion = 0.001625 // nm per pixel
	// minWindow is the narrowest wavelength window (nm) that holds the four lines with
	// margins; small test shapes get a coarser dispersion so that it fits.
	minWindow = 0.25
)

// NewGeometry returns the geometry of a dataset of the given shape.
func NewGeometry(shape [4]int) Geometry {
	nWave := shape[2]
	disp := visDispersion
	if float64(nWave)*disp < minWindow {
		disp = minWindow / float64(nWave)
	}
	// The window is centred on 630.20 nm; the Fe I 630.25 core sits on a pixel centre.
	core := int(math.Round(float64(nWave-1)/2 + (FeI6302-630.2)/disp))
	return Geometry{
		Shape:          shape,
		SlitScale:      visSlitScale,
		RasterStep:     visRasterStep,
		Dispersion:     disp,
		Rotation:       0.5,
		CentreTx:       -397.6,
		CentreTy:       198.4,
		SlitRefPixel:   float64(shape[3]+1) / 2,
		RasterRefPixel: float64(shape[1]+1) / 2,
		CoreIndex:      core,
		Start:          time.Date(2022, 10, 24, 19, 0, 0, 0, time.UTC),
		Cadence:        3 * time.Second,
		Exposure:       2400 * time.Millisecond,
		DatasetID:      "AGLKO",
		Program:        "eid_1_123",
	}
}

// Wavelength returns the wavelength (nm) of 0-based pixel i.
func (g Geometry) Wavelength(i int) float64 {
	return FeI6302 + g.WaveOffset + float64(i-g.CoreIndex)*g.Dispersion
}

// Wavelengths returns the wavelength of every pixel.
func (g Geometry) Wavelengths() []float64 {
	w := make([]float64, g.Shape[2])
	for i := range w {
		w[i] = g.Wavelength(i)
	}
	return w
}

// scenePosition returns the position (raster x, slit y) in arcsec on the model surface
// of raster step k and slit pixel j, relative to the pointing.
func (g Geometry) scenePosition(k, j int) (x, y float64) {
	return (float64(k+1) - g.RasterRefPixel) * g.RasterStep, (float64(j+1) - g.SlitRefPixel) * g.SlitScale
}

// StokesNames are the Stokes parameters in file order.
var StokesNames = [4]string{"I", "Q", "U", "V"}

const timeLayout = "2006-01-02T15:04:05.000"

// StepStart returns DATE-BEG of raster step k (0-based).
func (g Geometry) StepStart(k int) time.Time {
	return g.Start.Add(time.Duration(k) * g.Cadence)
}

// FileName returns the name of the file of Stokes index s and raster step k (0-based),
// shaped like real VISP L1 names.
func (g Geometry) FileName(s, k int) string {
	date := strings.NewReplacer("-", "_", ":", "_", ".", "_").Replace(g.StepStart(k).Format(timeLayout))
	return fmt.Sprintf("%s_%s_%04d_%s_%s_L1.fits", g.prefix(), date, k, StokesNames[s], g.DatasetID)
}

// fileHeader returns the image header of Stokes index s and raster step k (0-based),
// laid out as a real VISP L1 header: its sections in the order of a real one.
func (g Geometry) fileHeader(s, k int, compressed bool, stats dataStats) *fits.Header {
	h := fits.NewHeader()
	g.dateAndOriginKeys(h, k)
	g.telescopeKeys(h, k)
	g.datacenterKeys(h, s, k, compressed)
	g.datasetKeys(h, s, k)
	statisticsKeys(h, stats)
	g.conditionKeys(h, k)
	g.idKeys(h, s, k)
	g.instrumentKeys(h, k)
	return h
}

// headerSection writes a section's title and description as COMMENT cards, as DKIST's
// headers have them.
func headerSection(h *fits.Header, title string, lines ...string) {
	h.Set("COMMENT", nil, " "+centre(" "+title+" ", '-', 71))
	for _, l := range lines {
		h.Set("COMMENT", nil, " "+centre(l, ' ', 71))
	}
	h.Set("COMMENT", nil, " "+strings.Repeat("-", 72))
}

// dateAndOriginKeys are the header's first keys: the exposure's dates (with their MJD
// twins) and where the data come from.
func (g Geometry) dateAndOriginKeys(h *fits.Header, k int) {
	begin := g.StepStart(k)
	end := begin.Add(g.Exposure)
	avg := begin.Add(g.Exposure / 2)
	created := g.Start.Add(24 * time.Hour)

	h.Set("BUNIT", "ct", "")
	h.Set("DATE", created.Format(timeLayout), "")
	h.Set("DATE-BEG", begin.Format(timeLayout), "")
	h.Set("DATE-END", end.Format(timeLayout), "")
	h.Set("TELAPSE", g.Exposure.Seconds(), "[s]")
	h.Set("DATE-AVG", avg.Format("2006-01-02T15:04:05.000000"), "")
	// The MJD twins of the dates (WCS Paper VII), so that WCS readers have nothing to
	// derive and warn about.
	h.Set("MJD-BEG", modifiedJulianDate(begin), "[d]")
	h.Set("MJD-AVG", modifiedJulianDate(avg), "[d]")
	h.Set("MJD-END", modifiedJulianDate(end), "[d]")
	h.Set("ORIGIN", "National Solar Observatory", "")
	h.Set("TELESCOP", "Daniel K. Inouye Solar Telescope", "")
	h.Set("OBSRVTRY", "Haleakala High Altitude Observatory Site", "")
	h.Set("NETWORK", "NSF-DKIST", "")
	h.Set("INSTRUME", g.prefix(), "")
	h.Set("OBJECT", "quietsun", "")
}

// telescopeKeys are the pointing and the FITS WCS of raster step k.
func (g Geometry) telescopeKeys(h *fits.Header, k int) {
	headerSection(h, "Telescope", "Keys describing the pointing and operation of the telescope. Including",
		"the FITS WCS keys describing the world coordinates of the array.")
	h.Set("WCSAXES", 3, "")
	h.Set("WCSNAME", "Helioprojective-cartesian", "")
	h.Set("CRPIX1", g.SlitRefPixel, "[pix]")
	h.Set("CRPIX2", float64(g.CoreIndex+1), "[pix]")
	h.Set("CRPIX3", g.RasterRefPixel-float64(k), "[pix]")
	h.Set("CRVAL1", g.CentreTy, "")
	h.Set("CRVAL2", FeI6302+g.WaveOffset, "")
	h.Set("CRVAL3", g.CentreTx, "")
	h.Set("CDELT1", g.SlitScale, "")
	h.Set("CDELT2", g.Dispersion, "")
	h.Set("CDELT3", g.RasterStep, "")
	h.Set("CUNIT1", "arcsec", "")
	h.Set("CUNIT2", "nm", "")
	h.Set("CUNIT3", "arcsec", "")
	h.Set("CTYPE1", "HPLT-TAN", "")
	h.Set("CTYPE2", "AWAV", "")
	h.Set("CTYPE3", "HPLN-TAN", "")
	sin, cos := math.Sincos(g.Rotation * math.Pi / 180)
	pc := [3][3]float64{{cos, 0, -sin}, {0, 1, 0}, {sin, 0, cos}}
	for i := range 3 {
		for j := range 3 {
			h.Set(fmt.Sprintf("PC%d_%d", i+1, j+1), pc[i][j], "")
		}
	}
	h.Set("LONPOLE", 180.0, "[deg]")
	g.pointingKeys(h, k)
	h.Set("SPECSYS", "TOPOCENT", "")
	h.Set("VELOSYS", 0.0, "")
	h.Set("WCSVALID", true, "WCSValidityIndicator")
}

// datacenterKeys are the processing and archive keys of file (s, k).
func (g Geometry) datacenterKeys(h *fits.Header, s, k int, compressed bool) {
	headerSection(h, "Datacenter", "Keys generated by the DKIST data center to describe processing",
		"performed, archiving or extra metadata.")
	h.Set("DSETID", g.DatasetID, "")
	h.Set("POINT_ID", g.DatasetID, "")
	h.Set("FRAMEVOL", float64(g.Shape[2]*g.Shape[3]*4)/(1<<20), "[Mbyte]")
	h.Set("PROCTYPE", "L1", "")
	if compressed {
		h.Set("EXTNAME", "observation", "")
	}
	h.Set("SOLARNET", 1, "")
	h.Set("OBS_HDU", 1, "")
	h.Set("FILENAME", g.FileName(s, k), "")
	h.Set("CADENCE", g.Cadence.Seconds(), "[s]")
	h.Set("LEVEL", 1, "")
	h.Set("HEADVERS", "3.5.0", "")
	h.Set("INFO_URL", "https://docs.dkist.nso.edu", "")
	h.Set("WKFLNAME", "l0_to_l1_"+strings.ToLower(strings.ReplaceAll(g.prefix(), "-", "_")), "")
	h.Set("NSPECLNS", 1, "")
	h.Set("SPECLN01", g.lineName(), "")
}

// datasetKeys place file (s, k) in the dataset (SPEC-214's D* keys) and name its line.
func (g Geometry) datasetKeys(h *fits.Header, s, k int) {
	headerSection(h, "Dataset", "Keys describing the dataset that this FITS file forms a part of.")
	h.Set("DNAXIS", 4, "")
	h.Set("DNAXIS1", g.Shape[3], "[pix]")
	h.Set("DNAXIS2", g.Shape[2], "[pix]")
	h.Set("DNAXIS3", g.Shape[1], "[pix]")
	h.Set("DNAXIS4", g.Shape[0], "[pix]")
	for i, v := range []string{"SPATIAL", "SPECTRAL", "SPATIAL", "STOKES"} {
		h.Set(fmt.Sprintf("DTYPE%d", i+1), v, "")
	}
	for i, v := range []string{"spatial along slit", "dispersion axis", "raster scan step number", "polarization state"} {
		h.Set(fmt.Sprintf("DPNAME%d", i+1), v, "")
	}
	for i, v := range []string{"helioprojective latitude", "wavelength", "helioprojective longitude", "polarization state"} {
		h.Set(fmt.Sprintf("DWNAME%d", i+1), v, "")
	}
	for i, v := range []string{"arcsec", "nm", "arcsec", ""} {
		h.Set(fmt.Sprintf("DUNIT%d", i+1), v, "")
	}
	h.Set("DAAXES", 2, "")
	h.Set("DEAXES", 2, "")
	h.Set("DINDEX3", k+1, "[pix]")
	h.Set("DINDEX4", s+1, "[pix]")
	h.Set("STOKES", StokesNames[s], "")
	h.Set("LINEWAV", 630.25+g.WaveOffset, "")
	h.Set("WAVEBAND", g.lineName(), "")
	h.Set("WAVEUNIT", -9, "")
	h.Set("WAVEREF", "Air", "")
	h.Set("WAVEMIN", g.Wavelength(0), "[nm]")
	h.Set("WAVEMAX", g.Wavelength(g.Shape[2]-1), "[nm]")
}

// statisticsKeys are the data array's minimum, maximum and mean.
func statisticsKeys(h *fits.Header, stats dataStats) {
	headerSection(h, "Statistics", "Statistical information about the data array contained in this FITS", "file.")
	h.Set("DATAMIN", stats.min, "")
	h.Set("DATAMAX", stats.max, "")
	h.Set("DATAMEAN", stats.mean, "")
}

// idKeys identify file (s, k) and its observation.
func (g Geometry) idKeys(h *fits.Header, s, k int) {
	headerSection(h, "DKIST ID", "Unique identifiers for this FITS file and the observation that created", "the data.")
	h.Set("FILE_ID", fmt.Sprintf("%016x%08x%08x", uint64(g.Start.Unix()), k, s), "FileID")
	h.Set("DKISTVER", "Data Model (SPEC-0122) Revision E", "DKISTFITSHeaderVersion")
	h.Set("EXPER_ID", g.Program, "ExperimentID")
	h.Set("PROP_ID", "pid_1_123", "ProposalID")
}

// instrumentKeys are the VISP (or Cryo-NIRSP) keys of raster step k.
func (g Geometry) instrumentKeys(h *fits.Header, k int) {
	if g.Instrument == "CRYO-NIRSP" {
		headerSection(h, "CRYO-NIRSP Instrument", "Keys specific to the operation of the Cryo-NIRSP instrument.")
		h.Set("CNARM", "SP", "Arm")
		h.Set("CNNMSCST", g.Shape[1], "NumberofScanSteps")
		h.Set("CNCURSCN", 1, "CurrentScan")
		h.Set("CNCURSTP", k+1, "CurrentScanStep")
		return
	}
	headerSection(h, "VISP Instrument", "Keys specific to the operation of the VISP instrument.")
	h.Set("VSPARMID", 1, "ArmID")
	h.Set("VSPPOLMD", "observe_polarimetric", "PolarimeterMode")
	h.Set("VSPWID", 0.0536, "[arcsec] SlitWidth")
	h.Set("VSPNSTP", g.Shape[1], "NumberofSpatialSteps")
	h.Set("VSPSTP", k, "CurrentSpatialStep")
	h.Set("VSPNMAPS", 1, "TotalMapScans")
	h.Set("VSPMAP", 1, "CurrentMapScan")
}

// modifiedJulianDate returns the MJD (days since 1858-11-17T00:00 UTC) of t.
func modifiedJulianDate(t time.Time) float64 {
	epoch := time.Date(1858, 11, 17, 0, 0, 0, 0, time.UTC)
	d := t.Sub(epoch)
	days := d / (24 * time.Hour)
	rest := d % (24 * time.Hour)
	return float64(days) + rest.Seconds()/86400
}

// centre pads text with fill on both sides to width characters.
func centre(text string, fill byte, width int) string {
	if len(text) >= width {
		return text
	}
	left := (width - len(text)) / 2
	return strings.Repeat(string(fill), left) + text + strings.Repeat(string(fill), width-len(text)-left)
}

// dataStats are the statistics keywords of a file.
type dataStats struct{ min, max, mean float64 }

func statistics(data []float32) dataStats {
	st := dataStats{min: math.Inf(1), max: math.Inf(-1)}
	var sum float64
	for _, v := range data {
		f := float64(v)
		st.min = min(st.min, f)
		st.max = max(st.max, f)
		sum += f
	}
	st.mean = sum / float64(len(data))
	return st
}

// lineName names the line the window is centred on.
func (g Geometry) lineName() string {
	if g.Instrument == "CRYO-NIRSP" {
		return "He I (1083.0 nm)"
	}
	return "Fe I (630.25 nm)"
}
