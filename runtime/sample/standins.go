package sample

// This file holds the synthetic stand-ins for the dkist package's sample datasets
// (dkist.data.sample): where they live, what each one is, and writing one on first use.

import (
	"context"
	_ "embed"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"gokist/fits"
)

// StandIn is a dkist sample dataset that gokist writes instead of downloading.
type StandIn struct {
	// Name is dkist's name for it, such as VISP_L1_KMUPT.
	Name string
	// Doc says what the real sample is and what stands in for it.
	Doc string
	// Options writes it (Dir is set by Ensure), unless Imager is set.
	Options Options
	// Imager, when set, makes it an imaging time series (VBI's a mosaic) written by
	// WriteImager.
	Imager *ImagerOptions
}

// StandIns are the sample datasets of dkist.data.sample, by name. Each is small, so
// that its first use takes seconds, but large enough for the indexes of the DKIST
// tutorials that use it (ds[0, 200], ds[:, :200, :200]).
var StandIns = map[string]StandIn{
	"VISP_L1_KMUPT": {
		Name:    "VISP_L1_KMUPT",
		Doc:     "A VISP Level-1 dataset (4 Stokes, 210 raster steps, 96 wavelengths around Fe I 630 nm, 256 slit pixels): a synthetic stand-in for dkist's VISP sample.",
		Options: Options{Shape: [4]int{4, 210, 96, 256}, Seed: 17, DatasetID: "KMUPT"},
	},
	"VBI_L1_NZJTB": {
		Name: "VBI_L1_NZJTB",
		Doc: "A VBI Level-1 dataset: a mosaic of 3×3 tiles, each 4 frames of 256² pixels (VBI's 4096², scaled down) of granulation " +
			"over 45″ (a TiledDataset): a synthetic stand-in for dkist's VBI sample.",
		Imager: &ImagerOptions{Tiles: 3, Size: 256, Frames: 4, Seed: 19, DatasetID: "NZJTB"},
	},
	"CRYO_L1_TJKGC": {
		Name: "CRYO_L1_TJKGC",
		Doc: "A Cryo-NIRSP spectropolarimeter Level-1 scan (4 Stokes, 100 scan steps, 96 wavelengths around He I 1083 nm, 256 slit " +
			"pixels): a synthetic stand-in for dkist's Cryo-NIRSP SP sample.",
		Options: Options{Shape: [4]int{4, 100, 96, 256}, Seed: 29, DatasetID: "TJKGC", Instrument: "CRYO-NIRSP"},
	},
	"CRYO_L1_MSCGD": {
		Name: "CRYO_L1_MSCGD",
		Doc: "A Cryo-NIRSP context imager Level-1 dataset: 10 frames of 256² pixels over 150″ in Fe XIII 1074.7 nm " +
			"(a synthetic stand-in for dkist's Cryo-NIRSP CI sample).",
		Imager: &ImagerOptions{Instrument: "CRYO-NIRSP", Tiles: 1, Size: 256, Frames: 10, Seed: 23, DatasetID: "MSCGD"},
	},
}

// Missing are dkist's sample names gokist writes no stand-in for yet, with what the
// real sample is.
var Missing = map[string]string{}

// DeprecatedNames maps dkist's former sample names to their replacements.
var DeprecatedNames = map[string]string{
	"VISP_BKPLX": "VISP_L1_KMUPT",
	"VBI_AJQWW":  "VBI_L1_NZJTB",
}

// DataDir is where the stand-ins are written, as dkist's sample data directory:
// $DKIST_SAMPLE_DIR, else the user data directory ($XDG_DATA_HOME/dkist, by default
// ~/.local/share/dkist).
func DataDir() (string, error) {
	if d := strings.Trim(os.Getenv("DKIST_SAMPLE_DIR"), "'"); d != "" {
		return d, nil
	}
	if d := os.Getenv("XDG_DATA_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "dkist"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("no home directory for the sample data directory (set DKIST_SAMPLE_DIR): %w", err)
	}
	return filepath.Join(home, ".local", "share", "dkist"), nil
}

// ensureMu serialises writing stand-ins, so that two cells (or a cell and
// download_all_sample_data) do not write the same directory at once.
var ensureMu sync.Mutex

// Ensure returns the directory of the stand-in, writing it first unless a complete copy
// is there (one with its ASDF index, written by this generator version). progress, when
// set, is called as Generate's Progress.
func (s StandIn) Ensure(ctx context.Context, progress func(done, total int, bytes int64)) (string, bool, error) {
	root, err := DataDir()
	if err != nil {
		return "", false, err
	}
	dir := filepath.Join(root, s.Name)
	ensureMu.Lock()
	defer ensureMu.Unlock()
	if s.Imager != nil {
		if CompleteImager(dir, *s.Imager) {
			return dir, false, nil
		}
		_, err := WriteImager(ctx, dir, *s.Imager, progress)
		return dir, err == nil, err
	}
	if s.complete(dir) {
		return dir, false, nil
	}
	opt := s.Options
	opt.Dir, opt.Progress = dir, progress
	if _, err := Generate(ctx, opt); err != nil {
		return "", false, err
	}
	return dir, true, nil
}

// complete reports whether dir holds this stand-in as the current generator writes it.
func (s StandIn) complete(dir string) bool {
	shape, err := ResolveShape(s.Options)
	if err != nil {
		return false
	}
	g := NewGeometry(shape)
	g.DatasetID = s.Options.DatasetID
	g.ForInstrument(s.Options.Instrument)
	if _, err := os.Stat(filepath.Join(dir, g.ASDFName())); err != nil {
		return false
	}
	marker, err := os.ReadFile(filepath.Join(dir, MarkerFile))
	want := fmt.Sprintf("shape %d,%d,%d,%d\nseed %d\ngenerator version %d\n", shape[0], shape[1], shape[2], shape[3], s.Options.Seed, GeneratorVersion)
	return err == nil && strings.HasSuffix(string(marker), want)
}

//go:embed data/VISP_HEADER.hdr
var vispHeaderText string

// VISPHeader is dkist's VISP_HEADER: a real VISP Level-1 header (dataset BEOGN, 630 nm),
// copied from the dkist package with its licence (data/LICENSE-dkist.rst).
func VISPHeader() (*fits.Header, error) {
	return fits.ParseHeaderText(strings.NewReader(vispHeaderText))
}

// VISPHeaderText is VISP_HEADER's text file, one card per line, as dkist ships it.
func VISPHeaderText() string { return vispHeaderText }

// Remove deletes the stand-in's directory if it holds a gokist sample (its marker file),
// so that it is written afresh; anything else there is left alone.
func (s StandIn) Remove() error {
	root, err := DataDir()
	if err != nil {
		return err
	}
	dir := filepath.Join(root, s.Name)
	if _, err := os.Stat(filepath.Join(dir, MarkerFile)); err != nil {
		return nil
	}
	return os.RemoveAll(dir)
}
