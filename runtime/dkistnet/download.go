package dkistnet

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// DownloadError is one URL that was not downloaded: the HTTP status when the server
// answered (Status 0 when it could not be reached) and what went wrong.
type DownloadError struct {
	URL    string
	Status int
	Reason string // the HTTP reason phrase, or the connection error
}

// Results is what a download gives: the files written (or found and kept), in the
// order asked, and the URLs that failed.
type Results struct {
	Files  []string
	Errors []DownloadError
}

// client is the HTTP client downloads go through; a dead endpoint fails within its
// timeout instead of hanging a cell.
var client = &http.Client{Timeout: 5 * time.Minute}

// Download fetches each URL into dir as parfive's Downloader.simple_download does: the
// file is named by the response's Content-Disposition filename, else by the URL's last
// path segment (query included, as parfive names it); an existing file is kept unless
// overwrite; a failure is recorded in Errors, never returned, so that a notebook without
// network keeps running. Only an unusable dir is an error.
func Download(ctx context.Context, urls []string, dir string, overwrite bool) (*Results, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	res := &Results{}
	for _, u := range urls {
		path, derr := fetch(ctx, u, dir, overwrite)
		if derr != nil {
			res.Errors = append(res.Errors, *derr)
			continue
		}
		res.Files = append(res.Files, path)
	}
	return res, nil
}

// fetch downloads one URL into dir.
func fetch(ctx context.Context, u, dir string, overwrite bool) (string, *DownloadError) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return "", &DownloadError{URL: u, Reason: err.Error()}
	}
	resp, err := client.Do(req)
	if err != nil {
		return "", &DownloadError{URL: u, Reason: connectionReason(err)}
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode >= 300 {
		return "", &DownloadError{URL: u, Status: resp.StatusCode, Reason: http.StatusText(resp.StatusCode)}
	}
	path := filepath.Join(dir, fileName(u, resp.Header.Get("Content-Disposition")))
	if _, err := os.Stat(path); err == nil && !overwrite {
		return path, nil // parfive: "already exists and overwrite is False; skipping download"
	}
	if err := writeFile(path, resp.Body); err != nil {
		return "", &DownloadError{URL: u, Status: resp.StatusCode, Reason: err.Error()}
	}
	return path, nil
}

// fileName is parfive's default_name: the Content-Disposition filename, else the text
// after the URL's last slash.
func fileName(u, disposition string) string {
	name := u[strings.LastIndex(u, "/")+1:]
	if _, params, err := mime.ParseMediaType(disposition); err == nil && params["filename"] != "" {
		name = params["filename"]
	}
	return filepath.Base(name) // a server's name never leaves dir
}

// writeFile writes the body through a temporary file, so an interrupted download
// leaves no half file under the final name.
func writeFile(path string, body io.Reader) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".part-*")
	if err != nil {
		return err
	}
	if _, err := io.Copy(tmp, body); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// connectionReason says why a server could not be reached, without Go's wrapping.
func connectionReason(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return fmt.Sprintf("Cannot connect: %v", err)
}

// QualityReport downloads a dataset's quality report PDF into dir, as dkist's
// FileManager.quality_report: {download_endpoint}/quality?datasetId=ID.
func QualityReport(ctx context.Context, datasetID, dir string, overwrite bool) (*Results, error) {
	return Download(ctx, []string{Default.Get("download_endpoint") + "/quality?datasetId=" + datasetID}, dir, overwrite)
}

// PreviewMovie downloads a dataset's preview movie into dir, as dkist's
// FileManager.preview_movie: {download_endpoint}/movie?datasetId=ID.
func PreviewMovie(ctx context.Context, datasetID, dir string, overwrite bool) (*Results, error) {
	return Download(ctx, []string{Default.Get("download_endpoint") + "/movie?datasetId=" + datasetID}, dir, overwrite)
}

// FailureNote is the line parfive prints when some of n URLs failed, or "" when none
// did. (parfive 2.0 prints the queue's remaining length, 0, as the total: "1/0 files
// failed"; this gives the number asked.)
func (r *Results) FailureNote(n int) string {
	if len(r.Errors) == 0 {
		return ""
	}
	return fmt.Sprintf("%d/%d files failed to download. Please check `.errors` for details", len(r.Errors), n)
}
