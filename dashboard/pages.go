package dashboard

import (
	"embed"
	"html/template"
	"io/fs"
	"net/http"
)

// assets are the pages' script and style sheet, served under /static/; nothing comes
// from elsewhere.
//
//go:embed assets
var assets embed.FS

// pages are the dashboard's pages, each a path of its own.
var pages = []string{"status", "workers", "memory"}

var pageTemplate = template.Must(template.ParseFS(assets, "assets/page.html"))

// servePage renders one page: the common frame with the page's name, which the script
// reads to know what to draw.
func (s *Server) servePage(page string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "text/html; charset=utf-8")
		h.Set("Cache-Control", "no-store")
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'self'")
		_ = pageTemplate.Execute(w, map[string]any{"Page": page, "Pages": pages})
	}
}

// staticHandler serves the embedded script and style sheet.
func staticHandler() http.Handler {
	sub, err := fs.Sub(assets, "assets")
	if err != nil {
		panic("dashboard: " + err.Error())
	}
	return http.StripPrefix("/static/", http.FileServerFS(sub))
}
