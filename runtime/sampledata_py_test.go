package runtime

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"gokist/runtime/astropy/iofits"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gokist/internal/pyref"
	"gokist/obj"
	"gokist/runtime/sample"
)

// smallStandIns makes the stand-ins small for the test and points dkist's sample
// directory at a temporary one.
func smallStandIns(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	t.Setenv("DKIST_SAMPLE_DIR", root)
	saved := sample.StandIns["VISP_L1_KMUPT"]
	small := saved
	small.Options.Shape = [4]int{2, 4, 16, 20}
	sample.StandIns["VISP_L1_KMUPT"] = small
	savedVBI := sample.StandIns["VBI_L1_NZJTB"]
	smallVBI := savedVBI
	smallVBI.Imager = &sample.ImagerOptions{Tiles: 3, Size: 16, Frames: 2, Seed: 19, DatasetID: "NZJTB"}
	sample.StandIns["VBI_L1_NZJTB"] = smallVBI
	savedSP := sample.StandIns["CRYO_L1_TJKGC"]
	smallSP := savedSP
	smallSP.Options.Shape = [4]int{4, 3, 16, 20}
	sample.StandIns["CRYO_L1_TJKGC"] = smallSP
	savedCI := sample.StandIns["CRYO_L1_MSCGD"]
	smallCI := savedCI
	smallCI.Imager = &sample.ImagerOptions{Instrument: "CRYO-NIRSP", Tiles: 1, Size: 16, Frames: 3, Seed: 23, DatasetID: "MSCGD"}
	sample.StandIns["CRYO_L1_MSCGD"] = smallCI
	t.Cleanup(func() {
		sample.StandIns["VISP_L1_KMUPT"], sample.StandIns["VBI_L1_NZJTB"], sample.StandIns["CRYO_L1_MSCGD"] = saved, savedVBI, savedCI
		sample.StandIns["CRYO_L1_TJKGC"] = savedSP
	})
	return root
}

func sampleAttr(t *testing.T, env *obj.Env, name string) (any, error) {
	t.Helper()
	m := sampleDataType.Member(name)
	if m == nil {
		t.Fatalf("dkist.data.sample has no %s", name)
	}
	return m.Get(env, sampleDataModule{})
}

// TestSampleDataNames: dkist's sample names resolve to a directory under
// DKIST_SAMPLE_DIR holding a stand-in written (with progress) on first use, which loads
// with its ASDF inventory marked synthetic; later uses write nothing; the deprecated
// name warns as dkist does and gives the same directory.
func TestSampleDataNames(t *testing.T) {
	root := smallStandIns(t)
	out := &collect{}
	env := &obj.Env{Ctx: context.Background(), Out: out, Services: map[string]any{}}
	v, err := sampleAttr(t, env, "VISP_L1_KMUPT")
	if err != nil {
		t.Fatal(err)
	}
	dir, _ := v.(string)
	if dir != filepath.Join(root, "VISP_L1_KMUPT") {
		t.Fatalf("VISP_L1_KMUPT = %v, want a directory under %s", v, root)
	}
	if n := len(out.progress); n == 0 || !out.progress[n-1].Finished || out.progress[n-1].Done != 8 {
		t.Errorf("progress reports %+v, want the 8 files and a finished report", out.progress)
	}
	ds, err := LoadDatasetEnv(env, dir)
	if err != nil {
		t.Fatal(err)
	}
	inv := inventoryOf(ds)
	if syn, _ := inv.GetItem(env, "synthetic"); syn != true {
		t.Errorf("inventory synthetic = %v, want True (the ASDF's record)", syn)
	}
	if id, _ := inv.GetItem(env, "datasetId"); id != "KMUPT" {
		t.Errorf("inventory datasetId = %v", id)
	}
	index, _ := filepath.Glob(filepath.Join(dir, "*.asdf"))
	if len(index) != 1 {
		t.Fatalf("ASDF files %q", index)
	}
	before, _ := os.Stat(index[0])
	out.progress = nil
	v2, err := sampleAttr(t, env, "VISP_BKPLX")
	if err != nil || v2 != dir {
		t.Fatalf("VISP_BKPLX = %v (%v), want %s", v2, err, dir)
	}
	want := "DKISTDeprecationWarning: The sample data name VISP_BKPLX is deprecated and has been replaced by VISP_L1_KMUPT.\n"
	if out.stderr.String() != want {
		t.Errorf("stderr %q, want %q", out.stderr.String(), want)
	}
	if after, _ := os.Stat(index[0]); len(out.progress) != 0 || !after.ModTime().Equal(before.ModTime()) {
		t.Errorf("a second use wrote the sample again (%d progress reports)", len(out.progress))
	}
	if sampleDataType.Member("VISP_L1_NOPE") != nil {
		t.Error("an unknown sample name is an attribute")
	}
	// The Cryo-NIRSP samples load as that instrument's datasets.
	for name, want := range map[string][]int{"CRYO_L1_TJKGC": {4, 3, 16, 20}, "CRYO_L1_MSCGD": {3, 16, 16}} {
		v, err := sampleAttr(t, env, name)
		if err != nil {
			t.Fatal(err)
		}
		cryo, err := LoadDatasetEnv(env, v.(string))
		if err != nil {
			t.Fatal(err)
		}
		if inst, _ := inventoryOf(cryo).GetItem(env, "instrumentName"); inst != "CRYO-NIRSP" || fmt.Sprint(cryo.Shape()) != fmt.Sprint(want) {
			t.Errorf("%s: instrument %v, shape %v, want CRYO-NIRSP %v", name, inst, cryo.Shape(), want)
		}
	}
	checkVBIStandIn(t, env, out, root)
	all, err := sampleDataType.Member("download_all_sample_data").Call(env, sampleDataModule{}, obj.Args{})
	if err != nil {
		t.Fatal(err)
	}
	if l, ok := all.(obj.List); !ok || len(l) != len(sample.StandIns) || l[0] != filepath.Join(root, "CRYO_L1_MSCGD") || l[2] != filepath.Join(root, "VBI_L1_NZJTB") || l[3] != dir {
		t.Errorf("download_all_sample_data() = %v", all)
	}
}

// TestSampleDataRefusesForeignDirectory: a stand-in's directory that holds other files
// is not written into; the error says which directory and how to choose another.
func TestSampleDataRefusesForeignDirectory(t *testing.T) {
	root := smallStandIns(t)
	foreign := filepath.Join(root, "VISP_L1_KMUPT")
	os.MkdirAll(foreign, 0o755)
	os.WriteFile(filepath.Join(foreign, "mine.txt"), []byte("keep"), 0o644)
	_, err := sampleAttr(t, testEnv(), "VISP_L1_KMUPT")
	var oe *obj.Error
	if err == nil || !errors.As(err, &oe) || oe.Class != "RuntimeError" || !strings.Contains(oe.Msg, foreign) || !strings.Contains(oe.Hint, "DKIST_SAMPLE_DIR") {
		t.Fatalf("writing into a foreign directory: %v", err)
	}
	if entries, _ := os.ReadDir(foreign); len(entries) != 1 {
		t.Errorf("the foreign directory now holds %d entries", len(entries))
	}
}

// TestVISPHeaderAsDkist: VISP_HEADER holds the keywords and values dkist's own
// VISP_HEADER (astropy's Header.fromtextfile of the same file) holds.
func TestVISPHeaderAsDkist(t *testing.T) {
	env := testEnv()
	v, err := sampleAttr(t, env, "VISP_HEADER")
	if err != nil {
		t.Fatal(err)
	}
	h := v.(*iofits.FITSHeader)
	var keys []any // as the Python side below: astropy's keys() has COMMENT and HISTORY too
	for _, k := range callMember(t, env, h, "keys", obj.Args{}).([]any) {
		if k != "COMMENT" && k != "HISTORY" && k != "" {
			keys = append(keys, k)
		}
	}
	out := pyref.Config{PythonPath: []string{pyref.Dkist(t)}}.RunInput(t, nil, `
import json, warnings
warnings.simplefilter("ignore")
from dkist.data.sample import VISP_HEADER as h
keys = [k for k in h.keys() if k not in ("COMMENT", "HISTORY", "")]
json.dump({"keys": keys, "values": {k: h[k] for k in ("DSETID", "NAXIS1", "CRVAL2", "CDELT1", "DATE-BEG", "WCSVALID")}}, __import__("sys").stdout)
`)
	var py struct {
		Keys   []string       `json:"keys"`
		Values map[string]any `json:"values"`
	}
	if err := json.Unmarshal(out, &py); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if len(keys) != len(py.Keys) {
		t.Errorf("%d keywords, dkist's VISP_HEADER has %d", len(keys), len(py.Keys))
	}
	for i := range min(len(keys), len(py.Keys)) {
		if keys[i] != py.Keys[i] {
			t.Fatalf("keyword %d is %v, dkist's is %s", i, keys[i], py.Keys[i])
		}
	}
	for k, want := range py.Values {
		got, err := h.GetItem(env, k)
		if err != nil {
			t.Fatal(err)
		}
		if n, ok := got.(int); ok {
			got = float64(n)
		}
		if got != want {
			t.Errorf("VISP_HEADER[%q] = %#v, dkist's %#v", k, got, want)
		}
	}
	if _, err := h.GetItem(env, "NOPE"); err == nil || !strings.Contains(err.Error(), "Keyword 'NOPE' not found.") {
		t.Errorf("a missing keyword: %v", err)
	}
}

// checkVBIStandIn: VBI_L1_NZJTB is a directory written with progress that loads as a
// TiledDataset of 3×3 tiles whose inventory says it is synthetic; the deprecated
// VBI_AJQWW warns as dkist does and gives the same directory without writing again.
func checkVBIStandIn(t *testing.T, env *obj.Env, out *collect, root string) {
	t.Helper()
	out.progress = nil
	v, err := sampleAttr(t, env, "VBI_L1_NZJTB")
	if err != nil || v != filepath.Join(root, "VBI_L1_NZJTB") {
		t.Fatalf("VBI_L1_NZJTB = %v (%v)", v, err)
	}
	if n := len(out.progress); n == 0 || out.progress[n-1].Done != 18 || out.progress[n-1].Total != 18 {
		t.Errorf("progress reports %+v, want 18 files", out.progress)
	}
	loaded, err := loadAnyDataset(env, v.(string))
	if err != nil {
		t.Fatal(err)
	}
	tds, ok := loaded.(*TiledDataset)
	if !ok || fmt.Sprint(tds.shape) != "[3 3]" {
		t.Fatalf("load_dataset(VBI_L1_NZJTB) = %T %v", loaded, loaded)
	}
	if syn, _ := tds.inventoryValue().GetItem(env, "synthetic"); syn != true {
		t.Errorf("VBI inventory synthetic = %v", syn)
	}
	out.progress = nil
	out.stderr.Reset()
	v2, err := sampleAttr(t, env, "VBI_AJQWW")
	if err != nil || v2 != v || len(out.progress) != 0 {
		t.Errorf("VBI_AJQWW = %v (%v), %d progress reports; want %v written once", v2, err, len(out.progress), v)
	}
	if want := "DKISTDeprecationWarning: The sample data name VBI_AJQWW is deprecated and has been replaced by VBI_L1_NZJTB.\n"; out.stderr.String() != want {
		t.Errorf("VBI_AJQWW: stderr %q, want %q", out.stderr.String(), want)
	}
}
