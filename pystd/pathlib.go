package pystd

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"gokist/obj"
	"gokist/pyfmt"
)

// Path is pathlib's PosixPath: a normalised path string (no trailing or doubled
// slashes, no "." parts), as PurePosixPath normalises it.
type Path struct{ p string }

// NewPath joins parts as Path(*parts) does: an absolute part restarts the path.
func NewPath(parts ...string) Path {
	out := ""
	for _, s := range parts {
		switch {
		case s == "":
		case strings.HasPrefix(s, "/"):
			out = s
		case out == "" || strings.HasSuffix(out, "/"):
			out += s
		default:
			out += "/" + s
		}
	}
	return Path{normalise(out)}
}

// normalise drops empty and "." parts, keeping ".." (pathlib does not resolve them)
// and a leading "//" (POSIX leaves it implementation-defined; pathlib keeps it).
func normalise(p string) string {
	if p == "" {
		return "."
	}
	lead := ""
	switch {
	case strings.HasPrefix(p, "//") && !strings.HasPrefix(p, "///"):
		lead = "//"
	case strings.HasPrefix(p, "/"):
		lead = "/"
	}
	var kept []string
	for _, part := range strings.Split(p, "/") {
		if part != "" && part != "." {
			kept = append(kept, part)
		}
	}
	if lead == "" && len(kept) == 0 {
		return "."
	}
	return lead + strings.Join(kept, "/")
}

// FSPath is os.fspath(p).
func (p Path) FSPath() string { return p.p }

// Str is str(p).
func (p Path) Str() string { return p.p }

// String is repr(p).
func (p Path) String() string { return "PosixPath(" + pyfmt.Quote(p.p) + ")" }

// MimeBundle shows the repr.
func (p Path) MimeBundle() map[string]any { return map[string]any{"text/plain": p.String()} }

// Type is the member table.
func (p Path) Type() *obj.Type { return pathType }

// name is the last part ("" for the root and for ".").
func (p Path) name() string {
	if p.p == "." || strings.Trim(p.p, "/") == "" {
		return ""
	}
	return path.Base(p.p)
}

// suffix is the last ".ext" of the name, as pathlib finds it (not for ".bashrc").
func (p Path) suffix() string {
	n := p.name()
	i := strings.LastIndex(n, ".")
	if i <= 0 || i == len(n)-1 {
		return ""
	}
	return n[i:]
}

func (p Path) parent() Path {
	if p.p == "." || strings.Trim(p.p, "/") == "" {
		return p
	}
	d := path.Dir(p.p)
	if strings.HasPrefix(p.p, "//") && d == "/" {
		d = "//"
	}
	return Path{d}
}

func (p Path) parts() obj.Tuple {
	var out obj.Tuple
	rest := p.p
	switch {
	case strings.HasPrefix(rest, "//"):
		out, rest = append(out, "//"), rest[2:]
	case strings.HasPrefix(rest, "/"):
		out, rest = append(out, "/"), rest[1:]
	}
	if rest != "" && rest != "." {
		for _, s := range strings.Split(rest, "/") {
			out = append(out, s)
		}
	}
	return out
}

// expanded is the path with ~ replaced by the home directory.
func (p Path) expanded() (Path, error) {
	if p.p == "~" || strings.HasPrefix(p.p, "~/") {
		home, err := os.UserHomeDir()
		if err != nil {
			return p, obj.Errorf("RuntimeError", "Could not determine home directory.")
		}
		return NewPath(home, strings.TrimPrefix(strings.TrimPrefix(p.p, "~"), "/")), nil
	}
	return p, nil
}

// BinaryOp is p / "x", "x" / p, and equality.
func (p Path) BinaryOp(_ *obj.Env, op string, other any, reflected bool) (any, bool, error) {
	o, ok := pathString(other)
	switch op {
	case "/":
		if !ok {
			return nil, false, nil
		}
		if reflected {
			return NewPath(o, p.p), true, nil
		}
		return NewPath(p.p, o), true, nil
	case "==", "!=":
		q, isPath := other.(Path)
		return (isPath && q.p == p.p) == (op == "=="), true, nil
	case "<", "<=", ">", ">=":
		q, isPath := other.(Path)
		if !isPath {
			return nil, false, nil
		}
		c := strings.Compare(p.p, q.p)
		return map[string]bool{"<": c < 0, "<=": c <= 0, ">": c > 0, ">=": c >= 0}[op], true, nil
	}
	return nil, false, nil
}

// pathString is a str or os.PathLike argument's path.
func pathString(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case obj.PathLike:
		return x.FSPath(), true
	}
	return "", false
}

// pathArgs are Path(*args)' parts, with pathlib's TypeError for others.
func pathArgs(args []any) ([]string, error) {
	parts := make([]string, len(args))
	for i, a := range args {
		s, ok := pathString(a)
		if !ok {
			return nil, obj.Errorf(obj.TypeError, "expected str, bytes or os.PathLike object, not %s", obj.TypeName(a))
		}
		parts[i] = s
	}
	return parts, nil
}

// matches lists the paths under dir matching a glob pattern of one or more parts
// ("*.fits", "*/x.asdf"), sorted (Python's order is the directory's; sorted is one of
// them, and the one notebooks then ask for).
func matches(dir Path, pattern string) ([]any, error) {
	if pattern == "" {
		return nil, obj.Errorf(obj.ValueError, "Unacceptable pattern: ''")
	}
	if strings.HasPrefix(pattern, "/") {
		return nil, obj.Errorf("NotImplementedError", "Non-relative patterns are unsupported")
	}
	if strings.Contains(pattern, "**") {
		return nil, obj.Errorf("NotImplementedError", "recursive ** patterns are not supported in gokist").WithHint("list the directories level by level, e.g. p.glob('*/*.fits')")
	}
	found, err := filepath.Glob(filepath.Join(dir.p, pattern))
	if err != nil {
		return nil, obj.Errorf(obj.ValueError, "%v in pattern %s", err, pyfmt.Quote(pattern))
	}
	sort.Strings(found)
	out := make([]any, len(found))
	for i, f := range found {
		out[i] = NewPath(dir.p, strings.TrimPrefix(f, strings.TrimSuffix(filepath.Join(dir.p, "x"), "x")))
		if dir.p == "." {
			out[i] = NewPath(f)
		}
	}
	return out, nil
}

// Generator is what pathlib's glob and iterdir return: the items, iterable once as a
// list is here (obj.Sequence), shown as Python shows a generator.
type Generator struct {
	Name  string
	items []any
}

func (g *Generator) Items() []any    { return g.items }
func (g *Generator) Type() *obj.Type { return generatorType }
func (g *Generator) String() string  { return fmt.Sprintf("<generator object %s at %p>", g.Name, g) }
func (g *Generator) MimeBundle() map[string]any {
	return map[string]any{"text/plain": g.String()}
}

var generatorType = &obj.Type{Name: "generator", Doc: "The items of a directory listing, produced once."}
