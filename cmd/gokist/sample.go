package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"gokist/runtime/sample"
)

func init() { commands["sample"] = cmdSample }

const sampleUsage = `usage: gokist sample [DIR] [--size default|small|tutorial] [--shape 4,R,W,S] [--seed N] [--plain] [--force] [--keep]

Writes a synthetic VISP Level-1 dataset (one FITS file per Stokes parameter and raster
step, RICE_1 compressed like the DKIST pipeline's, or uncompressed with --plain).
DIR defaults to ~/sunpy/data/VISP/AGLKO. Sizes: default (4,730,160,2555, about 1.1 GB:
every index of the DKIST rebinning tutorial), small (4,80,160,2555, about 100 MB),
tutorial (4,1000,976,2555). --force writes into a non-empty directory that is not a
gokist sample. --keep does nothing when DIR already holds this sample, complete (the
same shape, seed and generator version), as make demo uses it.`

// cmdSample runs `gokist sample`; bad arguments exit 2 with a one-line error.
func cmdSample(args []string) int {
	opt, err := parseSampleArgs(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Println(sampleUsage)
		return 0
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "gokist sample: %v\n", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	var bar *progressBar
	if isTerminal(os.Stdout) {
		bar = newProgressBar(os.Stdout)
		opt.Progress = bar.update
	}
	if keepCurrent {
		if dir, ok := sample.Current(opt); ok {
			fmt.Printf("using the sample dataset in %s (up to date)\n", dir)
			return 0
		}
	}
	res, err := sample.Generate(ctx, opt)
	if bar != nil {
		bar.finish()
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "gokist sample: %v\n", strings.TrimPrefix(err.Error(), sample.ErrInvalid.Error()+": "))
		if errors.Is(err, sample.ErrInvalid) {
			return 2
		}
		return 1
	}
	kind := "RICE_1 compressed"
	if opt.Plain {
		kind = "uncompressed"
	}
	s := res.Shape
	fmt.Printf("wrote %d files (%s float32) and the ASDF index %s to %s\n", res.Files, kind, filepath.Base(res.ASDF), res.Dir)
	fmt.Printf("shape (%d, %d, %d, %d) (stokes, raster, wavelength, slit), %s on disk\n", s[0], s[1], s[2], s[3], formatBytes(res.Bytes))
	fmt.Printf("load it with: ds = Dataset.from_directory(%q)\n", res.Dir)
	return 0
}

// keepCurrent is --keep: an up-to-date sample is left as it is (make demo's step).
var keepCurrent bool

// parseSampleArgs reads [DIR] and the flags in any order.
func parseSampleArgs(args []string) (sample.Options, error) {
	var opt sample.Options
	fs := flag.NewFlagSet("sample", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	size := fs.String("size", "", "default, small or tutorial")
	shape := fs.String("shape", "", "4,R,W,S")
	fs.Int64Var(&opt.Seed, "seed", 1, "random seed")
	fs.BoolVar(&opt.Plain, "plain", false, "uncompressed files")
	fs.BoolVar(&opt.Force, "force", false, "write into a non-empty directory")
	fs.BoolVar(&keepCurrent, "keep", false, "do nothing when DIR already holds this sample, complete")
	var dirs []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return opt, err
			}
			return opt, fmt.Errorf("%v (see gokist sample --help)", err)
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		dirs = append(dirs, args[0])
		args = args[1:]
	}
	if len(dirs) > 1 {
		return opt, fmt.Errorf("one directory expected, got %d: %s", len(dirs), strings.Join(dirs, " "))
	}
	if len(dirs) == 1 {
		opt.Dir = dirs[0]
	}
	if *shape != "" {
		parts := strings.Split(*shape, ",")
		if len(parts) != 4 {
			return opt, fmt.Errorf("--shape %q: want 4 positive integers stokes,raster,wavelength,slit", *shape)
		}
		for i, p := range parts {
			v, err := strconv.Atoi(strings.TrimSpace(p))
			if err != nil || v <= 0 {
				return opt, fmt.Errorf("--shape %q: %q is not a positive integer", *shape, p)
			}
			opt.Shape[i] = v
		}
	}
	opt.Size = *size
	if *size != "" {
		if _, ok := sample.Sizes[*size]; !ok {
			return opt, fmt.Errorf("--size %q: want default, small or tutorial", *size)
		}
	}
	if _, err := sample.ResolveShape(opt); err != nil {
		return opt, errors.New(strings.TrimPrefix(err.Error(), sample.ErrInvalid.Error()+": "))
	}
	return opt, nil
}

// isTerminal reports whether f is a character device (a terminal).
func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// formatBytes prints a byte count in decimal units.
func formatBytes(n int64) string {
	switch {
	case n >= 1e9:
		return fmt.Sprintf("%.2f GB", float64(n)/1e9)
	case n >= 1e6:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	case n >= 1e3:
		return fmt.Sprintf("%.1f kB", float64(n)/1e3)
	}
	return fmt.Sprintf("%d B", n)
}

// progressBar draws one updating line: files done, bytes, rate and time left.
type progressBar struct {
	mu    sync.Mutex
	w     io.Writer
	start time.Time
	last  time.Time
	drawn bool
}

func newProgressBar(w io.Writer) *progressBar {
	return &progressBar{w: w, start: time.Now()}
}

func (p *progressBar) update(done, total int, bytes int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if done < total && now.Sub(p.last) < 100*time.Millisecond {
		return
	}
	p.last = now
	elapsed := now.Sub(p.start).Seconds()
	const width = 30
	filled := width * done / max(total, 1)
	rate, left := 0.0, "--:--"
	if elapsed > 0 {
		rate = float64(bytes) / elapsed
		if done > 0 {
			remaining := time.Duration(elapsed / float64(done) * float64(total-done) * float64(time.Second))
			left = fmt.Sprintf("%d:%02d", int(remaining.Minutes()), int(remaining.Seconds())%60)
		}
	}
	fmt.Fprintf(p.w, "\r[%s%s] %d/%d files  %s  %s/s  %s left ",
		strings.Repeat("#", filled), strings.Repeat(".", width-filled), done, total,
		formatBytes(bytes), formatBytes(int64(rate)), left)
	p.drawn = true
}

func (p *progressBar) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drawn {
		fmt.Fprintln(p.w)
	}
}
