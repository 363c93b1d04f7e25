package sample

// This file lays out a VISP sample's ASDF index as the DKIST data centre writes one, in
// the tags that dkist 1.0.1 reads on Debian's asdf 2.14, asdf-astropy and gwcs 0.18:
// dataset-1.1.0 holding the file_manager (file names on the (Stokes, raster) grid, each
// file's array shape, the HDU and dtype), meta.headers (an astropy Table of every file's
// header, one row per file in grid order), meta.inventory, the unit, and the gwcs of the
// whole dataset.
//
// The gwcs is exact for the sample: every file has the same CRVAL and PC and its own
// CRPIX3 = RasterRefPixel - k, so the files' celestial WCS are pieces of one TAN
// projection over (raster, slit) pixels. FITS computes x = S·PC·(p - r) (S the CDELTs);
// gwcs's chain is shift, scale, affine, so the affine matrix is S·PC·S⁻¹. The world axes
// are longitude, latitude, wavelength, time (DATE-AVG, linear over raster steps) and
// Stokes: high-level values come out as the real VISP datasets' do (SkyCoord, then
// SpectralCoord, Time, StokesCoord), and each frame's axes follow the previous frame's,
// which gwcs 0.18's CompositeFrame needs to turn world values back into pixels (it
// passes them on in frame order).

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"gokist/fits"
)

// ASDFName is the file name of the sample's ASDF index, shaped like the data centre's.
func (g Geometry) ASDFName() string {
	return fmt.Sprintf("%s_L1_%s_%s.asdf", g.prefix(), g.Start.Format("20060102T150405"), g.DatasetID)
}

// writeIndex writes the ASDF index of the files whose image headers are given (one per
// (Stokes, raster step), row-major) into dir, under a temporary name renamed into place.
func writeIndex(dir string, g Geometry, headers []*fits.Header, compressed bool) (string, int64, error) {
	doc := newASDFDoc()
	doc.set("dataset", mapping("asdf://dkist.nso.edu/tags/dataset-1.1.0",
		"data", g.fileManager(compressed),
		"meta", mapping("", "headers", doc.table(imageHeaderColumns(g.Shape[3], g.Shape[2], headers, compressed)), "inventory", g.inventory()),
		"unit", unit("ct"),
		"wcs", g.gwcs(),
	))
	return writeDoc(dir, g.ASDFName(), doc)
}

// writeDoc writes doc as dir/name under a temporary name renamed into place, and returns
// its path and size.
func writeDoc(dir, name string, doc *asdfDoc) (string, int64, error) {
	final := filepath.Join(dir, name)
	tmp := filepath.Join(dir, "."+name+".tmp")
	f, err := os.Create(tmp)
	if err != nil {
		return "", 0, fmt.Errorf("sample: %s: %w", tmp, unwrapPath(err))
	}
	err = doc.writeTo(f)
	var size int64
	if st, serr := f.Stat(); err == nil && serr == nil {
		size = st.Size()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, final)
	}
	if err != nil {
		os.Remove(tmp)
		return "", 0, fmt.Errorf("sample: writing %s: %w", final, err)
	}
	return final, size, nil
}

// fileManager is dkist's file_manager: the file names nested as the (Stokes, raster)
// grid, each file's array shape (numpy order), the HDU that holds it and its dtype.
func (g Geometry) fileManager(compressed bool) *yaml.Node {
	rows := make([]*yaml.Node, g.Shape[0])
	for s := range rows {
		names := make([]string, g.Shape[1])
		for k := range names {
			names[k] = g.FileName(s, k)
		}
		rows[s] = strs(names...)
	}
	target := 0
	if compressed {
		target = 1
	}
	return mapping("asdf://dkist.nso.edu/tags/file_manager-1.0.0",
		"datatype", str("float32"),
		"fileuris", seq(rows...),
		"shape", ints(1, g.Shape[2], g.Shape[3]),
		"target", integer(target))
}

// imageHeaderColumns makes the headers table of files holding nx×ny images: one column
// per keyword of the files' image HDU as astropy reads it (the structural keys, then the
// header's own), one row per file.
func imageHeaderColumns(nx, ny int, headers []*fits.Header, compressed bool) []column {
	first := []fits.Card{{Key: "SIMPLE", Value: true}}
	if compressed {
		first = []fits.Card{{Key: "XTENSION", Value: "IMAGE"}}
	}
	first = append(first,
		fits.Card{Key: "BITPIX", Value: int64(-32)}, fits.Card{Key: "NAXIS", Value: int64(3)},
		fits.Card{Key: "NAXIS1", Value: int64(nx)}, fits.Card{Key: "NAXIS2", Value: int64(ny)},
		fits.Card{Key: "NAXIS3", Value: int64(1)})
	var cols []column
	seen := map[string]bool{}
	for _, c := range first {
		col := column{name: c.Key, values: make([]any, len(headers))}
		for i := range headers {
			col.values[i] = c.Value
		}
		cols = append(cols, col)
		seen[c.Key] = true
	}
	if len(headers) == 0 {
		return cols
	}
	for _, c := range headers[0].Cards() {
		if c.Value == nil || seen[c.Key] {
			continue // commentary cards are not columns
		}
		seen[c.Key] = true
		col := column{name: c.Key, values: make([]any, len(headers))}
		for i, h := range headers {
			if hc, ok := h.Get(c.Key); ok && hc.Value != nil {
				col.values[i] = asWritten(hc.Value)
			} else {
				col.values[i] = ""
			}
		}
		cols = append(cols, col)
	}
	return cols
}

// asWritten is a header value as a reader of the FITS file gets it back: a float
// through the digits its card holds.
func asWritten(v any) any {
	if f, ok := v.(float64); ok {
		if back, err := strconv.ParseFloat(fits.FormatFloat(f), 64); err == nil {
			return back
		}
	}
	return v
}

// inventory is the dataset's inventory record, with the data centre's field names; it
// says that the dataset is synthetic.
func (g Geometry) inventory() *yaml.Node {
	end := g.StepStart(g.Shape[1] - 1).Add(g.Exposure)
	stokes := StokesNames[:g.Shape[0]]
	lon0, lat0 := g.worldAt(0, 0)
	lon1, lat1 := g.worldAt(g.Shape[1]-1, g.Shape[3]-1)
	centre := centreRecord{proposal: "pid_1_123", experiment: g.Program, dataset: g.DatasetID, frames: g.Shape[0] * g.Shape[1],
		workflow: "l0_to_l1_" + strings.ToLower(g.prefix()), calibrationDocs: "https://docs.dkist.nso.edu/projects/" + strings.ToLower(g.prefix())}
	return withCentreRecord(centre,
		"asdfObjectKey", str("pid_1_123/"+g.DatasetID+"/"+g.ASDFName()),
		"averageDatasetSpatialSampling", float(g.SlitScale),
		"averageDatasetSpectralSampling", float(g.Dispersion),
		"averageDatasetTemporalSampling", float(g.Cadence.Seconds()),
		"boundingBox", seq(floats(lon0, lat0), floats(lon1, lat1)),
		"datasetId", str(g.DatasetID),
		"description", str(g.description()),
		"endTime", str(end.Format("2006-01-02T15:04:05.000000")),
		"exposureTime", float(g.Exposure.Seconds()*1000),
		"frameCount", integer(g.Shape[0]*g.Shape[1]),
		"hasAllStokes", boolean(g.Shape[0] == 4),
		"hasSpectralAxis", boolean(true),
		"hasTemporalAxis", boolean(true),
		"instrumentName", str(g.prefix()),
		"primaryExperimentId", str(g.Program),
		"primaryProposalId", str("pid_1_123"),
		"startTime", str(g.Start.Format("2006-01-02T15:04:05.000000")),
		"stokesParameters", strs(stokes...),
		"synthetic", boolean(true),
		"targetTypes", strs("quietsun"),
		"wavelengthMax", float(g.Wavelength(g.Shape[2]-1)),
		"wavelengthMin", float(g.Wavelength(0)),
	)
}

// worldAt is (Tx, Ty) in arcsec of raster step k and slit pixel j (0-based) before the
// projection (FITS x = S·PC·(p - r); small-angle: the inventory's bounding box only).
func (g Geometry) worldAt(k, j int) (float64, float64) {
	sin, cos := math.Sincos(g.Rotation * math.Pi / 180)
	d1 := float64(j+1) - g.SlitRefPixel
	d3 := float64(k+1) - g.RasterRefPixel
	return g.CentreTx + g.RasterStep*(sin*d1+cos*d3), g.CentreTy + g.SlitScale*(cos*d1-sin*d3)
}

// gwcs is the dataset's gwcs: pixel frame (slit, dispersion, raster, Stokes, WCS order)
// to the composite world frame.
func (g Geometry) gwcs() *yaml.Node {
	pixel := mapping("tag:stsci.edu:gwcs/frame-1.0.0",
		"axes_names", strs("spatial along slit", "dispersion axis", "raster scan step number", "polarization state"),
		"axes_order", ints(0, 1, 2, 3),
		"axes_type", strs("PIXEL", "PIXEL", "PIXEL", "PIXEL"),
		"axis_physical_types", strs("custom:PIXEL", "custom:PIXEL", "custom:PIXEL", "custom:PIXEL"),
		"name", str("pixel"),
		"naxes", integer(4),
		"unit", flowSeq(unit("pixel"), unit("pixel"), unit("pixel"), unit("pixel")))
	return mapping("tag:stsci.edu:gwcs/wcs-1.0.0",
		"name", str(""),
		"steps", seq(
			mapping("tag:stsci.edu:gwcs/step-1.0.0", "frame", pixel, "transform", g.transform()),
			mapping("tag:stsci.edu:gwcs/step-1.0.0", "frame", g.worldFrame(), "transform", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}),
		))
}

// transform maps pixels (slit, dispersion, raster, Stokes) to the world outputs
// (longitude, latitude, wavelength, time, Stokes): the inputs are spread to the
// celestial (raster, slit), wavelength, time and Stokes models.
func (g Geometry) transform() *yaml.Node {
	models := concatenate(g.celestialModel(), g.spectralModel(), g.timeModel(), g.stokesModel())
	return compose(remap(4, 2, 0, 1, 2, 3), models)
}

func (g Geometry) spectralModel() *yaml.Node {
	// AWAV is linear: λ(p) = CRVAL2 + CDELT2·(p + 1 - CRPIX2) for 0-based p.
	intercept := FeI6302 + g.WaveOffset - g.Dispersion*float64(g.CoreIndex)
	return linear1d(g.Dispersion, intercept, "nm.pixel**-1", "nm")
}

func (g Geometry) celestialModel() *yaml.Node {
	const arcsec = 1.0 / 3600
	sin, cos := math.Sincos(g.Rotation * math.Pi / 180)
	// PC over (longitude, latitude) = FITS axes (3, 1): PC3_3, PC3_1; PC1_3, PC1_1.
	pc := [2][2]float64{{cos, sin}, {-sin, cos}}
	cdelt := [2]float64{g.RasterStep, g.SlitScale}
	var m [4]float64
	for a := range 2 {
		for b := range 2 {
			m[a*2+b] = cdelt[a] * pc[a][b] / cdelt[b]
		}
	}
	scale := func(f float64) *yaml.Node {
		return mapping("!transform/multiplyscale-1.0.0", "factor", quantity(f*arcsec, "deg.pixel**-1"))
	}
	return compose(
		concatenate(shift(-(g.RasterRefPixel-1)), shift(-(g.SlitRefPixel-1))),
		concatenate(scale(g.RasterStep), scale(g.SlitScale)),
		mapping("!transform/affine-1.3.0",
			"matrix", arrayQuantity(m[:], []int{2, 2}, "deg"),
			"translation", arrayQuantity([]float64{0, 0}, []int{2}, "deg")),
		mapping("!transform/gnomonic-1.2.0", "direction", str("pix2sky")),
		mapping("!transform/rotate3d-1.3.0",
			"direction", str("native2celestial"),
			"phi", quantity(g.CentreTx*arcsec, "deg"),
			"psi", quantity(180, "deg"),
			"theta", quantity(g.CentreTy*arcsec, "deg")),
	)
}

// timeModel is seconds since the first step's DATE-AVG (the temporal frame's reference).
func (g Geometry) timeModel() *yaml.Node {
	return linear1d(g.Cadence.Seconds(), 0, "pixel**-1.s", "s")
}

// stokesModel is the Stokes code (1 = I … 4 = V) of each Stokes pixel, as dkist's
// generator writes it: a nearest-neighbour lookup table.
func (g Geometry) stokesModel() *yaml.Node {
	n := g.Shape[0]
	points := make([]float64, n)
	codes := make([]float64, n)
	for i := range n {
		points[i], codes[i] = float64(i), float64(i+1)
	}
	return mapping("!transform/tabular-1.2.0",
		"bounds_error", boolean(false),
		"fill_value", float(math.NaN()),
		"lookup_table", arrayQuantity(codes, []int{n}, ""),
		"method", str("nearest"),
		"name", str("Stokes"),
		"points", seq(arrayQuantity(points, []int{n}, "pixel")))
}

// worldFrame is the composite output frame, its frames' axes in world order.
func (g Geometry) worldFrame() *yaml.Node {
	ref := g.StepStart(0).Add(g.Exposure / 2).Format("2006-01-02T15:04:05.000")
	return mapping("tag:stsci.edu:gwcs/composite_frame-1.0.0",
		"frames", seq(
			mapping("tag:stsci.edu:gwcs/celestial_frame-1.0.0",
				"axes_names", strs("helioprojective longitude", "helioprojective latitude"),
				"axes_order", ints(0, 1),
				"axis_physical_types", strs("custom:pos.helioprojective.lon", "custom:pos.helioprojective.lat"),
				"name", str("helioprojective"),
				"reference_frame", mapping("tag:sunpy.org:sunpy/coordinates/frames/helioprojective-1.0.0",
					"frame_attributes", mapping("",
						"obstime", timeNode(ref),
						"rsun", quantity(695700, "km"))),
				"unit", flowSeq(unit("arcsec"), unit("arcsec"))),
			mapping("tag:stsci.edu:gwcs/spectral_frame-1.0.0",
				"axes_names", strs("wavelength"),
				"axes_order", ints(2),
				"axis_physical_types", strs("em.wl"),
				"name", str("wavelength"),
				"unit", flowSeq(unit("nm"))),
			mapping("tag:stsci.edu:gwcs/temporal_frame-1.0.0",
				"axes_names", strs("time"),
				"axes_order", ints(3),
				"axis_physical_types", strs("time"),
				"name", str("temporal"),
				"reference_frame", timeNode(ref),
				"unit", flowSeq(unit("s"))),
			mapping("tag:stsci.edu:gwcs/stokes_frame-1.0.0",
				"axes_order", ints(4),
				"name", str("polarization state")),
		),
		"name", str("CompositeFrame"))
}

// compose chains models (astropy's |); asdf-astropy's compose holds two models, so
// longer chains nest to the left as astropy's own trees do.
func compose(parts ...*yaml.Node) *yaml.Node {
	n := parts[0]
	for _, p := range parts[1:] {
		n = mapping("!transform/compose-1.2.0", "forward", seq(n, p))
	}
	return n
}

// concatenate joins models side by side (astropy's &), nested to the left as compose.
func concatenate(parts ...*yaml.Node) *yaml.Node {
	n := parts[0]
	for _, p := range parts[1:] {
		n = mapping("!transform/concatenate-1.2.0", "forward", seq(n, p))
	}
	return n
}

// remap is astropy's Mapping over nIn inputs.
func remap(nIn int, mapping_ ...int) *yaml.Node {
	return mapping("!transform/remap_axes-1.3.0", "mapping", ints(mapping_...), "n_inputs", integer(nIn))
}

func shift(offset float64) *yaml.Node {
	return mapping("!transform/shift-1.2.0", "offset", quantity(offset, "pixel"))
}

func linear1d(slope, intercept float64, slopeUnit, interceptUnit string) *yaml.Node {
	return mapping("!transform/linear1d-1.0.0",
		"intercept", quantity(intercept, interceptUnit),
		"slope", quantity(slope, slopeUnit))
}

// description is the inventory's description: what the synthetic data are.
func (g Geometry) description() string {
	if g.Instrument == "CRYO-NIRSP" {
		return "Synthetic Cryo-NIRSP spectropolarimeter Level-1 stand-in written by gokist: a granulation scene with " +
			"line profiles placed at He I 1083 nm, not an observation."
	}
	return "Synthetic VISP Level-1 stand-in written by gokist sample: a granulation scene with the Fe I 630 nm lines, not an observation."
}
