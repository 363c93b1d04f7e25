package sample

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"gokist/fits"
	"gokist/obj"
)

// MarkerFile marks a directory written by Generate, which may be overwritten without
// Force.
const MarkerFile = ".gokist-sample"

// GeneratorVersion identifies what Generate writes for given options. Bump it whenever a
// change alters the files (scene, noise, header keys, layout), so that caches of earlier
// samples keyed on it, such as the runtime benchmarks', are written afresh. 4: the
// ASDF inventory gained the data centre's provenance fields; 5: the headers gained the
// observing conditions (pointing, light level, ATMOS_R0); 6: the inventory its
// browseMovieUrl.
const GeneratorVersion = 6

// Options configures Generate.
type Options struct {
	// Dir is the output directory; empty means DefaultDir().
	Dir string
	// Size is "default" (when empty), "small" or "tutorial"; Shape, when non-zero,
	// overrides it.
	Size string
	// Shape is (stokes, raster, wavelength, slit).
	Shape [4]int
	// Seed makes the scene and the noise; the same seed gives identical files.
	Seed int64
	// Plain writes uncompressed primary-HDU images instead of RICE_1 tiles.
	Plain bool
	// Force allows writing into a non-empty directory that is not a sample.
	Force bool
	// Workers bounds the files generated at once; zero means one per core.
	Workers int
	// Instrument is "VISP" (when empty) or "CRYO-NIRSP" (a spectropolarimeter scan
	// with its names and keys, the lines moved to He I 1083 nm).
	Instrument string
	// DatasetID is the dataset's five-letter id (DSETID, file and index names); empty
	// means AGLKO, the id the reference tutorial's dataset has.
	DatasetID string
	// Progress, when set, is called after each file with the files done, the total
	// and the bytes written so far. Calls are serialised.
	Progress func(filesDone, filesTotal int, bytes int64)
}

// Result describes a written dataset.
type Result struct {
	Dir   string
	Shape [4]int
	// Files counts the FITS files; Bytes includes the ASDF index.
	Files int
	Bytes int64
	// ASDF is the path of the dataset's ASDF index.
	ASDF string
}

// ErrInvalid marks errors in the options (bad size or shape, unusable directory): the
// command exits with status 2 for them.
var ErrInvalid = errors.New("invalid sample options")

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...))
}

// Sizes are the named dataset shapes. The default covers every index of the DKIST
// rebinning tutorial (ds[0, 520:720, :, 1000:1500], ds_I[500, :, 1000], raster steps
// binned by 10) in a narrower wavelength window than the real data's that holds the Fe I
// lines: about 1.1 GB on disk, written in about 60 CPU seconds (30 s on two idle cores).
var Sizes = map[string][4]int{
	"default":  {4, 730, 160, 2555},
	"small":    {4, 80, 160, 2555},
	"tutorial": {4, 1000, 976, 2555},
}

// DefaultDir is where the reference tutorial expects its VISP dataset.
func DefaultDir() (string, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("no home directory for the default sample directory: %w", err)
	}
	return filepath.Join(home, "sunpy", "data", "VISP", "AGLKO"), nil
}

// ResolveShape returns the dataset shape for the options, checking it.
func ResolveShape(opt Options) ([4]int, error) {
	if opt.Shape != ([4]int{}) {
		s := opt.Shape
		for i, v := range s {
			if v <= 0 {
				return s, invalid("shape %d,%d,%d,%d: axis %d is not a positive integer", s[0], s[1], s[2], s[3], i)
			}
		}
		if s[0] > 4 {
			return s, invalid("shape %d,%d,%d,%d: the first axis is Stokes (I, Q, U, V), at most 4", s[0], s[1], s[2], s[3])
		}
		if s[2] < 8 {
			return s, invalid("shape %d,%d,%d,%d: at least 8 wavelength pixels are needed to hold the lines", s[0], s[1], s[2], s[3])
		}
		if s[1] > 99999 {
			return s, invalid("shape %d,%d,%d,%d: at most 99999 raster steps", s[0], s[1], s[2], s[3])
		}
		return s, nil
	}
	size := opt.Size
	if size == "" {
		size = "default"
	}
	s, ok := Sizes[size]
	if !ok {
		return s, invalid("unknown size %q (want default, small or tutorial)", size)
	}
	return s, nil
}

// prepareDir checks that dir may receive a sample, creates it and marks it. It returns
// whether the directory was created, and the stale sample files to remove once the new
// ones are written.
func prepareDir(dir string, shape [4]int, seed int64, force bool) (created bool, err error) {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return false, invalid("cannot create directory %s: %v", dir, unwrapPath(err))
		}
		created = true
	case err != nil:
		return false, invalid("cannot read directory %s: %v", dir, unwrapPath(err))
	case len(entries) > 0 && !force:
		if _, err := os.Stat(filepath.Join(dir, MarkerFile)); err != nil {
			return false, invalid("directory %s is not empty and not a gokist sample; use --force to write into it", dir)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, MarkerFile), []byte(markerText(shape, seed)), 0o644); err != nil {
		if created {
			os.Remove(dir)
		}
		return false, invalid("cannot write to directory %s: %v", dir, unwrapPath(err))
	}
	return created, nil
}

// unwrapPath drops the path from an *fs.PathError, which the caller's message names.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// resolveDir is the absolute directory opt names (DefaultDir when empty, ~ expanded).
func resolveDir(opt Options) (string, error) {
	dir := opt.Dir
	if dir == "" {
		var err error
		if dir, err = DefaultDir(); err != nil {
			return "", invalid("%v", err)
		}
	}
	expanded := obj.ExpandHome(dir)
	if expanded == dir && (dir == "~" || strings.HasPrefix(dir, "~/")) {
		return "", invalid("cannot expand %s: the home directory is unknown", dir)
	}
	if abs, err := filepath.Abs(expanded); err == nil {
		expanded = abs
	}
	return expanded, nil
}

// Current tells whether the directory opt names already holds the sample Generate would
// write: the same shape, seed and generator version in its marker, and the ASDF index,
// which is written last, present. Generate need not run again then.
func Current(opt Options) (dir string, ok bool) {
	shape, err := ResolveShape(opt)
	if err != nil {
		return "", false
	}
	if dir, err = resolveDir(opt); err != nil {
		return "", false
	}
	marker, err := os.ReadFile(filepath.Join(dir, MarkerFile))
	if err != nil || string(marker) != markerText(shape, opt.Seed) {
		return dir, false
	}
	g := NewGeometry(shape)
	if opt.DatasetID != "" {
		g.DatasetID = opt.DatasetID
	}
	_, err = os.Stat(filepath.Join(dir, g.ASDFName()))
	return dir, err == nil
}

// markerText is what the marker file of a sample says.
func markerText(shape [4]int, seed int64) string {
	return fmt.Sprintf("gokist sample dataset\nshape %d,%d,%d,%d\nseed %d\ngenerator version %d\n", shape[0], shape[1], shape[2], shape[3], seed, GeneratorVersion)
}

// job is one file to write.
type job struct{ stokes, step int }

// Generate writes a sample dataset and returns what it wrote. Errors in the options
// wrap ErrInvalid and leave nothing behind; a failure while writing removes the files
// this call wrote.
func Generate(ctx context.Context, opt Options) (Result, error) {
	shape, err := ResolveShape(opt)
	if err != nil {
		return Result{}, err
	}
	dir, err := resolveDir(opt)
	if err != nil {
		return Result{}, err
	}
	created, err := prepareDir(dir, shape, opt.Seed, opt.Force)
	if err != nil {
		return Result{}, err
	}

	g := NewGeometry(shape)
	if opt.DatasetID != "" {
		g.DatasetID = opt.DatasetID
	}
	g.ForInstrument(opt.Instrument)
	// The index is written last and marks a complete sample: an earlier one goes first,
	// so that an interrupted rewrite does not look complete.
	os.Remove(filepath.Join(dir, g.ASDFName()))
	sc := newScene(opt.Seed)
	prof := newSpectralProfiles(g.restWavelengths())
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	total := shape[0] * shape[1]
	headers := make([]*fits.Header, total) // row-major over (Stokes, raster step)
	jobs := make(chan job)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	var (
		mu      sync.Mutex
		done    int
		bytes   int64
		written []string
		first   error
		wg      sync.WaitGroup
		failed  atomic.Bool
	)
	fail := func(err error) {
		mu.Lock()
		if first == nil {
			first = err
		}
		mu.Unlock()
		failed.Store(true)
		cancel()
	}
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := newFileWriter(g, sc, prof, opt, dir)
			for j := range jobs {
				if failed.Load() {
					continue
				}
				path, size, hdr, err := w.write(j.stokes, j.step)
				if err != nil {
					fail(err)
					continue
				}
				mu.Lock()
				headers[j.stokes*shape[1]+j.step] = hdr
				done++
				bytes += size
				written = append(written, path)
				if opt.Progress != nil {
					opt.Progress(done, total, bytes)
				}
				mu.Unlock()
			}
		}()
	}
feed:
	for k := range shape[1] {
		for s := range shape[0] {
			select {
			case jobs <- job{stokes: s, step: k}:
			case <-ctx.Done():
				break feed
			}
		}
	}
	close(jobs)
	wg.Wait()
	if first == nil && ctx.Err() != nil {
		first = ctx.Err()
	}
	var index string
	if first == nil {
		var size int64
		if index, size, first = writeIndex(dir, g, headers, !opt.Plain); first == nil {
			written = append(written, index)
			bytes += size
		}
	}
	if first != nil {
		for _, p := range written {
			os.Remove(p)
		}
		if created {
			os.Remove(filepath.Join(dir, MarkerFile))
			os.Remove(dir)
		}
		return Result{}, first
	}
	removeStale(dir, g.prefix(), written)
	return Result{Dir: dir, Shape: shape, Files: done, Bytes: bytes, ASDF: index}, nil
}

// removeStale deletes sample files of an earlier run in dir that this run did not write
// (an earlier, larger shape), so that the directory holds exactly one dataset.
func removeStale(dir, prefix string, written []string) {
	keep := make(map[string]bool, len(written))
	for _, p := range written {
		keep[filepath.Base(p)] = true
	}
	old, _ := filepath.Glob(filepath.Join(dir, prefix+"_*_L1.fits"))
	indexes, _ := filepath.Glob(filepath.Join(dir, prefix+"_L1_*.asdf"))
	for _, p := range append(old, indexes...) {
		if !keep[filepath.Base(p)] {
			os.Remove(p)
		}
	}
}

// fileWriter generates and writes files, reusing its buffers.
type fileWriter struct {
	g    Geometry
	sc   scene
	prof spectralProfiles
	opt  Options
	dir  string
	data []float32
	ys   []float64
}

func newFileWriter(g Geometry, sc scene, prof spectralProfiles, opt Options, dir string) *fileWriter {
	ys := make([]float64, g.Shape[3])
	for j := range ys {
		_, ys[j] = g.scenePosition(0, j)
	}
	return &fileWriter{g: g, sc: sc, prof: prof, opt: opt, dir: dir, data: make([]float32, g.Shape[2]*g.Shape[3]), ys: ys}
}

// write generates the file of Stokes index s and raster step k, writes it under a
// temporary name and renames it into place. It returns the path, the size and the
// header written.
func (w *fileWriter) write(s, k int) (string, int64, *fits.Header, error) {
	// Each file has its own noise stream, so the order in which workers take files
	// does not change the bytes.
	rng := rand.New(rand.NewPCG(uint64(w.opt.Seed), uint64(k)<<8|uint64(s)))
	x, _ := w.g.scenePosition(k, 0)
	fillSpectra(w.data, s, w.sc, w.prof, x, w.ys, rng)
	name := w.g.FileName(s, k)
	hdr := w.g.fileHeader(s, k, !w.opt.Plain, statistics(w.data))
	final := filepath.Join(w.dir, name)
	tmp := filepath.Join(w.dir, "."+name+".tmp")
	f, err := os.Create(tmp)
	if err != nil {
		return "", 0, nil, fmt.Errorf("sample: %s: %w", tmp, unwrapPath(err))
	}
	shape := []int{1, w.g.Shape[2], w.g.Shape[3]}
	err = fits.WriteImage(f, hdr, shape, w.data, fits.WriteOptions{Compress: !w.opt.Plain})
	var size int64
	if err == nil {
		var st os.FileInfo
		if st, err = f.Stat(); err == nil {
			size = st.Size()
		}
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, final)
	}
	if err != nil {
		os.Remove(tmp)
		return "", 0, nil, fmt.Errorf("sample: writing %s: %w", final, err)
	}
	return final, size, hdr, nil
}
