package pystd

import (
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"gokist/obj"
	"gokist/pyfmt"
)

// pathClass is `Path` itself: calling it makes a path; Path.home() and Path.cwd().
type pathClass struct{}

var pathClassType = &obj.Type{Name: "type", Doc: pathType.Doc, Signature: "Path(*pathsegments)", Members: []*obj.Member{
	{Name: "home", Signature: "home()", Doc: "The home directory.", Call: func(*obj.Env, any, obj.Args) (any, error) {
		home, err := os.UserHomeDir()
		if err != nil {
			return nil, obj.Errorf("RuntimeError", "Could not determine home directory.")
		}
		return NewPath(home), nil
	}},
	{Name: "cwd", Signature: "cwd()", Doc: "The working directory.", Call: func(*obj.Env, any, obj.Args) (any, error) {
		wd, err := os.Getwd()
		if err != nil {
			return nil, osError(err, ".")
		}
		return NewPath(wd), nil
	}},
}}

func (pathClass) Type() *obj.Type { return pathClassType }
func (pathClass) String() string  { return "<class 'pathlib.Path'>" }

// Call is Path(*parts).
func (pathClass) Call(_ *obj.Env, args obj.Args) (any, error) {
	if len(args.Kw) > 0 {
		return nil, obj.Errorf(obj.TypeError, "Path() takes no keyword arguments")
	}
	parts, err := pathArgs(args.Pos)
	if err != nil {
		return nil, err
	}
	return NewPath(parts...), nil
}

func fn(name, sig, doc string, call func(args []any) (any, error)) *obj.Func {
	return &obj.Func{Name: name, Signature: sig, Doc: doc, Call: func(_ *obj.Env, args obj.Args) (any, error) {
		if len(args.Kw) > 0 {
			return nil, obj.Errorf(obj.TypeError, "%s() takes no keyword arguments", name)
		}
		return call(args.Pos)
	}}
}

// onePath is the single path argument of an os.path function.
func onePath(name string, args []any) (string, error) {
	if len(args) != 1 {
		return "", obj.Errorf(obj.TypeError, "%s() takes exactly one argument (%d given)", name, len(args))
	}
	s, ok := pathString(args[0])
	if !ok {
		return "", obj.Errorf(obj.TypeError, "expected str, bytes or os.PathLike object, not %s", obj.TypeName(args[0]))
	}
	return s, nil
}

// pathFunc is an os.path function of one path giving a value.
func pathFunc(name, doc string, f func(p string) (any, error)) *obj.Func {
	return fn(name, name+"(path)", doc, func(args []any) (any, error) {
		p, err := onePath(name, args)
		if err != nil {
			return nil, err
		}
		return f(p)
	})
}

func statIs(want func(os.FileInfo) bool) func(p string) (any, error) {
	return func(p string) (any, error) {
		fi, err := os.Stat(p)
		return err == nil && want(fi), nil
	}
}

func osPathModule() *obj.Module {
	return obj.NewModule("os.path", "Path-name functions (posixpath).", map[string]any{
		"sep": "/",
		"join": fn("join", "join(a, *p)", "Join path parts; an absolute part restarts the path.", func(args []any) (any, error) {
			if len(args) == 0 {
				return nil, obj.Errorf(obj.TypeError, "join() missing 1 required positional argument: 'a'")
			}
			parts, err := pathArgs(args)
			if err != nil {
				return nil, err
			}
			out := parts[0]
			for _, s := range parts[1:] {
				switch {
				case strings.HasPrefix(s, "/"):
					out = s
				case out == "" || strings.HasSuffix(out, "/"):
					out += s
				default:
					out += "/" + s
				}
			}
			return out, nil
		}),
		"expanduser": pathFunc("expanduser", "The path with a leading ~ replaced by the home directory.", func(p string) (any, error) { return obj.ExpandHome(p), nil }),
		"exists":     pathFunc("exists", "Whether the path exists.", statIs(func(os.FileInfo) bool { return true })),
		"isdir":      pathFunc("isdir", "Whether the path is a directory.", statIs(os.FileInfo.IsDir)),
		"isfile":     pathFunc("isfile", "Whether the path is a regular file.", statIs(func(fi os.FileInfo) bool { return fi.Mode().IsRegular() })),
		"isabs":      pathFunc("isabs", "Whether the path starts at the root.", func(p string) (any, error) { return strings.HasPrefix(p, "/"), nil }),
		"basename": pathFunc("basename", "The part after the last slash.", func(p string) (any, error) {
			return p[strings.LastIndex(p, "/")+1:], nil
		}),
		"dirname": pathFunc("dirname", "The part before the last slash.", func(p string) (any, error) {
			head, _ := splitPath(p)
			return head, nil
		}),
		"split": pathFunc("split", "(dirname, basename).", func(p string) (any, error) {
			head, tail := splitPath(p)
			return obj.Tuple{head, tail}, nil
		}),
		"splitext": pathFunc("splitext", "(root, ext): ext is the last '.ext' of the final part.", func(p string) (any, error) {
			base := p[strings.LastIndex(p, "/")+1:]
			i := strings.LastIndex(base, ".")
			if i <= 0 || strings.Trim(base[:i], ".") == "" {
				return obj.Tuple{p, ""}, nil
			}
			cut := len(p) - len(base) + i
			return obj.Tuple{p[:cut], p[cut:]}, nil
		}),
		"normpath": pathFunc("normpath", "The path with redundant separators and . and .. parts removed.", func(p string) (any, error) {
			if p == "" {
				return ".", nil
			}
			c := path.Clean(p)
			if strings.HasPrefix(p, "//") && !strings.HasPrefix(p, "///") {
				c = "/" + c
			}
			return c, nil
		}),
		"abspath": pathFunc("abspath", "The absolute, normalised path.", func(p string) (any, error) {
			a, err := filepath.Abs(p)
			if err != nil {
				return nil, osError(err, p)
			}
			return a, nil
		}),
		"getsize": pathFunc("getsize", "The file's size in bytes.", func(p string) (any, error) {
			fi, err := os.Stat(p)
			if err != nil {
				return nil, osError(err, p)
			}
			return int(fi.Size()), nil
		}),
	})
}

// splitPath is posixpath.split: the head keeps a leading run of slashes only.
func splitPath(p string) (string, string) {
	i := strings.LastIndex(p, "/") + 1
	head, tail := p[:i], p[i:]
	if strings.Trim(head, "/") != "" {
		head = strings.TrimRight(head, "/")
	}
	return head, tail
}

func init() {
	obj.RegisterModule("pathlib", func(obj.ModuleScope) (any, error) {
		return obj.NewModule("pathlib", "Object-oriented file-system paths.", map[string]any{"Path": pathClass{}, "PosixPath": pathClass{}}), nil
	})
	obj.RegisterModule("os.path", func(obj.ModuleScope) (any, error) { return osPathModule(), nil })
	obj.RegisterModule("os", func(obj.ModuleScope) (any, error) { return osModule(), nil })
	obj.RegisterModule("glob", func(obj.ModuleScope) (any, error) {
		return obj.NewModule("glob", "File names matching a shell pattern.", map[string]any{
			"glob": &obj.Func{Name: "glob", Signature: "glob(pathname, *, recursive=False)", Doc: "The paths matching the pattern (* ? [...]), sorted.",
				Params: []obj.Param{{Name: "pathname"}, {Name: "recursive", Default: "False"}}, Call: globFunc},
		}), nil
	})
}

func globFunc(_ *obj.Env, args obj.Args) (any, error) {
	v, err := args.Bind("glob", []obj.Param{{Name: "pathname"}, {Name: "recursive", Default: "False"}})
	if err != nil {
		return nil, err
	}
	pat, ok := pathString(v[0])
	if !ok {
		return nil, obj.Errorf(obj.TypeError, "expected str, bytes or os.PathLike object, not %s", obj.TypeName(v[0]))
	}
	if rec, _ := v[1].(bool); rec && strings.Contains(pat, "**") {
		return nil, obj.Errorf("NotImplementedError", "recursive ** patterns are not supported in gokist").WithHint("list the directories level by level, e.g. glob.glob('dir/*/*.fits')")
	}
	found, err := filepath.Glob(pat)
	if err != nil {
		return nil, obj.Errorf(obj.ValueError, "%v in pattern %s", err, pyfmt.Quote(pat))
	}
	sort.Strings(found)
	out := obj.List{}
	for _, f := range found {
		out = append(out, f)
	}
	return out, nil
}

func osModule() *obj.Module {
	env := map[string]any{}
	for _, kv := range os.Environ() {
		if k, v, ok := strings.Cut(kv, "="); ok {
			env[k] = v
		}
	}
	return obj.NewModule("os", "Operating-system interfaces: paths, the working directory, the environment (read-only).", map[string]any{
		"path": osPathModule(), "sep": "/", "environ": env,
		"getcwd": fn("getcwd", "getcwd()", "The working directory.", func([]any) (any, error) {
			wd, err := os.Getwd()
			if err != nil {
				return nil, osError(err, ".")
			}
			return wd, nil
		}),
		"listdir": fn("listdir", "listdir(path='.')", "The names in the directory, sorted.", func(args []any) (any, error) {
			p := "."
			if len(args) > 0 {
				var err error
				if p, err = onePath("listdir", args); err != nil {
					return nil, err
				}
			}
			entries, err := os.ReadDir(p)
			if err != nil {
				return nil, osError(err, p)
			}
			out := obj.List{}
			for _, e := range entries {
				out = append(out, e.Name())
			}
			return out, nil
		}),
		"fspath": fn("fspath", "fspath(path)", "The path's string.", func(args []any) (any, error) { return onePath("fspath", args) }),
		"getenv": fn("getenv", "getenv(key, default=None)", "An environment variable, or default.", func(args []any) (any, error) {
			if len(args) < 1 || len(args) > 2 {
				return nil, obj.Errorf(obj.TypeError, "getenv() takes 1 or 2 arguments")
			}
			k, _ := args[0].(string)
			if v, ok := env[k]; ok {
				return v, nil
			}
			if len(args) == 2 {
				return args[1], nil
			}
			return nil, nil
		}),
	})
}
