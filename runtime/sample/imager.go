package sample

// This file writes the imaging stand-ins: VBI's mosaic of Tiles×Tiles image tiles, each
// a time series of Frames images of Size² pixels (one RICE_1 file per tile and frame,
// VBI-like headers with the SPEC-214 mosaic keys MINDEX1/MINDEX2), with its ASDF index as
// the data centre writes a VBI one: dkist's tiled_dataset over one dataset per tile, each
// with its own file_manager, headers table and gwcs, all sharing one inventory record;
// and a single imager's time series (Cryo-NIRSP's context imager), whose index is one
// dataset.

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"gokist/fits"
)

// ImagerOptions configures WriteImager.
type ImagerOptions struct {
	// Tiles is the mosaic's tiles per side (VBI: 3); Size each tile's pixels per side
	// (VBI: 4096, scaled down); Frames the time steps.
	Tiles, Size, Frames int
	Seed                int64
	DatasetID           string
	// Instrument is "VBI" (when empty: a mosaic, its index a tiled_dataset) or
	// "CRYO-NIRSP" (its context imager: one tile, its index one dataset).
	Instrument string
}

// imagerProfile is what differs between the instruments the imaging stand-ins imitate.
type imagerProfile struct {
	instrument, prefix, line, description string
	lineNM, field                         float64 // line centre (nm), field of view per tile side (arcsec)
	mosaic                                bool
}

var imagerProfiles = map[string]imagerProfile{
	"VBI": {instrument: "VBI", prefix: "VBI", line: "H-beta (486.14 nm)", lineNM: 486.135, field: 45, mosaic: true,
		description: "Synthetic VBI Level-1 stand-in written by gokist: a 3×3 mosaic of granulation images over time, not an observation."},
	"CRYO-NIRSP": {instrument: "CRYO-NIRSP", prefix: "CRYO-NIRSP", line: "Fe XIII (1074.7 nm)", lineNM: 1074.7, field: 150,
		description: "Synthetic Cryo-NIRSP context imager Level-1 stand-in written by gokist: granulation images over time, not an observation."},
}

func (g ImagerGeometry) profile() imagerProfile {
	if p, ok := imagerProfiles[g.Instrument]; ok {
		return p
	}
	return imagerProfiles["VBI"]
}

// ImagerGeometry is where an imaging stand-in's tiles look and when.
type ImagerGeometry struct {
	ImagerOptions
	// Scale is the pixel scale (arcsec), chosen so that a tile spans the instrument's
	// field (VBI: 45″) whatever Size is; Step is the distance between tile centres (the tiles overlap).
	Scale, Step        float64
	CentreTx, CentreTy float64
	Start              time.Time
	Cadence, Exposure  time.Duration
}

// NewImagerGeometry returns the geometry of the imaging stand-in opt describes.
func NewImagerGeometry(opt ImagerOptions) ImagerGeometry {
	g := ImagerGeometry{ImagerOptions: opt}
	field := g.profile().field
	scale := field / float64(opt.Size)
	return ImagerGeometry{
		ImagerOptions: opt,
		Scale:         scale,
		Step:          0.9 * field,
		CentreTx:      -302.5,
		CentreTy:      241.0,
		Start:         time.Date(2022, 6, 2, 17, 22, 50, 0, time.UTC),
		Cadence:       4 * time.Second,
		Exposure:      20 * time.Millisecond,
	}
}

// TileCentre is (Tx, Ty) in arcsec of the tile at mosaic position (a, b): a along x
// (MINDEX1 - 1), b along y (MINDEX2 - 1).
func (g ImagerGeometry) TileCentre(a, b int) (float64, float64) {
	mid := float64(g.Tiles-1) / 2
	return g.CentreTx + (float64(a)-mid)*g.Step, g.CentreTy + (float64(b)-mid)*g.Step
}

// RefPixel is CRPIX1 = CRPIX2 of every file: the tile's centre.
func (g ImagerGeometry) RefPixel() float64 { return float64(g.Size+1) / 2 }

// FrameStart is DATE-BEG of frame t.
func (g ImagerGeometry) FrameStart(t int) time.Time { return g.Start.Add(time.Duration(t) * g.Cadence) }

// FileName is the file of tile (a, b) and frame t, shaped like real L1 names.
func (g ImagerGeometry) FileName(a, b, t int) string {
	date := strings.NewReplacer("-", "_", ":", "_", ".", "_").Replace(g.FrameStart(t).Format(timeLayout))
	if !g.profile().mosaic {
		return fmt.Sprintf("%s_%s_%04d_I_%s_L1.fits", g.profile().prefix, date, t, g.DatasetID)
	}
	return fmt.Sprintf("%s_%s_%d%d_%04d_I_%s_L1.fits", g.profile().prefix, date, a+1, b+1, t, g.DatasetID)
}

// ASDFName is the index's file name.
func (g ImagerGeometry) ASDFName() string {
	return fmt.Sprintf("%s_L1_%s_%s.asdf", g.profile().prefix, g.Start.Format("20060102T150405"), g.DatasetID)
}

// marker is the marker file's text of an imaging stand-in.
func (g ImagerGeometry) marker() string {
	return fmt.Sprintf("gokist sample dataset\n%s tiles %d size %d frames %d\nseed %d\ngenerator version %d\n", g.profile().instrument, g.Tiles, g.Size, g.Frames, g.Seed, GeneratorVersion)
}

// CompleteImager reports whether dir holds the imaging stand-in opt describes, as this generator
// writes it (its marker and its index, which is written last).
func CompleteImager(dir string, opt ImagerOptions) bool {
	g := NewImagerGeometry(opt)
	marker, err := os.ReadFile(filepath.Join(dir, MarkerFile))
	if err != nil || string(marker) != g.marker() {
		return false
	}
	_, err = os.Stat(filepath.Join(dir, g.ASDFName()))
	return err == nil
}

// WriteImager writes the imaging stand-in into dir (refusing a non-empty directory that is not a
// gokist sample) and returns the path of its ASDF index.
func WriteImager(ctx context.Context, dir string, opt ImagerOptions, progress func(done, total int, bytes int64)) (string, error) {
	g := NewImagerGeometry(opt)
	if opt.Tiles < 1 || opt.Size < 8 || opt.Frames < 1 || (!g.profile().mosaic && opt.Tiles != 1) {
		return "", invalid("an imaging sample needs at least 1 tile (exactly 1 without a mosaic), 8 pixels and 1 frame, not %d, %d, %d", opt.Tiles, opt.Size, opt.Frames)
	}
	if _, err := prepareDir(dir, [4]int{}, opt.Seed, false); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(dir, MarkerFile), []byte(g.marker()), 0o644); err != nil {
		return "", fmt.Errorf("sample: %w", err)
	}
	sc := newScene(opt.Seed)
	total := g.Tiles * g.Tiles * g.Frames
	headers := make([][]*fits.Header, g.Tiles*g.Tiles)
	var bytes int64
	data := make([]float32, g.Size*g.Size)
	for a := range g.Tiles {
		for b := range g.Tiles {
			for t := range g.Frames {
				if err := ctx.Err(); err != nil {
					return "", err
				}
				g.fillImage(data, sc, a, b, t)
				hdr := g.fileHeader(a, b, t, statistics(data))
				size, err := writeImageFile(filepath.Join(dir, g.FileName(a, b, t)), hdr, []int{1, g.Size, g.Size}, data)
				if err != nil {
					return "", err
				}
				headers[a*g.Tiles+b] = append(headers[a*g.Tiles+b], hdr)
				bytes += size
				if progress != nil {
					progress((a*g.Tiles+b)*g.Frames+t+1, total, bytes)
				}
			}
		}
	}
	return g.writeIndex(dir, headers)
}

// fillImage is the continuum of the granulation scene seen by tile (a, b) at frame t
// (the scene drifts slowly), in counts, with photon-like noise.
func (g ImagerGeometry) fillImage(out []float32, sc scene, a, b, t int) {
	rng := rand.New(rand.NewPCG(uint64(g.Seed), uint64(a)<<16|uint64(b)<<8|uint64(t)))
	tx, ty := g.TileCentre(a, b)
	ref := g.RefPixel()
	drift := 0.05 * float64(t)
	for y := range g.Size {
		for x := range g.Size {
			px := tx - g.CentreTx + (float64(x+1)-ref)*g.Scale + drift
			py := ty - g.CentreTy + (float64(y+1)-ref)*g.Scale
			v := 2.0e4 * sc.at(px, py).continuum
			out[y*g.Size+x] = float32(v + math.Sqrt(v)*rng.NormFloat64())
		}
	}
}

// writeImageFile writes one compressed image file under a temporary name renamed into
// place, and returns its size.
func writeImageFile(path string, hdr *fits.Header, shape []int, data []float32) (int64, error) {
	tmp := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".tmp")
	f, err := os.Create(tmp)
	if err != nil {
		return 0, fmt.Errorf("sample: %s: %w", tmp, unwrapPath(err))
	}
	err = fits.WriteImage(f, hdr, shape, data, fits.WriteOptions{Compress: true})
	var size int64
	if st, serr := f.Stat(); err == nil && serr == nil {
		size = st.Size()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return 0, fmt.Errorf("sample: writing %s: %w", path, err)
	}
	return size, nil
}

// fileHeader is the image header of tile (a, b), frame t, laid out as a VBI L1 header
// (the mosaic keys only for a mosaic).
func (g ImagerGeometry) fileHeader(a, b, t int, stats dataStats) *fits.Header {
	h := fits.NewHeader()
	set := func(key string, v any) { h.Set(key, v, "") }
	begin := g.FrameStart(t)
	avg := begin.Add(g.Exposure / 2)
	tx, ty := g.TileCentre(a, b)
	set("BUNIT", "ct")
	set("DATE", g.Start.Add(24*time.Hour).Format(timeLayout))
	set("DATE-BEG", begin.Format(timeLayout))
	set("DATE-END", begin.Add(g.Exposure).Format(timeLayout))
	set("DATE-AVG", avg.Format("2006-01-02T15:04:05.000000"))
	set("MJD-BEG", modifiedJulianDate(begin))
	set("MJD-AVG", modifiedJulianDate(avg))
	set("TELAPSE", g.Exposure.Seconds())
	set("ORIGIN", "National Solar Observatory")
	set("TELESCOP", "Daniel K. Inouye Solar Telescope")
	set("INSTRUME", g.profile().instrument)
	set("OBJECT", "quietsun")
	set("WCSAXES", 2)
	set("WCSNAME", "Helioprojective-cartesian")
	set("CRPIX1", g.RefPixel())
	set("CRPIX2", g.RefPixel())
	set("CRVAL1", tx)
	set("CRVAL2", ty)
	set("CDELT1", g.Scale)
	set("CDELT2", g.Scale)
	set("CUNIT1", "arcsec")
	set("CUNIT2", "arcsec")
	set("CTYPE1", "HPLN-TAN")
	set("CTYPE2", "HPLT-TAN")
	set("PC1_1", 1.0)
	set("PC1_2", 0.0)
	set("PC2_1", 0.0)
	set("PC2_2", 1.0)
	set("LONPOLE", 180.0)
	set("DSETID", g.DatasetID)
	set("PROCTYPE", "L1")
	set("EXTNAME", "observation")
	set("FILENAME", g.FileName(a, b, t))
	set("CADENCE", g.Cadence.Seconds())
	set("LEVEL", 1)
	set("DNAXIS", 3)
	set("DNAXIS1", g.Size)
	set("DNAXIS2", g.Size)
	set("DNAXIS3", g.Frames)
	for i, v := range []string{"SPATIAL", "SPATIAL", "TEMPORAL"} {
		set(fmt.Sprintf("DTYPE%d", i+1), v)
	}
	for i, v := range []string{"spatial x", "spatial y", "frame number"} {
		set(fmt.Sprintf("DPNAME%d", i+1), v)
	}
	for i, v := range []string{"helioprojective longitude", "helioprojective latitude", "time"} {
		set(fmt.Sprintf("DWNAME%d", i+1), v)
	}
	for i, v := range []string{"arcsec", "arcsec", "s"} {
		set(fmt.Sprintf("DUNIT%d", i+1), v)
	}
	set("DAAXES", 2)
	set("DEAXES", 1)
	set("DINDEX3", t+1)
	if g.profile().mosaic {
		set("MAXIS", 2)
		set("MAXIS1", g.Tiles)
		set("MAXIS2", g.Tiles)
		set("MINDEX1", a+1)
		set("MINDEX2", b+1)
	}
	set("LINEWAV", g.profile().lineNM)
	set("WAVEBAND", g.profile().line)
	set("DATAMIN", stats.min)
	set("DATAMAX", stats.max)
	set("DATAMEAN", stats.mean)
	if g.profile().instrument == "VBI" {
		set("VBINMOSC", g.Tiles*g.Tiles)
		set("VBICMOSC", a*g.Tiles+b+1)
		set("VBISTP", a*g.Tiles+b+1)
	}
	return h
}

// writeIndex writes the tiled ASDF index: one dataset per tile (numpy order [a][b]) and
// one inventory record, written once and referenced from every tile (dkist checks that
// the tiles' inventory is the tiled dataset's own object).
func (g ImagerGeometry) writeIndex(dir string, headers [][]*fits.Header) (string, error) {
	doc := newASDFDoc()
	inv := g.inventory()
	if !g.profile().mosaic {
		doc.set("dataset", g.tileDataset(doc, 0, 0, headers[0], inv))
		path, _, err := writeDoc(dir, g.ASDFName(), doc)
		return path, err
	}
	inv.Anchor = "inventory"
	rows := make([]*yaml.Node, g.Tiles)
	for a := range g.Tiles {
		var tiles []*yaml.Node
		for b := range g.Tiles {
			tiles = append(tiles, g.tileDataset(doc, a, b, headers[a*g.Tiles+b], &yaml.Node{Kind: yaml.AliasNode, Alias: inv, Value: inv.Anchor}))
		}
		rows[a] = seq(tiles...)
	}
	doc.set("dataset", mapping("asdf://dkist.nso.edu/tags/tiled_dataset-1.0.0",
		"inventory", inv,
		"datasets", seq(rows...)))
	path, _, err := writeDoc(dir, g.ASDFName(), doc)
	return path, err
}

// tileDataset is tile (a, b)'s dataset node: its files, headers table, inventory (the
// record, or an alias of the tiled dataset's) and gwcs.
func (g ImagerGeometry) tileDataset(doc *asdfDoc, a, b int, headers []*fits.Header, inv *yaml.Node) *yaml.Node {
	names := make([]string, g.Frames)
	for t := range names {
		names[t] = g.FileName(a, b, t)
	}
	fm := mapping("asdf://dkist.nso.edu/tags/file_manager-1.0.0",
		"datatype", str("float32"),
		"fileuris", strs(names...),
		"shape", ints(1, g.Size, g.Size),
		"target", integer(1))
	cols := imageHeaderColumns(g.Size, g.Size, headers, true)
	return mapping("asdf://dkist.nso.edu/tags/dataset-1.1.0",
		"data", fm,
		"meta", mapping("", "headers", doc.table(cols), "inventory", inv),
		"unit", unit("ct"),
		"wcs", g.gwcs(a, b))
}

// inventory is the imaging stand-in's inventory record; it says that the data are synthetic.
func (g ImagerGeometry) inventory() *yaml.Node {
	lon0, lat0 := g.TileCentre(0, 0)
	lon1, lat1 := g.TileCentre(g.Tiles-1, g.Tiles-1)
	half := g.Scale * float64(g.Size) / 2
	instrument := strings.ToLower(strings.ReplaceAll(g.profile().instrument, "-", ""))
	centre := centreRecord{proposal: "pid_2_114", experiment: "eid_2_114", dataset: g.DatasetID, frames: g.Tiles * g.Tiles * g.Frames,
		workflow: "l0_to_l1_" + instrument, calibrationDocs: "https://docs.dkist.nso.edu/projects/" + instrument}
	return withCentreRecord(centre,
		"asdfObjectKey", str("pid_2_114/"+g.DatasetID+"/"+g.ASDFName()),
		"averageDatasetSpatialSampling", float(g.Scale),
		"averageDatasetTemporalSampling", float(g.Cadence.Seconds()),
		"boundingBox", seq(floats(lon0-half, lat0-half), floats(lon1+half, lat1+half)),
		"datasetId", str(g.DatasetID),
		"description", str(g.profile().description),
		"endTime", str(g.FrameStart(g.Frames-1).Add(g.Exposure).Format("2006-01-02T15:04:05.000000")),
		"exposureTime", float(g.Exposure.Seconds()*1000),
		"frameCount", integer(g.Tiles*g.Tiles*g.Frames),
		"hasAllStokes", boolean(false),
		"hasSpectralAxis", boolean(false),
		"hasTemporalAxis", boolean(true),
		"instrumentName", str(g.profile().instrument),
		"primaryExperimentId", str("eid_2_114"),
		"primaryProposalId", str("pid_2_114"),
		"startTime", str(g.Start.Format("2006-01-02T15:04:05.000000")),
		"stokesParameters", strs("I"),
		"synthetic", boolean(true),
		"targetTypes", strs("quietsun"),
		"wavelengthMax", float(g.profile().lineNM+0.065),
		"wavelengthMin", float(g.profile().lineNM-0.065),
	)
}

// gwcs is tile (a, b)'s gwcs: pixels (x, y, frame) to helioprojective longitude,
// latitude (the tile's own TAN projection, as its files' FITS WCS) and time.
func (g ImagerGeometry) gwcs(a, b int) *yaml.Node {
	const arcsec = 1.0 / 3600
	tx, ty := g.TileCentre(a, b)
	scale := mapping("!transform/multiplyscale-1.0.0", "factor", quantity(g.Scale*arcsec, "deg.pixel**-1"))
	celestial := compose(
		concatenate(shift(-(g.RefPixel()-1)), shift(-(g.RefPixel()-1))),
		concatenate(scale, scale),
		mapping("!transform/affine-1.3.0",
			"matrix", arrayQuantity([]float64{1, 0, 0, 1}, []int{2, 2}, "deg"),
			"translation", arrayQuantity([]float64{0, 0}, []int{2}, "deg")),
		mapping("!transform/gnomonic-1.2.0", "direction", str("pix2sky")),
		mapping("!transform/rotate3d-1.3.0",
			"direction", str("native2celestial"),
			"phi", quantity(tx*arcsec, "deg"),
			"psi", quantity(180, "deg"),
			"theta", quantity(ty*arcsec, "deg")))
	pixel := mapping("tag:stsci.edu:gwcs/frame-1.0.0",
		"axes_names", strs("spatial x", "spatial y", "frame number"),
		"axes_order", ints(0, 1, 2),
		"axes_type", strs("PIXEL", "PIXEL", "PIXEL"),
		"axis_physical_types", strs("custom:PIXEL", "custom:PIXEL", "custom:PIXEL"),
		"name", str("pixel"),
		"naxes", integer(3),
		"unit", flowSeq(unit("pixel"), unit("pixel"), unit("pixel")))
	ref := g.FrameStart(0).Add(g.Exposure / 2).Format("2006-01-02T15:04:05.000")
	world := mapping("tag:stsci.edu:gwcs/composite_frame-1.0.0",
		"frames", seq(
			mapping("tag:stsci.edu:gwcs/celestial_frame-1.0.0",
				"axes_names", strs("helioprojective longitude", "helioprojective latitude"),
				"axes_order", ints(0, 1),
				"axis_physical_types", strs("custom:pos.helioprojective.lon", "custom:pos.helioprojective.lat"),
				"name", str("helioprojective"),
				"reference_frame", mapping("tag:sunpy.org:sunpy/coordinates/frames/helioprojective-1.0.0",
					"frame_attributes", mapping("", "obstime", timeNode(ref), "rsun", quantity(695700, "km"))),
				"unit", flowSeq(unit("arcsec"), unit("arcsec"))),
			mapping("tag:stsci.edu:gwcs/temporal_frame-1.0.0",
				"axes_names", strs("time"),
				"axes_order", ints(2),
				"axis_physical_types", strs("time"),
				"name", str("temporal"),
				"reference_frame", timeNode(ref),
				"unit", flowSeq(unit("s")))),
		"name", str("CompositeFrame"))
	return mapping("tag:stsci.edu:gwcs/wcs-1.0.0",
		"name", str(""),
		"steps", seq(
			mapping("tag:stsci.edu:gwcs/step-1.0.0", "frame", pixel,
				"transform", concatenate(celestial, linear1d(g.Cadence.Seconds(), 0, "pixel**-1.s", "s"))),
			mapping("tag:stsci.edu:gwcs/step-1.0.0", "frame", world, "transform", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}),
		))
}
