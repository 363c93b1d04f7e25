package lang

import (
	"context"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"testing"

	"gokist/internal/pyref"
)

const smallVISP = "../../shared/data/dkist-small-visp"

// numpyReference reads the small VISP files with astropy, stacks them in DINDEX3 order
// and computes the values the tutorial cells below must give.
func numpyReference(t *testing.T) map[string]any {
	t.Helper()
	script := `
import glob, json, numpy as np
from astropy.io import fits
frames = []
for f in glob.glob("` + smallVISP + `/*.fits"):
    with fits.open(f) as h:
        hdu = next(x for x in h if x.data is not None)
        frames.append((hdu.header["DINDEX3"], hdu.data[0].astype(np.float64)))
arr = np.stack([d for _, d in sorted(frames, key=lambda p: p[0])])
spectrum = arr.sum(axis=(0, 2))
reb = arr.reshape(3, 10, 5, 5).mean(axis=3)
print(json.dumps({
  "shape": list(arr.shape),
  "total": float(arr.sum()),
  "spectrum": [float(v) for v in spectrum],
  "argmin": int(spectrum.argmin()),
  "rebinned_total": float(reb.sum()),
  "rebinned_cut": float(reb[2, :, int(10/7)].sum()),
  "cropped_sum": float(arr[0, 2:8, 5:20].sum()),
  "tail_sum": float(arr[0, ..., :-5].sum()),
}))
`
	b := pyref.Run(t, script)
	var ref map[string]any
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	return ref
}

// number of a cell's text/plain result.
func resultFloat(t *testing.T, s *Session, out *recorder, code string) float64 {
	t.Helper()
	txt := run(t, s, out, code)
	f, err := strconv.ParseFloat(txt, 64)
	if err != nil {
		t.Fatalf("%q: result %q is not a number", code, txt)
	}
	return f
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

// TestRealDataset runs the tutorial's cell forms on the real dkist test files through
// the runtime and compares with numpy on the same files.
func TestRealDataset(t *testing.T) {
	ref := numpyReference(t)
	s := NewSession()
	out := &recorder{}
	run(t, s, out, "import dkist\nimport dkist.net\nimport matplotlib.pyplot as plt\nfrom dask.distributed import Client")
	run(t, s, out, "ds = dkist.Dataset.from_directory('"+smallVISP+"')")
	if got := run(t, s, out, "ds.shape"); got != "(3, 10, 25)" {
		t.Errorf("shape %s, numpy %v", got, ref["shape"])
	}
	if got := resultFloat(t, s, out, "ds.data.sum().compute()"); !near(got, ref["total"].(float64)) || !near(got, 363.71324943117065) {
		t.Errorf("total %v, numpy %v", got, ref["total"])
	}
	// slicing with four index entries (one an Ellipsis), then a reduction
	if got := run(t, s, out, "ds[0, 2:8, ..., 5:20].shape"); got != "(6, 15)" {
		t.Errorf("ds[0, 2:8, ..., 5:20].shape = %s", got)
	}
	if got := resultFloat(t, s, out, "ds[0, 2:8, ..., 5:20].data.sum().compute()"); !near(got, ref["cropped_sum"].(float64)) {
		t.Errorf("cropped sum %v, numpy %v", got, ref["cropped_sum"])
	}
	// The tutorial's loops: over the axis names and the shape, over the first axis, a
	// comprehension of computes, a function, **kwargs.
	out.stdout.Reset()
	run(t, s, out, "for name, length in zip(ds.wcs.pixel_axis_names[::-1], ds.shape):\n    print(f'{name}: {length}')")
	if got := out.stdout.String(); got != "raster position: 3\nslit position: 10\nwavelength: 25\n" {
		t.Errorf("axis names loop printed %q", got)
	}
	if got := resultFloat(t, s, out, "t = 0\nfor plane in ds.data:\n    t += plane.sum().compute()\nt"); !near(got, ref["total"].(float64)) {
		t.Errorf("total by a loop over the first axis %v, numpy %v", got, ref["total"])
	}
	if got := resultFloat(t, s, out, "def total(d, **kw):\n    return d.data.sum(**kw).compute()\nsum([total(ds[k]) for k in range(ds.shape[0])])"); !near(got, ref["total"].(float64)) {
		t.Errorf("total by a function in a comprehension %v, numpy %v", got, ref["total"])
	}
	run(t, s, out, "spectrum = ds.data.sum(axis=(0, 2)).compute()")
	for k, want := range ref["spectrum"].([]any) {
		if got := resultFloat(t, s, out, "spectrum["+strconv.Itoa(k)+"]"); !near(got, want.(float64)) {
			t.Errorf("spectrum[%d] = %v, numpy %v", k, got, want)
		}
	}
	if got := run(t, s, out, "i = spectrum.argmin()\ni"); got != strconv.Itoa(int(ref["argmin"].(float64))) {
		t.Errorf("argmin %s, numpy %v", got, ref["argmin"])
	}
	if got := run(t, s, out, "ds.wcs.pixel_to_world(0, i, 0)[1]"); !strings.Contains(got, "SkyCoord") {
		t.Errorf("pixel_to_world(0, i, 0)[1] = %s", got)
	}
	out.stdout.Reset()
	run(t, s, out, "help(ds.rebin)")
	if !strings.Contains(out.stdout.String(), "rebin(bin_shape, operation='mean')") {
		t.Errorf("help(ds.rebin):\n%s", out.stdout.String())
	}
	run(t, s, out, "rebinned = ds.rebin((1, 1, 5))")
	if got := resultFloat(t, s, out, "rebinned.data.sum().compute()"); !near(got, ref["rebinned_total"].(float64)) {
		t.Errorf("rebinned total %v, numpy %v", got, ref["rebinned_total"])
	}
	if got := resultFloat(t, s, out, "x = rebinned\nx[2, :, int(10/7)].data.sum().compute()"); !near(got, ref["rebinned_cut"].(float64)) {
		t.Errorf("x[2, :, int(10/7)] sum %v, numpy %v", got, ref["rebinned_cut"])
	}
	if got := resultFloat(t, s, out, "ds[0, ..., :-5].data.sum().compute()"); !near(got, ref["tail_sum"].(float64)) {
		t.Errorf("ds[0, ..., :-5] sum %v, numpy %v", got, ref["tail_sum"])
	}
	out.displays = nil
	if got := run(t, s, out, "fig, ax = plt.subplots()\nax.plot(spectrum, linestyle=\"--\")"); got != "" {
		t.Errorf("a plot call shows a result: %q", got)
	}
	if len(out.displays) != 1 || out.displays[0]["image/png"] == nil {
		t.Errorf("the figure was not shown once at the end of the cell: %d displays", len(out.displays))
	}
	if got := run(t, s, out, "client = Client()\nclient"); !strings.Contains(got, "Client") {
		t.Errorf("client repr %q", got)
	}
	run(t, s, out, "computed = rebinned.data.compute()\nrebinned._data = computed")
	// Now the data is in memory: sum() is a number, as with numpy.
	if got := resultFloat(t, s, out, "rebinned.data.sum()"); !near(got, ref["rebinned_total"].(float64)) {
		t.Errorf("after _data = computed: %v, numpy %v", got, ref["rebinned_total"])
	}
	// Errors from the real runtime keep their class and position.
	_, err := s.Execute(context.Background(), "x = 1\nds[0, 100]", out)
	if e, ok := err.(*Error); !ok || e.Class != "IndexError" || e.Line != 2 || e.Col != 3 {
		t.Errorf("ds[0, 100]: %v", err)
	}
	_, err = s.Execute(context.Background(), "Dataset.from_directory('~/no/such/gokist/dir')", out)
	if e, ok := err.(*Error); !ok || e.Class != "FileNotFoundError" || e.Col != 9 {
		t.Errorf("missing directory: %v", err)
	}
	_, err = s.Execute(context.Background(), "ds.rebin((1, 1, 7))", out)
	if e, ok := err.(*Error); !ok || e.Class != "ValueError" {
		t.Errorf("rebin by 7 of 25: %v", err)
	}
}

// TestArrayCellsPrintLikeNumpy runs cells on a computed slice of the real files and on
// the numpy stack of the same files, and compares what each prints: element-wise masks
// with & | ~, float32 scalar arithmetic, print(x) (numpy's str), and the truth-value
// error of an array of several elements.
func TestArrayCellsPrintLikeNumpy(t *testing.T) {
	for _, dtype := range []string{"float64", "float32"} {
		t.Run(dtype, func(t *testing.T) { arrayCellsPrintLikeNumpy(t, dtype) })
	}
}

func arrayCellsPrintLikeNumpy(t *testing.T, dtype string) {
	exprs := []string{
		"x", "print(x)", "(x > x.mean()) & (x < x.max())", "(x < x.mean()) | (x == x.max())", "~(x > x.mean())",
		"(x > x.mean()) ^ True", "x[0] + x[1]", "x.max() - x.min()", "-x[2]", "abs(x[0] - x[3])", "x[0] * 2", "x == x[1]",
		"x * 1e-5", "(x > 0).all()", "(x > x.mean()).any()", "bool(x[:1] > 0)",
		// numpy's booleans: ~ is a logical not, + and * are or and and
		"~(x > x.mean()).any()", "~(x > 0).all()", "~(x[0] > 0)", "~(x.max() > 1)", "1 if ~(x > 0).all() else 0",
		"(x > 0)[0] + (x > 0)[1]", "(x > 0)[0] * (x < 0)[1]", "(x[0] > 0) & True", "(x > 0)[0] ^ (x > 0)[1]",
		"f'{(x > 0)[0]:d}'", "f'{(x > 0)[0]:>6}'", "'x' * (x > 0)[0]", "[10, 20][(x > 0)[0]]", "x[(x > 0)[0]:]", "x.dtype in ('float32', 'float64')", "'float64' in [x.dtype]", "[x.dtype] == ['float32']", "(x > 0).dtype == bool", "x.dtype == float",
		"x.dtype", "x.dtype == 'float32'", "x.dtype != 'f8'", "str(x.dtype)", "x.dtype.name", "x.dtype.itemsize", "x.dtype.kind", "x.astype(x.dtype).dtype", "f'{x.dtype}'", "(x > 0).dtype",
		"(x > 0)[0] + 1", "(x[0] > 0) == True", "x[(x > 0)[0] + 0]", "any(x > 0)", "all(x > x.mean())", "any(x < 0)",
	}
	if dtype == "float32" {
		// np.float32 scalars divide by a Python zero as numpy does (float64 scalars are
		// Python floats here, which raise as Python's do).
		exprs = append(exprs, "x[0] / 0", "x.max() // 0", "x[1] % 0", "-x[0] / 0.0")
	}
	script := `
import glob, json, sys, io, numpy as np
np.seterr(all="ignore")
from astropy.io import fits
frames = []
for f in glob.glob("` + smallVISP + `/*.fits"):
    with fits.open(f) as h:
        hdu = next(x for x in h if x.data is not None)
        frames.append((hdu.header["DINDEX3"], hdu.data[0]))
arr = np.stack([d for _, d in sorted(frames, key=lambda p: p[0])])
x = arr[0, 2, :4].astype("` + dtype + `")
out = []
for e in sys.stdin.read().splitlines():
    buf = io.StringIO()
    stdout, sys.stdout = sys.stdout, buf
    try:
        if e.startswith("print("):
            exec(e)
            out.append(buf.getvalue())
        else:
            out.append(repr(eval(e)))
    finally:
        sys.stdout = stdout
try:
    bool((x > 0) & (x < 1))
except ValueError as err:
    out.append(str(err))
print(json.dumps(out))
`
	var want []string
	if err := json.Unmarshal(pyref.RunInput(t, []byte(strings.Join(exprs, "\n")), script), &want); err != nil {
		t.Fatal(err)
	}
	s := NewSession()
	out := &recorder{}
	run(t, s, out, "ds = Dataset.from_directory('"+smallVISP+"')\nx = ds.data[0, 2, :4].astype('"+dtype+"').compute()")
	for i, e := range exprs {
		out.stdout.Reset()
		got := run(t, s, out, e)
		if strings.HasPrefix(e, "print(") {
			got = out.stdout.String()
		}
		if got != want[i] {
			t.Errorf("%s:\ngokist %q\nnumpy  %q", e, got, want[i])
		}
	}
	_, err := s.Execute(context.Background(), "(x > 0) and (x < 1)", out)
	if e, ok := err.(*Error); !ok || e.Class != "ValueError" || e.Msg != want[len(exprs)] {
		t.Errorf("`and` of two arrays: %v; want numpy's ValueError %q", err, want[len(exprs)])
	}
}
