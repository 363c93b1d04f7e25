package plot_test

import (
	"context"
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
