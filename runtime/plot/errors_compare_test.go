package plot_test

import (
	"context"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gokist/internal/pyref"
	"gokist/lang"
	"gokist/obj"
)

// Bad calls fail as matplotlib 3.6 fails them: the same exception class, matplotlib's
// message (gokist may add a hint after it), and the failed call leaves no figure to be
// shown at the end of the cell.
func TestBadCallsFailAsMatplotlib(t *testing.T) {
	cases := []string{
		`plt.scatter([1, 2, 3], [1, 2])`,
		`plt.scatter([1, 2, 3], [1, 2, 3], c=[1, 2])`,
		`plt.imshow([[1, 2], [3, 4]], cmap="RdBu_rr")`,
		`plt.errorbar([1, 2], [1, 2], yerr=[-1, 1])`,
		`plt.hist([1, 2, 3], histtype="bars")`,
		`plt.axvspan(1, 2, alpha=2)`,
		`plt.gca().set_yscale("logg")`,
		`plt.contourf([[1, 2], [3, 4]], levels=[1])`,
		`plt.figure(layout="loose")`,
		`plt.subplot(1, 2, 3)`,
		`plt.rcParams["figure.dpix"] = 100`,
		`plt.imshow([[1, 2], [3, 4]], norm=matplotlib.colors.LogNorm(), vmin=1)`,
		`plt.pcolormesh([0, 1, 2], [0, 1], [[1, 2, 3]], shading="flat")`,
		`plt.pcolormesh([0, 1, 2, 3], [0, 1, 2], [[1, 2, 3], [4, 5, 6]], shading="nearest")`,
		`plt.pcolormesh([[0, 1, 2], [0.5, 1.5, 2.5], [1, 2, 3], [1.5, 2.5, 3.5]], [[0, 0, 0], [1, 1, 1], [2, 2, 2], [3, 3, 3]], [[1, 2], [3, 4]])`,
	}
	res := pyref.Batch(t, "import matplotlib\nmatplotlib.use('Agg')\nimport matplotlib.pyplot as plt\nimport matplotlib.colors\n", cases)
	for i, code := range cases {
		want := res[i]
		if want.Type == "" {
			t.Errorf("%s: matplotlib raised nothing", code)
			continue
		}
		s := lang.NewSession()
		if _, err := s.Execute(context.Background(), "import matplotlib\nimport matplotlib.pyplot as plt\nimport matplotlib.colors", nil); err != nil {
			t.Fatal(err)
		}
		rec := &displays{}
		_, err := s.Execute(context.Background(), code, rec)
		if err == nil {
			t.Errorf("%s: gokist raised nothing; matplotlib %s", code, want.Err())
			continue
		}
		got := err.Error()
		if !strings.Contains(got, want.Type) {
			t.Errorf("%s: gokist %q, matplotlib %s", code, firstLine(got), want.Err())
		}
		msg := want.Message
		if want.Type == "KeyError" {
			msg = strings.Trim(msg, `"`)
		}
		if !strings.Contains(got, msg) {
			t.Errorf("%s: message differs\n gokist     %q\n matplotlib %q", code, firstLine(got), msg)
		}
		// plt.gca() makes a figure that matplotlib shows whatever follows.
		if rec.figures > 0 && !strings.Contains(code, "gca()") {
			t.Errorf("%s: the failed call left %d figure(s) to show", code, rec.figures)
		}
	}
}

func firstLine(s string) string { l, _, _ := strings.Cut(s, "\n"); return l }

// displays counts the figures a cell shows.
type displays struct{ figures int }

func (d *displays) Stream(name, text string) {}
func (d *displays) Display(b, m map[string]any, id string, update bool) {
	if _, ok := b["image/png"]; ok {
		d.figures++
	}
}
func (d *displays) ClearOutput(wait bool)   {}
func (d *displays) Page(text string)        {}
func (d *displays) Progress(p obj.Progress) {}

// The calls issue 18 found failing now run: each cell of the report, as a new user
// typed it, executes without error, and savefig(dpi=150) of a default figure writes
// 960x720 pixels (6.4x4.8 in at 150 dpi), as matplotlib does.
func TestIssue18CallsRun(t *testing.T) {
	dir := t.TempDir()
	cells := []string{
		`plt.plot([630.1, 630.2, 630.3], [1, 0.5, 1]); plt.axvline(630.25)`,
		`plt.semilogy([1, 10, 100])`,
		`plt.imshow([[1, -1], [-1, 1]], cmap="RdBu_r")`,
		`fig = plt.figure(layout="constrained"); fig.add_subplot(111).plot([1, 2])`,
		`fig, ax = plt.subplots(); sc = ax.scatter([1, 2, 3], [3, 1, 2], c=[0.1, 0.5, 0.9]); fig.colorbar(sc, label="time")`,
		`plt.imshow([[1, 2], [3, 4]], aspect="auto", origin="lower")`,
		`plt.plot([1, 2, 3]); plt.savefig(` + fmt.Sprintf("%q", filepath.Join(dir, "dpi.png")) + `, dpi=150)`,
	}
	for _, cell := range cells {
		s := lang.NewSession()
		if _, err := s.Execute(context.Background(), "import matplotlib.pyplot as plt\n"+cell, &displays{}); err != nil {
			t.Errorf("%s: %v", cell, err)
		}
	}
	f, err := os.Open(filepath.Join(dir, "dpi.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cfg, err := png.DecodeConfig(f)
	if err != nil || cfg.Width != 960 || cfg.Height != 720 {
		t.Errorf("savefig(dpi=150): %dx%d (%v), want 960x720", cfg.Width, cfg.Height, err)
	}
}
