package draw

import (
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"gokist/internal/pyref"
)

// matplotlibSeconds times the same figure with matplotlib (Agg, 6.4x4.8 in at 100 dpi,
// PNG into memory), once per benchmark, and returns seconds per figure.
func matplotlibSeconds(b *testing.B, body string) float64 {
	b.Helper()
	script := `
import io, time
import numpy as np
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
def render():
` + body + `
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100)
    plt.close(fig)
render()  # warm up: fonts, caches
n = 5
t0 = time.perf_counter()
for _ in range(n):
    render()
print((time.perf_counter() - t0) / n)
`
	out, err := pyref.Output(nil, script)
	if err != nil {
		b.Fatalf("matplotlib reference failed: %v\n%s", err, out)
	}
	lines := strings.Fields(string(out))
	s, err := strconv.ParseFloat(lines[len(lines)-1], 64)
	if err != nil {
		b.Fatalf("matplotlib reference printed %q", out)
	}
	return s
}

// spectrum is a VISP-like 976-point spectrum against wavelength.
func spectrum() (x, y []float64) {
	x, y = make([]float64, 976), make([]float64, 976)
	for i := range x {
		x[i] = 630.0576 + 0.001625*float64(i)
		y[i] = 1e4 * (1 - 0.6*math.Exp(-math.Pow((x[i]-630.25)/0.004, 2)) - 0.4*math.Exp(-math.Pow((x[i]-630.15)/0.004, 2)))
	}
	return x, y
}

func BenchmarkLinePNG976(b *testing.B) {
	py := matplotlibSeconds(b, `
    x = 630.0576 + 0.001625 * np.arange(976)
    y = 1e4 * (1 - 0.6 * np.exp(-((x - 630.25) / 0.004) ** 2) - 0.4 * np.exp(-((x - 630.15) / 0.004) ** 2))
    fig, ax = plt.subplots(figsize=(6.4, 4.8), dpi=100)
    ax.plot(x, y)
    ax.set_xlabel("wavelength [nm]")
    ax.set_ylabel("Data [ct]")`)
	x, y := spectrum()
	render := func() {
		f, _ := NewFigure(DefaultWidth, DefaultHeight, 1, 1)
		a := f.Axes()[0]
		if err := a.Line(x, y, LineStyle{}); err != nil {
			b.Fatal(err)
		}
		a.SetXLabel("wavelength [nm]")
		a.SetYLabel("Data [ct]")
		if _, err := f.PNG(); err != nil {
			b.Fatal(err)
		}
	}
	render() // warm up (font faces), as the matplotlib timing does
	b.ResetTimer()
	start := time.Now()
	for b.Loop() {
		render()
	}
	goSec := time.Since(start).Seconds() / float64(b.N)
	b.ReportMetric(py, "matplotlib_s")
	b.ReportMetric(py/goSec, "x_faster_than_matplotlib")
}

func BenchmarkImagePNG976x2555(b *testing.B) {
	py := matplotlibSeconds(b, `
    r = np.arange(976)[:, None]
    c = np.arange(2555)[None, :]
    data = np.sin(r / 37.0) * np.cos(c / 91.0) + 0.001 * ((r * 2555 + c) % 97)
    fig, ax = plt.subplots(figsize=(6.4, 4.8), dpi=100)
    im = ax.imshow(data, cmap="gray", origin="lower", aspect="auto")
    fig.colorbar(im, ax=ax)
    ax.set_xlabel("helioprojective latitude [arcsec]")
    ax.set_ylabel("wavelength [nm]")`)
	rows, cols := 976, 2555
	data := make([]float64, rows*cols)
	for r := range rows {
		for c := range cols {
			data[r*cols+c] = math.Sin(float64(r)/37)*math.Cos(float64(c)/91) + 0.001*float64((r*2555+c)%97)
		}
	}
	render := func() {
		f, _ := NewFigure(DefaultWidth, DefaultHeight, 1, 1)
		a := f.Axes()[0]
		if err := a.Image(data, rows, cols, ImageOptions{Cmap: "gray", Origin: "lower", Aspect: "auto",
			XLabel: "helioprojective latitude [arcsec]", YLabel: "wavelength [nm]"}); err != nil {
			b.Fatal(err)
		}
		if err := a.Colorbar(""); err != nil {
			b.Fatal(err)
		}
		if _, err := f.PNG(); err != nil {
			b.Fatal(err)
		}
	}
	render() // warm up, as the matplotlib timing does
	b.ResetTimer()
	start := time.Now()
	for b.Loop() {
		render()
	}
	goSec := time.Since(start).Seconds() / float64(b.N)
	b.ReportMetric(py, "matplotlib_s")
	b.ReportMetric(py/goSec, "x_faster_than_matplotlib")
}
