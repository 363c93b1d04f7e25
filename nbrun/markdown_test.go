package nbrun

import (
	"strings"
	"testing"
)

func TestRenderMarkdown(t *testing.T) {
	src := "# Title *one*\n\nA paragraph with `a < b`, **bold**, _it_ and a [link](https://example.org/a?b=1&c=2).\nSecond line.\n\n" +
		"## Steps\n\n1. first\n2. second `x`\n\n- apple\n- pear\n  continued\n\n> quoted\n\n```python\nif a < b:\n    pass\n```\n\n" +
		"```{note}\nMind the *gap*.\n```\n\n---\n\n![plot](data:image/png;base64,AAAA)\n\n<script>alert(1)</script>\n"
	got := RenderMarkdown(src)
	for _, w := range []string{
		"<h1>Title <em>one</em></h1>",
		"<p>A paragraph with <code>a &lt; b</code>, <strong>bold</strong>, <em>it</em> and a <a href=\"https://example.org/a?b=1&amp;c=2\">link</a>.\nSecond line.</p>",
		"<h2>Steps</h2>",
		"<ol>\n<li>first</li>\n<li>second <code>x</code></li>\n</ol>",
		"<ul>\n<li>apple</li>\n<li>pear\ncontinued</li>\n</ul>",
		"<blockquote>\n<p>quoted</p>\n</blockquote>",
		"<pre><code class=\"language-python\">if a &lt; b:\n    pass</code></pre>",
		"class=\"admonition note\"", "<p>Mind the <em>gap</em>.</p>",
		"<hr>",
		"<img src=\"data:image/png;base64,AAAA\" alt=\"plot\">",
		"&lt;script&gt;",
	} {
		if !strings.Contains(got, w) {
			t.Errorf("missing %q in\n%s", w, got)
		}
	}
	if strings.Contains(got, "<script>") {
		t.Error("raw HTML passed through")
	}
	// Underscores inside words are not emphasis.
	if got := RenderMarkdown("from_directory and snake_case_name"); strings.Contains(got, "<em>") {
		t.Errorf("intraword underscore emphasised: %s", got)
	}
}
