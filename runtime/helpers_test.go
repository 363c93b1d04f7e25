package runtime

import (
	"gokist/runtime/distributed"
	"testing"

	"gokist/internal/pyref"
	"gokist/obj"
	"gokist/runtime/dkist/dkisttest"
)

const python = pyref.Interpreter

// writeDatasetPy writes a small SPEC-214 VISP-like dataset (dkisttest.WriteDatasetPy).
const writeDatasetPy = dkisttest.WriteDatasetPy

type pyResult struct {
	Shape  []int      `json:"shape"`
	Values []*float64 `json:"values"`
	DType  string     `json:"dtype"`
}

// runPython runs script with cfg as JSON on stdin and decodes its JSON stdout into out.
func runPython(t testing.TB, script string, cfg any, out any) {
	t.Helper()
	pyref.RunJSON(t, script, cfg, out)
}

// datasetAt indexes d with key (metadata only) and fails the test on an error.
func datasetAt(t *testing.T, env *obj.Env, d *Dataset, key any) *Dataset {
	t.Helper()
	v, err := d.GetItem(env, key)
	if err != nil {
		t.Fatal(err)
	}
	return v.(*Dataset)
}

// rebinned rebins d by bins with op and fails the test on an error.
func rebinned(t *testing.T, d *Dataset, op string, bins ...any) *Dataset {
	t.Helper()
	r, err := d.Rebin(obj.Tuple(bins), op)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// smallTasks makes env's client cut computes into tasks of at most maxBlock elements,
// so that small test data takes the paths of large files (split files, partial merges).
func smallTasks(env *obj.Env, maxBlock int) *distributed.Client {
	c := distributed.ClientOf(env)
	c.Plan.MaxBlockElems = maxBlock
	return c
}
