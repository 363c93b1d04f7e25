package runtime

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"gokist/internal/pyref"
	"gokist/obj"
	"gokist/runtime/dkistnet"
	"gokist/runtime/sample"
)

// dkistDownloadsPy loads the dataset argv[1] with the reference dkist and downloads its
// quality report into argv[3] and its preview movie into the basepath, from the data
// centre argv[2] (dkist.net's package needs sunpy.net's optional dependencies, so the
// conf it reads is given as a stand-in module); it prints the files each gives,
// relative to its directory, and the failed URLs' paths.
const dkistDownloadsPy = `
import sys, os, json, types
conf = types.SimpleNamespace(download_endpoint=sys.argv[2] + "/download")
sys.modules["dkist.net"] = types.SimpleNamespace(conf=conf)
import dkist
ds = dkist.load_dataset(sys.argv[1])
qr = ds.files.quality_report(path=sys.argv[3])
pm = ds.files.preview_movie()
conf.download_endpoint = sys.argv[2] + "/gone"
gone = ds.files.quality_report(path=sys.argv[3])
rel = lambda r, d: sorted(os.path.relpath(f, d) for f in r)
print(json.dumps({"quality": rel(qr, sys.argv[3]), "movie": rel(pm, sys.argv[1]),
                  "gone": [list(r) for r in [gone]][0], "gone_errors": len(gone.errors)}))
`

// TestFilesDownloadAsDkist: ds.files.quality_report(path=) and preview_movie() ask the
// data centre for the dataset's id at dkist's URLs and write where dkist writes (the
// path given, else the basepath), named as the server says; a failing endpoint gives an
// empty result with the error in .errors and a printed note, not an exception.
func TestFilesDownloadAsDkist(t *testing.T) {
	pyref.Require(t, "astropy", "gwcs", "asdf", "ndcube", "sunpy", "parfive")
	var asked []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked = append(asked, r.Method+" "+r.URL.String())
		id := r.URL.Query().Get("datasetId")
		switch r.URL.Path {
		case "/download/quality":
			w.Header().Set("Content-Disposition", `attachment; filename="`+id+`_quality_report.pdf"`)
			w.Write([]byte("%PDF " + id))
		case "/download/movie":
			w.Header().Set("Content-Disposition", `attachment; filename="`+id+`_browse_movie.mp4"`)
			w.Write([]byte("movie " + id))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	dir := filepath.Join(t.TempDir(), "AGLKO")
	if _, err := sample.Generate(context.Background(), sample.Options{Dir: dir, Shape: [4]int{2, 3, 16, 20}, Seed: 1, Plain: true}); err != nil {
		t.Fatal(err)
	}
	var want struct {
		Quality, Movie []string
		Gone           []string
		GoneErrors     int `json:"gone_errors"`
	}
	pyOut := t.TempDir()
	out := pyref.Config{PythonPath: []string{pyref.Dkist(t)}}.RunInput(t, nil, dkistDownloadsPy, dir, srv.URL, pyOut)
	if err := json.Unmarshal(lastLine(out), &want); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	pyAsked := append([]string(nil), asked...)
	asked = nil
	for _, f := range want.Movie {
		os.Remove(filepath.Join(dir, f)) // gokist writes its own
	}

	old := dkistnet.Default.Get("download_endpoint")
	defer dkistnet.SetDefault("download_endpoint", old)
	dkistnet.SetDefault("download_endpoint", srv.URL+"/download")
	printed := &stdoutText{}
	env := &obj.Env{Ctx: context.Background(), Out: printed, Services: map[string]any{}}
	ds, err := LoadDatasetEnv(env, dir)
	if err != nil {
		t.Fatal(err)
	}
	files := callMember(t, env, ds, "files", obj.Args{})
	goOut := t.TempDir()
	qr := callMember(t, env, files, "quality_report", obj.Args{Kw: map[string]any{"path": goOut}}).(*dkistnet.Results)
	pm := callMember(t, env, files, "preview_movie", obj.Args{}).(*dkistnet.Results)
	dkistnet.SetDefault("download_endpoint", srv.URL+"/gone")
	gone := callMember(t, env, files, "quality_report", obj.Args{Kw: map[string]any{"path": goOut}}).(*dkistnet.Results)

	rel := func(r *dkistnet.Results, d string) []string {
		var out []string
		for _, f := range r.Files {
			p, _ := filepath.Rel(d, f)
			out = append(out, p)
		}
		sort.Strings(out)
		return out
	}
	if g := rel(qr, goOut); len(g) != 1 || strings.Join(g, ",") != strings.Join(want.Quality, ",") {
		t.Errorf("quality_report gives %v, dkist %v", g, want.Quality)
	}
	if g := rel(pm, dir); len(g) != 1 || strings.Join(g, ",") != strings.Join(want.Movie, ",") {
		t.Errorf("preview_movie gives %v, dkist %v", g, want.Movie)
	}
	if len(gone.Files) != len(want.Gone) || len(gone.Errors) != want.GoneErrors || want.GoneErrors != 1 {
		t.Errorf("a failing endpoint gives %v with %d errors, dkist %v with %d", gone.Files, len(gone.Errors), want.Gone, want.GoneErrors)
	}
	if strings.Join(asked, "\n") != strings.Join(dedupe(pyAsked), "\n") {
		t.Errorf("gokist asked\n%s\ndkist (parfive asks twice per file) asked\n%s", strings.Join(asked, "\n"), strings.Join(pyAsked, "\n"))
	}
	if !strings.Contains(printed.String(), "1/1 files failed to download. Please check `.errors` for details") {
		t.Errorf("no failure note printed: %q", printed.String())
	}
}

// dedupe drops consecutive repeats (parfive's header request and its download).
func dedupe(xs []string) []string {
	var out []string
	for i, x := range xs {
		if i == 0 || xs[i-1] != x {
			out = append(out, x)
		}
	}
	return out
}

// lastLine is the last non-empty line of a program's output (parfive prints notes first).
func lastLine(b []byte) []byte {
	s := strings.TrimSpace(string(b))
	return []byte(s[strings.LastIndexByte(s, '\n')+1:])
}

// stdoutText is an Output that keeps what a cell prints.
type stdoutText struct {
	obj.Discard
	strings.Builder
}

func (o *stdoutText) Stream(name, text string) {
	if name == "stdout" {
		o.WriteString(text)
	}
}
