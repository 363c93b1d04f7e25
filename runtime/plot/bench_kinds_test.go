package plot_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"gokist/internal/pyref"
	"gokist/lang"
)

var (
	mplKindsOnce sync.Once
	mplKinds     map[string]float64
)

// matplotlibKindSeconds times every compare case in matplotlib (Agg, PNG written to a
// file as gokist's savefig does), in one interpreter: seconds per figure, after a
// warm-up run.
func matplotlibKindSeconds(b *testing.B) map[string]float64 {
	mplKindsOnce.Do(func() {
		dir := b.TempDir()
		var code []string
		for i, c := range compareCases {
			body := "    " + strings.ReplaceAll(strings.TrimSpace(c.script), "\n", "\n    ")
			code = append(code, fmt.Sprintf(`def _run():
%s
    fig.savefig(%q, dpi=fig.dpi)
    plt.close("all")
_run()
_t0 = time.perf_counter()
for _ in range(5):
    _run()
(time.perf_counter() - _t0) / 5`, body, filepath.Join(dir, fmt.Sprintf("k%d.png", i))))
		}
		res := pyref.Batch(b, "import time\nimport matplotlib\nmatplotlib.use('Agg')\nimport matplotlib.pyplot as plt\n", code)
		mplKinds = map[string]float64{}
		for i, c := range compareCases {
			if res[i].Type != "" {
				b.Fatalf("%s: matplotlib %s", c.name, res[i].Err())
			}
			s, err := strconv.ParseFloat(strings.TrimSpace(res[i].Repr), 64)
			if err != nil {
				b.Fatalf("%s: matplotlib timing %q", c.name, res[i].Repr)
			}
			mplKinds[c.name] = s
		}
	})
	return mplKinds
}

// BenchmarkPlotKinds renders each compare case (scatter, hist, contourf, log axes, ...)
// from the same script in gokist and in matplotlib 3.6 Agg, and reports the ratio.
// Run one: go test -run '^$' -bench 'PlotKinds/hist' -benchtime 5x ./runtime/plot
func BenchmarkPlotKinds(b *testing.B) {
	for i, c := range compareCases {
		b.Run(strings.NewReplacer(" ", "_", ",", "", "=", "").Replace(c.name), func(b *testing.B) {
			py := matplotlibKindSeconds(b)[c.name]
			s := lang.NewSession()
			path := filepath.Join(b.TempDir(), fmt.Sprintf("g%d.png", i))
			code := "import matplotlib.pyplot as plt\n" + c.script + fmt.Sprintf("\nfig.savefig(%q)\nplt.close('all')", path)
			run := func() {
				if _, err := s.Execute(context.Background(), code, nil); err != nil {
					b.Fatal(err)
				}
			}
			run() // warm up, as the matplotlib timing does
			b.ResetTimer()
			start := time.Now()
			for b.Loop() {
				run()
			}
			goSec := time.Since(start).Seconds() / float64(b.N)
			b.ReportMetric(py, "matplotlib_s")
			b.ReportMetric(py/goSec, "x_faster_than_matplotlib")
		})
	}
}
