package dkistnet

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"gokist/internal/pyref"
)

// downloadScript runs parfive's Downloader.simple_download for each step of argv[2] (a
// JSON list of {urls, dir, overwrite}) under the root argv[1] and prints, per step, the
// files it gives (relative to the root), the failed URLs and every file's content after
// the step.
const downloadScript = `
import sys, os, json, urllib.request
from parfive import Downloader
root, steps = sys.argv[1], json.loads(sys.argv[2])
out = []
for s in steps:
    urllib.request.urlopen(s["bump"]).read()
    r = Downloader.simple_download(s["urls"], path=os.path.join(root, s["dir"]), overwrite=s["overwrite"])
    files = {}
    for d, _, names in os.walk(root):
        for n in names:
            p = os.path.join(d, n)
            files[os.path.relpath(p, root)] = open(p).read()
    out.append({"files": [os.path.relpath(f, root) for f in r], "errors": [e.url for e in r.errors], "disk": files})
print(json.dumps(out))
`

type downloadStep struct {
	Bump      string   `json:"bump"` // fetched before the step: the server's answers change
	URLs      []string `json:"urls"`
	Dir       string   `json:"dir"`
	Overwrite bool     `json:"overwrite"`
}

type downloadOutcome struct {
	Files  []string          `json:"files"`
	Errors []string          `json:"errors"`
	Disk   map[string]string `json:"disk"`
}

// dataCentre serves what dkist's downloads ask for: a quality report named by its
// Content-Disposition, a movie without one, a 404; each answer's body names the
// generation, which /bump advances before every step, so a kept file and a rewritten one
// differ (parfive makes two requests per file, gokist one: a request count would not do).
func dataCentre(t *testing.T) *httptest.Server {
	n := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/bump":
			n++
			return
		case "/download/quality":
			w.Header().Set("Content-Disposition", `attachment; filename="`+r.URL.Query().Get("datasetId")+`_quality.pdf"`)
		case "/download/movie":
		default:
			http.NotFound(w, r)
			return
		}
		w.Write([]byte(r.URL.Path + " answer " + strconv.Itoa(n)))
	}))
	t.Cleanup(srv.Close)
	return srv
}

// deadURL is a URL nothing listens on.
func deadURL(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr + "/download/quality?datasetId=X"
}

// TestDownloadAsParfive: Download names, keeps, overwrites and fails files as parfive's
// simple_download does, step by step on the same server: Content-Disposition names, URL
// names with their query, an existing file kept without overwrite and replaced with it,
// a 404 and an unreachable host in errors while the other URLs still download.
func TestDownloadAsParfive(t *testing.T) {
	pyref.Require(t, "parfive")
	dead := deadURL(t)
	// Each run has its own server, so that both see the same sequence of answers.
	steps := func(base string) []downloadStep {
		q, m := base+"/download/quality?datasetId=KMUPT", base+"/download/movie?datasetId=KMUPT"
		return []downloadStep{
			{Bump: base + "/bump", URLs: []string{q}, Dir: "a"},
			{Bump: base + "/bump", URLs: []string{m}, Dir: "a"},
			{Bump: base + "/bump", URLs: []string{q, base + "/nothing/here", m}, Dir: "b"},
			{Bump: base + "/bump", URLs: []string{q}, Dir: "b"},
			{Bump: base + "/bump", URLs: []string{q}, Dir: "b", Overwrite: true},
			{Bump: base + "/bump", URLs: []string{dead, m}, Dir: "c"},
		}
	}
	pySrv, goSrv := dataCentre(t), dataCentre(t)
	spec, _ := json.Marshal(steps(pySrv.URL))
	var want []downloadOutcome
	raw := pyref.Run(t, downloadScript, t.TempDir(), string(spec))
	if i := bytes.LastIndexByte(bytes.TrimSpace(raw), '\n'); i >= 0 {
		raw = raw[i+1:] // parfive's "N/M files failed to download" lines come first
	}
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatalf("%v\n%s", err, raw)
	}
	got := goDownloads(t, t.TempDir(), steps(goSrv.URL))
	for i, s := range steps("") {
		gj, _ := json.Marshal(got[i])
		wj, _ := json.Marshal(want[i])
		gs := strings.ReplaceAll(string(gj), goSrv.URL, "SERVER")
		if i == 0 && !strings.Contains(gs, "answer 1") {
			t.Fatalf("the server's generation is not in the body: %s", gs)
		}
		ws := strings.ReplaceAll(string(wj), pySrv.URL, "SERVER")
		if gs != ws {
			t.Errorf("step %d %+v\n got %s\nwant %s", i, s, gs, ws)
		}
	}
}

// goDownloads runs the steps with Download under root, reporting as downloadScript does.
func goDownloads(t *testing.T, root string, steps []downloadStep) []downloadOutcome {
	var out []downloadOutcome
	for _, s := range steps {
		if resp, err := http.Get(s.Bump); err != nil {
			t.Fatal(err)
		} else {
			resp.Body.Close()
		}
		r, err := Download(context.Background(), s.URLs, filepath.Join(root, s.Dir), s.Overwrite)
		if err != nil {
			t.Fatal(err)
		}
		o := downloadOutcome{Files: []string{}, Errors: []string{}, Disk: map[string]string{}}
		for _, f := range r.Files {
			rel, _ := filepath.Rel(root, f)
			o.Files = append(o.Files, rel)
		}
		for _, e := range r.Errors {
			o.Errors = append(o.Errors, e.URL)
		}
		filepath.Walk(root, func(p string, info os.FileInfo, err error) error {
			if err == nil && !info.IsDir() {
				b, _ := os.ReadFile(p)
				rel, _ := filepath.Rel(root, p)
				o.Disk[rel] = string(b)
			}
			return nil
		})
		out = append(out, o)
	}
	return out
}
