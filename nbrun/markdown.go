package nbrun

import (
	"fmt"
	"html"
	"regexp"
	"strings"
)

// RenderMarkdown renders the markdown that tutorials use to HTML: ATX headings,
// paragraphs, emphasis and strong emphasis, inline code, fenced code blocks (MyST
// directive fences such as ```{note} become boxes), bullet and numbered lists,
// blockquotes, rules, links and images. Raw HTML is escaped, not passed through.
func RenderMarkdown(src string) string {
	lines := strings.Split(strings.ReplaceAll(src, "\r\n", "\n"), "\n")
	var b strings.Builder
	renderBlocks(&b, lines)
	return b.String()
}

var (
	headingRe  = regexp.MustCompile(`^(#{1,6})\s+(.*?)\s*#*\s*$`)
	bulletRe   = regexp.MustCompile(`^\s{0,3}[-*+]\s+(.*)$`)
	orderedRe  = regexp.MustCompile(`^\s{0,3}(\d{1,9})[.)]\s+(.*)$`)
	ruleRe     = regexp.MustCompile(`^\s{0,3}([-*_])(\s*[-*_]){2,}\s*$`)
	fenceRe    = regexp.MustCompile("^\\s{0,3}(`{3,}|~{3,})\\s*(.*)$")
	directive  = regexp.MustCompile(`^\{([\w-]+)\}\s*(.*)$`)
	imageRe    = regexp.MustCompile(`!\[([^\]]*)\]\(([^)\s]+)\)`)
	linkRe     = regexp.MustCompile(`\[([^\]]+)\]\(([^)\s]+)\)`)
	strongRe   = regexp.MustCompile(`\*\*([^*]+)\*\*|__([^_]+)__`)
	emphRe     = regexp.MustCompile(`\*([^*\s][^*]*)\*|\b_([^_\s][^_]*)_\b`)
	roleRe     = regexp.MustCompile("\\{[\\w-]+\\}(`+)")
	codeSpanRe = regexp.MustCompile("(`+)(.+?)(`+)")
)

func renderBlocks(b *strings.Builder, lines []string) {
	for i := 0; i < len(lines); {
		line := lines[i]
		t := strings.TrimSpace(line)
		switch {
		case t == "":
			i++
		case headingRe.MatchString(line):
			m := headingRe.FindStringSubmatch(line)
			fmt.Fprintf(b, "<h%d>%s</h%d>\n", len(m[1]), renderInline(m[2]), len(m[1]))
			i++
		case fenceRe.MatchString(line):
			m := fenceRe.FindStringSubmatch(line)
			j := i + 1
			for j < len(lines) && !closesFence(lines[j], m[1]) {
				j++
			}
			body := lines[i+1 : min(j, len(lines))]
			if d := directive.FindStringSubmatch(m[2]); d != nil {
				// A MyST directive: drop its :option: lines and render the body.
				for len(body) > 0 && cellOption.MatchString(body[0]) {
					body = body[1:]
				}
				fmt.Fprintf(b, "<div class=\"admonition %s\" style=\"border-left:4px solid #307fc1;padding:.25em 1em;background:#f3f8fc\">", html.EscapeString(d[1]))
				if d[2] != "" {
					fmt.Fprintf(b, "<p><strong>%s</strong></p>", renderInline(d[2]))
				}
				renderBlocks(b, body)
				b.WriteString("</div>\n")
			} else {
				lang := strings.Fields(m[2] + " ")
				cls := ""
				if len(lang) > 0 {
					cls = fmt.Sprintf(" class=\"language-%s\"", html.EscapeString(lang[0]))
				}
				fmt.Fprintf(b, "<pre><code%s>%s</code></pre>\n", cls, html.EscapeString(strings.Join(body, "\n")))
			}
			i = j + 1
		case ruleRe.MatchString(line):
			b.WriteString("<hr>\n")
			i++
		case strings.HasPrefix(t, ">"):
			var quote []string
			for i < len(lines) && strings.HasPrefix(strings.TrimSpace(lines[i]), ">") {
				q := strings.TrimPrefix(strings.TrimSpace(lines[i]), ">")
				quote = append(quote, strings.TrimPrefix(q, " "))
				i++
			}
			b.WriteString("<blockquote>\n")
			renderBlocks(b, quote)
			b.WriteString("</blockquote>\n")
		case bulletRe.MatchString(line) || orderedRe.MatchString(line):
			i = renderList(b, lines, i)
		default:
			var para []string
			for i < len(lines) {
				l := lines[i]
				if strings.TrimSpace(l) == "" || headingRe.MatchString(l) || fenceRe.MatchString(l) ||
					bulletRe.MatchString(l) || strings.HasPrefix(strings.TrimSpace(l), ">") || (len(para) > 0 && orderedRe.MatchString(l)) {
					break
				}
				para = append(para, strings.TrimSpace(l))
				i++
			}
			if len(para) == 0 { // a line no other block took, e.g. "1986. A year" at a start
				para, i = []string{t}, i+1
			}
			fmt.Fprintf(b, "<p>%s</p>\n", renderInline(strings.Join(para, "\n")))
		}
	}
}

// renderList renders a bullet or numbered list starting at lines[i]; indented lines
// continue an item. It returns the index after the list.
func renderList(b *strings.Builder, lines []string, i int) int {
	ordered := orderedRe.MatchString(lines[i]) && !bulletRe.MatchString(lines[i])
	tag := "ul"
	if ordered {
		tag = "ol"
	}
	b.WriteString("<" + tag + ">\n")
	for i < len(lines) {
		var first string
		if ordered {
			m := orderedRe.FindStringSubmatch(lines[i])
			if m == nil {
				break
			}
			first = m[2]
		} else {
			m := bulletRe.FindStringSubmatch(lines[i])
			if m == nil {
				break
			}
			first = m[1]
		}
		item := []string{first}
		i++
		for i < len(lines) {
			l := lines[i]
			if strings.TrimSpace(l) == "" {
				// A blank line ends the item unless the next line is indented.
				if i+1 < len(lines) && strings.HasPrefix(lines[i+1], "  ") {
					item = append(item, "")
					i++
					continue
				}
				break
			}
			if !strings.HasPrefix(l, " ") && (bulletRe.MatchString(l) || orderedRe.MatchString(l)) {
				break
			}
			if !strings.HasPrefix(l, " ") && (headingRe.MatchString(l) || fenceRe.MatchString(l)) {
				break
			}
			item = append(item, strings.TrimLeft(l, " "))
			i++
		}
		b.WriteString("<li>")
		if len(item) == 1 || !hasBlock(item[1:]) {
			b.WriteString(renderInline(strings.Join(item, "\n")))
		} else {
			var inner strings.Builder
			renderBlocks(&inner, item)
			b.WriteString(inner.String())
		}
		b.WriteString("</li>\n")
		// Skip blank lines between items of the same list.
		j := i
		for j < len(lines) && strings.TrimSpace(lines[j]) == "" {
			j++
		}
		if j < len(lines) && j > i && ((ordered && orderedRe.MatchString(lines[j])) || (!ordered && bulletRe.MatchString(lines[j]))) {
			i = j
		}
	}
	b.WriteString("</" + tag + ">\n")
	return i
}

func hasBlock(lines []string) bool {
	for _, l := range lines {
		if l == "" || fenceRe.MatchString(l) || bulletRe.MatchString(l) || orderedRe.MatchString(l) {
			return true
		}
	}
	return false
}

// renderInline renders code spans, images, links, strong and emphasis in one line of
// markdown text, escaping everything else.
func renderInline(s string) string {
	s = roleRe.ReplaceAllString(s, "$1") // {math}`x` and other MyST roles: show the content as code
	var b strings.Builder
	for s != "" {
		loc := codeSpanRe.FindStringSubmatchIndex(s)
		if loc == nil || s[loc[2]:loc[3]] != s[loc[6]:loc[7]] {
			if loc == nil {
				b.WriteString(renderText(s))
				break
			}
			// Unbalanced backticks: treat the opening run as text.
			b.WriteString(renderText(s[:loc[3]]))
			s = s[loc[3]:]
			continue
		}
		b.WriteString(renderText(s[:loc[0]]))
		b.WriteString("<code>" + html.EscapeString(strings.TrimSpace(s[loc[4]:loc[5]])) + "</code>")
		s = s[loc[1]:]
	}
	return b.String()
}

func renderText(s string) string {
	s = html.EscapeString(s)
	s = imageRe.ReplaceAllStringFunc(s, func(m string) string {
		g := imageRe.FindStringSubmatch(m)
		return `<img src="` + safeLink(g[2]) + `" alt="` + g[1] + `">`
	})
	s = linkRe.ReplaceAllStringFunc(s, func(m string) string {
		g := linkRe.FindStringSubmatch(m)
		return `<a href="` + safeLink(g[2]) + `">` + g[1] + `</a>`
	})
	s = strongRe.ReplaceAllString(s, "<strong>$1$2</strong>")
	s = emphRe.ReplaceAllString(s, "<em>$1$2</em>")
	return s
}

// linkSchemeNoise is what mistune (nbconvert's markdown renderer) removes from a URL
// before it looks at its scheme, so that "java script:" is still seen as javascript:.
var linkSchemeNoise = regexp.MustCompile(`[^a-z0-9/:]+`)

// safeLink blanks a link or image URL whose scheme runs code when clicked or loaded
// (javascript:, vbscript:), as nbconvert's HTML does: a notebook's markdown must not put
// live script into the page.
func safeLink(url string) string {
	u := linkSchemeNoise.ReplaceAllString(strings.Trim(strings.ToLower(url), "\x00\x1a \n\r\t"), "")
	if strings.HasPrefix(u, "javascript:") || strings.HasPrefix(u, "vbscript:") {
		return ""
	}
	return url
}
