package nbrun

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

const frontMatter = `---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  name: gokist
  display_name: gokist
  language: gokist
---
`

func TestParseMySTCellsTagsAndLines(t *testing.T) {
	src := frontMatter + `
# Title

Intro text.

` + "```{code-cell} gokist" + `
x = 1
x + 1
` + "```" + `

Between.

+++ {"slideshow": {"slide_type": "slide"}}

After the marker.

` + "```{code-cell} gokist" + `
:tags: [skip-execution, raises-exception]
never()
` + "```" + `

` + "```{code-cell} gokist" + `
---
tags: [raises-exception]
jupyter:
  source_hidden: true
---
1/0
` + "```" + `

Shown as an example, not a cell:

` + "````markdown" + `
` + "```{code-cell} gokist" + `
not_a_cell
` + "```" + `
` + "````" + `
`
	nb, err := ParseMyST([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if nb.Kernelspec() != "gokist" {
		t.Errorf("kernelspec = %q", nb.Kernelspec())
	}
	type want struct {
		typ, source string
		line        int
		tags        []string
	}
	wants := []want{
		{MarkdownCell, "# Title\n\nIntro text.", 12, nil},
		{CodeCell, "x = 1\nx + 1", 17, nil},
		{MarkdownCell, "Between.", 21, nil},
		{MarkdownCell, "After the marker.", 25, nil},
		{CodeCell, "never()", 29, []string{"skip-execution", "raises-exception"}},
		{CodeCell, "1/0", 38, []string{"raises-exception"}},
		{MarkdownCell, "Shown as an example, not a cell:\n\n````markdown\n```{code-cell} gokist\nnot_a_cell\n```\n````", 41, nil},
	}
	if len(nb.Cells) != len(wants) {
		for _, c := range nb.Cells {
			t.Logf("%s line %d: %q", c.Type, c.Line, c.Source)
		}
		t.Fatalf("got %d cells, want %d", len(nb.Cells), len(wants))
	}
	ids := map[string]bool{}
	for i, w := range wants {
		c := nb.Cells[i]
		if c.Type != w.typ || c.Source != w.source || c.Line != w.line || !reflect.DeepEqual(c.Tags(), w.tags) {
			t.Errorf("cell %d = %s line %d %q tags %v; want %s line %d %q tags %v", i, c.Type, c.Line, c.Source, c.Tags(), w.typ, w.line, w.source, w.tags)
		}
		if !validCellID(c.ID) || ids[c.ID] {
			t.Errorf("cell %d id %q invalid or repeated", i, c.ID)
		}
		ids[c.ID] = true
	}
	if st := nb.Cells[3].Metadata["slideshow"]; st == nil {
		t.Errorf("+++ metadata lost: %v", nb.Cells[3].Metadata)
	}
	if j, _ := nb.Cells[5].Metadata["jupyter"].(map[string]any); j["source_hidden"] != true {
		t.Errorf("YAML cell options lost: %v", nb.Cells[5].Metadata)
	}
	if !nb.Cells[4].HasTag(TagSkipExecution) || nb.Cells[5].HasTag(TagSkipExecution) {
		t.Error("HasTag wrong")
	}
}

func TestParseMySTMalformed(t *testing.T) {
	cases := []struct {
		name, src string
		want      []string // substrings of the error
	}{
		{"no front matter", "# just markdown\n", []string{"line 1", "no front matter"}},
		{"unclosed front matter", "---\nkernelspec:\n  name: gokist\n\n# Title\n", []string{"line 1", "never closed"}},
		{"bad yaml", "---\nkernelspec:\n  name: gokist\n  display_name: [oops\n---\n", []string{"bad YAML", "line"}},
		{"no kernelspec", "---\njupytext:\n  text_representation:\n    format_name: myst\n---\n", []string{"lines 1-5", "no kernelspec"}},
		{"kernelspec without name", "---\nkernelspec:\n  display_name: x\n---\n", []string{"kernelspec has no name"}},
		{"other format", "---\njupytext:\n  text_representation:\n    format_name: percent\nkernelspec:\n  name: gokist\n---\n", []string{"percent"}},
		{"unclosed cell", frontMatter + "\ntext\n\n```{code-cell} gokist\nx = 1\n\nmore text\n", []string{"line 14", "never closed", "```"}},
		{"unclosed option block", frontMatter + "```{code-cell} gokist\n---\ntags: [a]\nx\n```\n", []string{"line 12", "never closed"}},
		{"bad +++ metadata", frontMatter + "a\n+++ {oops}\nb\n", []string{"line 12", "JSON"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseMyST([]byte(c.src))
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestParseMySTBadYAMLLineIsFileLine(t *testing.T) {
	// The bad value is on line 4 of the file (line 3 of the YAML).
	_, err := ParseMyST([]byte("---\nkernelspec:\n  name: gokist\n\tdisplay_name: tab\n---\n"))
	if err == nil || !strings.Contains(err.Error(), "line 4") {
		t.Fatalf("error %v should name file line 4", err)
	}
}

func TestReadFileErrors(t *testing.T) {
	dir := t.TempDir()
	_, err := ReadFile(filepath.Join(dir, "missing.md"))
	if err == nil || !strings.Contains(err.Error(), "missing.md") || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("missing file: %v", err)
	}
	p := filepath.Join(dir, "nb.txt")
	os.WriteFile(p, []byte("x"), 0o644)
	if _, err := ReadFile(p); err == nil || !strings.Contains(err.Error(), "extension") {
		t.Errorf("unknown extension: %v", err)
	}
	p = filepath.Join(dir, "bad.md")
	os.WriteFile(p, []byte("---\nkernelspec: {name: gokist}\n"), 0o644)
	if _, err := ReadFile(p); err == nil || !strings.Contains(err.Error(), "bad.md") || !strings.Contains(err.Error(), "never closed") {
		t.Errorf("malformed: %v", err)
	}
	p = filepath.Join(dir, "bad.ipynb")
	os.WriteFile(p, []byte(`{"nbformat": 3, "cells": []}`), 0o644)
	if _, err := ReadFile(p); err == nil || !strings.Contains(err.Error(), "nbformat 3") {
		t.Errorf("old nbformat: %v", err)
	}
}

func FuzzParseMyST(f *testing.F) {
	f.Add([]byte(frontMatter + "# t\n```{code-cell} gokist\n:tags: [a]\nx\n```\n+++\nmd\n"))
	f.Add([]byte(frontMatter + "```{code-cell} gokist\n---\ntags: [a]\n---\nx\n```\n"))
	f.Add([]byte("---\nkernelspec: {name: k}\n---\n````\n```{code-cell}\n````\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		nb, err := ParseMyST(data)
		if err != nil {
			return
		}
		if _, err := nb.MarshalIPYNB(); err != nil {
			t.Fatalf("parsed notebook does not encode: %v", err)
		}
		_ = nb.RenderHTML()
	})
}
