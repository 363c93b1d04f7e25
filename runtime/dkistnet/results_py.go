package dkistnet

import (
	"fmt"
	"strings"

	"gokist/obj"
	"gokist/pyfmt"
)

// Items makes len(), iteration, indexing by list() and `for f in results` give the
// paths, as parfive's Results is a list of them.
func (r *Results) Items() []any {
	out := make([]any, len(r.Files))
	for i, f := range r.Files {
		out[i] = f
	}
	return out
}

var resultsType = &obj.Type{Name: "Results", Doc: "The results of a download (parfive's Results): a list of the files written, with the failures in .errors."}

func init() {
	resultsType.Members = []*obj.Member{
		{Name: "errors", Signature: "errors", Doc: "A list of errors encountered during the download: each has .url and .exception.",
			Get: func(_ *obj.Env, recv any) (any, error) {
				errs := recv.(*Results).Errors
				out := make(obj.List, len(errs))
				for i := range errs {
					out[i] = &errs[i]
				}
				return out, nil
			}},
	}
	errorType.Members = []*obj.Member{
		{Name: "url", Signature: "url", Doc: "The URL that failed.", Get: func(_ *obj.Env, recv any) (any, error) { return recv.(*DownloadError).URL, nil }},
		{Name: "exception", Signature: "exception", Doc: "What went wrong: the server's answer or the connection error.",
			Get: func(_ *obj.Env, recv any) (any, error) { return recv.(*DownloadError).exception(), nil }},
	}
}

// Type returns the member table.
func (r *Results) Type() *obj.Type { return resultsType }

// Str is parfive's str(results): the list of paths, then the failures.
func (r *Results) Str() string {
	quoted := make([]string, len(r.Files))
	for i, f := range r.Files {
		quoted[i] = pyfmt.Quote(f)
	}
	out := "[" + strings.Join(quoted, ", ") + "]"
	if len(r.Errors) > 0 {
		out += "\nErrors:\n"
		for i := range r.Errors {
			out += "(" + r.Errors[i].repr() + ")"
		}
	}
	return out
}

// MimeBundle is parfive's repr: the object line, then str().
func (r *Results) MimeBundle() map[string]any {
	return map[string]any{"text/plain": fmt.Sprintf("<parfive.results.Results object at %p>\n%s", r, r.Str())}
}

var errorType = &obj.Type{Name: "Error", Doc: "One failed download (parfive's results.Error): url and exception."}

// Type returns the member table.
func (e *DownloadError) Type() *obj.Type { return errorType }

// exception is the failure as parfive prints it: the server's response line, or the
// connection error.
func (e *DownloadError) exception() string {
	if e.Status != 0 {
		return fmt.Sprintf("<ClientResponse(%s) [%d %s]>", e.URL, e.Status, e.Reason)
	}
	return e.Reason
}

// repr is parfive's repr of an Error: the object line, the URL and the exception.
func (e *DownloadError) repr() string {
	return fmt.Sprintf("<parfive.results.Error object at %p>\n%s,\n%s", e, e.URL, e.exception())
}

// MimeBundle shows the error as parfive's repr.
func (e *DownloadError) MimeBundle() map[string]any {
	return map[string]any{"text/plain": e.repr()}
}
