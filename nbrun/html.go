package nbrun

import (
	"fmt"
	"html"
	"regexp"
	"sort"
	"strings"
)

// pageCSS styles the rendered notebook; it is inlined so the page stands alone.
const pageCSS = `body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:60em;margin:2em auto;padding:0 1em;line-height:1.5;color:#222}
.cell{margin:1em 0}
.row{display:flex;gap:.5em}
.prompt{color:#307fc1;font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:14px;min-width:5.5em;text-align:right;flex:none;padding-top:.25em}
.out .prompt{color:#d84315}
pre,code{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:14px}
pre{margin:0;white-space:pre-wrap;word-wrap:break-word}
.input pre{background:#f5f5f5;border:1px solid #e0e0e0;border-radius:3px;padding:.5em;flex:1}
.output{flex:1;min-width:0;overflow-x:auto;padding:.25em 0}
.output pre{padding:.25em 0}
.html pre{white-space:pre;word-wrap:normal;overflow-x:auto}
.stderr{background:#fdd}
.error{background:#fdd;padding:.5em}
.md code{background:#f0f0f0;padding:0 .2em;border-radius:2px;font-size:.9em}
.md pre{background:#f5f5f5;padding:.5em}
img{max-width:100%}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.2em .5em}
.tag{font-size:.75em;color:#777;margin-left:6em}
.gokist-progress{font-size:.9em;color:#555}`

// RenderHTML renders the notebook as one self-contained HTML page: markdown cells as
// HTML, code cells with their input and outputs, images embedded as data: URIs and
// text/html outputs included as they are.
func (nb *Notebook) RenderHTML() string {
	var b strings.Builder
	title := nb.Name()
	for _, c := range nb.Cells {
		if c.Type == MarkdownCell {
			for _, l := range strings.Split(c.Source, "\n") {
				if strings.HasPrefix(l, "# ") {
					title = strings.TrimSpace(l[2:])
					break
				}
			}
			break
		}
	}
	fmt.Fprintf(&b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>%s</title>\n<style>\n%s\n</style>\n</head>\n<body>\n", html.EscapeString(title), pageCSS)
	for _, c := range nb.Cells {
		switch c.Type {
		case MarkdownCell:
			fmt.Fprintf(&b, "<div class=\"cell md\">\n%s</div>\n", RenderMarkdown(c.Source))
		case RawCell:
			fmt.Fprintf(&b, "<div class=\"cell raw\"><pre>%s</pre></div>\n", html.EscapeString(c.Source))
		case CodeCell:
			renderCodeCell(&b, c)
		}
	}
	b.WriteString("</body>\n</html>\n")
	return b.String()
}

// WriteHTML writes RenderHTML's page to path, creating its directory.
func (nb *Notebook) WriteHTML(path string) error {
	return writeReplacing(path, []byte(nb.RenderHTML()))
}

func renderCodeCell(b *strings.Builder, c *Cell) {
	prompt := "In [ ]:"
	if c.ExecutionCount != nil {
		prompt = fmt.Sprintf("In [%d]:", *c.ExecutionCount)
	}
	b.WriteString("<div class=\"cell code\">\n<div class=\"row input\"><div class=\"prompt\">")
	b.WriteString(html.EscapeString(prompt))
	b.WriteString("</div><pre><code>")
	b.WriteString(html.EscapeString(c.Source))
	b.WriteString("</code></pre></div>\n")
	if tags := c.Tags(); len(tags) > 0 {
		fmt.Fprintf(b, "<div class=\"tag\">tags: %s</div>\n", html.EscapeString(strings.Join(tags, ", ")))
	}
	for _, o := range c.Outputs {
		outPrompt := ""
		if o["output_type"] == "execute_result" && c.ExecutionCount != nil {
			outPrompt = fmt.Sprintf("Out[%d]:", *c.ExecutionCount)
		}
		fmt.Fprintf(b, "<div class=\"row out\"><div class=\"prompt\">%s</div><div class=\"output\">", html.EscapeString(outPrompt))
		renderOutput(b, o)
		b.WriteString("</div></div>\n")
	}
	b.WriteString("</div>\n")
}

// ansiEscape matches terminal colour codes, which tracebacks often carry.
var ansiEscape = regexp.MustCompile("\x1b\\[[0-9;]*[A-Za-z]")

func renderOutput(b *strings.Builder, o map[string]any) {
	switch o["output_type"] {
	case "stream":
		cls := "stream"
		if o["name"] == "stderr" {
			cls += " stderr"
		}
		fmt.Fprintf(b, "<pre class=\"%s\">%s</pre>", cls, html.EscapeString(ansiEscape.ReplaceAllString(joinSource(o["text"]), "")))
	case "error":
		var lines []string
		if tb, ok := o["traceback"].([]any); ok {
			for _, l := range tb {
				if s, ok := l.(string); ok {
					lines = append(lines, s)
				}
			}
		}
		text := strings.Join(lines, "\n")
		if text == "" {
			text = fmt.Sprintf("%v: %v", o["ename"], o["evalue"])
		}
		fmt.Fprintf(b, "<pre class=\"error\">%s</pre>", html.EscapeString(ansiEscape.ReplaceAllString(text, "")))
	case "display_data", "execute_result":
		renderBundle(b, asMap(o["data"]))
	}
}

// renderBundle shows the richest representation of a mime bundle that a page can hold.
func renderBundle(b *strings.Builder, data map[string]any) {
	get := func(k string) (string, bool) {
		v, ok := data[k]
		if !ok {
			return "", false
		}
		return joinSource(v), true
	}
	alt, _ := get("text/plain")
	// nbconvert's order: a value's HTML comes before its images, because it may hold
	// more than they do (a plot's HTML adds a slider over its frames to the PNG).
	if s, ok := get("text/html"); ok {
		fmt.Fprintf(b, "<div class=\"html\">%s</div>", s)
		return
	}
	if s, ok := get("image/svg+xml"); ok {
		b.WriteString(s)
		return
	}
	for _, img := range []string{"image/png", "image/jpeg", "image/gif"} {
		if s, ok := get(img); ok {
			fmt.Fprintf(b, "<img src=\"data:%s;base64,%s\" alt=\"%s\">", img, strings.Join(strings.Fields(s), ""), html.EscapeString(alt))
			return
		}
	}
	if s, ok := get("text/markdown"); ok {
		b.WriteString(RenderMarkdown(s))
		return
	}
	if s, ok := get("text/latex"); ok {
		fmt.Fprintf(b, "<pre>%s</pre>", html.EscapeString(s))
		return
	}
	if alt != "" {
		fmt.Fprintf(b, "<pre>%s</pre>", html.EscapeString(ansiEscape.ReplaceAllString(alt, "")))
		return
	}
	keys := make([]string, 0, len(data))
	for k := range data {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fmt.Fprintf(b, "<pre>(output of type %s)</pre>", html.EscapeString(strings.Join(keys, ", ")))
}
