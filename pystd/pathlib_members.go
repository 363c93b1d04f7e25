package pystd

import (
	"os"
	"path/filepath"
	"strings"

	"gokist/obj"
	"gokist/pyfmt"
)

func attr(name, doc string, get func(p Path) (any, error)) *obj.Member {
	return &obj.Member{Name: name, Signature: name, Doc: doc, Get: func(_ *obj.Env, r any) (any, error) { return get(r.(Path)) }}
}

func method(name, sig, doc string, params []obj.Param, call func(p Path, v []any) (any, error)) *obj.Member {
	return &obj.Member{Name: name, Signature: sig, Doc: doc, Params: params,
		Call: func(_ *obj.Env, r any, args obj.Args) (any, error) {
			v, err := args.Bind(name, params)
			if err != nil {
				return nil, err
			}
			return call(r.(Path), v)
		}}
}

// stat answers a file-system question about the path (exists, is_dir, is_file); like
// pathlib, a path that cannot be examined is simply not there.
func stat(p Path, want func(os.FileInfo) bool) (any, error) {
	fi, err := os.Stat(p.p)
	return err == nil && want(fi), nil
}

func osError(err error, p string) error {
	switch {
	case os.IsNotExist(err):
		return obj.Errorf(obj.FileNotFoundError, "[Errno 2] No such file or directory: %s", pyfmt.Quote(p))
	case os.IsPermission(err):
		return obj.Errorf(obj.PermissionError, "[Errno 13] Permission denied: %s", pyfmt.Quote(p))
	}
	return obj.Errorf("OSError", "%v", err)
}

var pathType = &obj.Type{Name: "PosixPath", Doc: "A file-system path (pathlib.Path): join with /, expand ~ with expanduser(), list with glob()."}

func init() {
	pathType.Members = []*obj.Member{
		attr("name", "The final part.", func(p Path) (any, error) { return p.name(), nil }),
		attr("suffix", "The final part's extension, e.g. '.fits'.", func(p Path) (any, error) { return p.suffix(), nil }),
		attr("stem", "The final part without its extension.", func(p Path) (any, error) { return strings.TrimSuffix(p.name(), p.suffix()), nil }),
		attr("parent", "The path without its final part.", func(p Path) (any, error) { return p.parent(), nil }),
		attr("parts", "The parts as a tuple.", func(p Path) (any, error) { return p.parts(), nil }),
		method("expanduser", "expanduser()", "The path with ~ replaced by the home directory.", nil, func(p Path, _ []any) (any, error) { return p.expanded() }),
		method("absolute", "absolute()", "The path made absolute from the working directory (.. kept).", nil, func(p Path, _ []any) (any, error) {
			if strings.HasPrefix(p.p, "/") {
				return p, nil
			}
			wd, err := os.Getwd()
			if err != nil {
				return nil, osError(err, ".")
			}
			return NewPath(wd, p.p), nil
		}),
		method("resolve", "resolve()", "The absolute path with symbolic links and .. resolved.", nil, func(p Path, _ []any) (any, error) {
			abs, err := filepath.Abs(p.p)
			if err != nil {
				return nil, osError(err, p.p)
			}
			if r, err := filepath.EvalSymlinks(abs); err == nil {
				abs = r
			}
			return NewPath(abs), nil
		}),
		method("exists", "exists()", "Whether the path exists.", nil, func(p Path, _ []any) (any, error) { return stat(p, func(os.FileInfo) bool { return true }) }),
		method("is_dir", "is_dir()", "Whether the path is a directory.", nil, func(p Path, _ []any) (any, error) { return stat(p, os.FileInfo.IsDir) }),
		method("is_file", "is_file()", "Whether the path is a regular file.", nil, func(p Path, _ []any) (any, error) {
			return stat(p, func(fi os.FileInfo) bool { return fi.Mode().IsRegular() })
		}),
		method("is_absolute", "is_absolute()", "Whether the path starts at the root.", nil, func(p Path, _ []any) (any, error) { return strings.HasPrefix(p.p, "/"), nil }),
		method("as_posix", "as_posix()", "The path as a string with forward slashes.", nil, func(p Path, _ []any) (any, error) { return p.p, nil }),
		method("joinpath", "joinpath(*other)", "The path with the parts added.", nil, nil),
		method("with_suffix", "with_suffix(suffix)", "The path with its extension replaced.", []obj.Param{{Name: "suffix"}}, withSuffix),
		method("with_name", "with_name(name)", "The path with its final part replaced.", []obj.Param{{Name: "name"}}, func(p Path, v []any) (any, error) {
			n, ok := v[0].(string)
			if !ok || p.name() == "" || n == "" || strings.Contains(n, "/") || n == "." {
				return nil, obj.Errorf(obj.ValueError, "%s has an empty name", p.String())
			}
			return NewPath(p.parent().p, n), nil
		}),
		method("relative_to", "relative_to(other)", "The path relative to other, which must be its start.", []obj.Param{{Name: "other"}}, relativeTo),
		method("glob", "glob(pattern)", "The paths under this directory matching the pattern (* ? [...]), as a generator.", []obj.Param{{Name: "pattern"}}, func(p Path, v []any) (any, error) {
			pat, ok := v[0].(string)
			if !ok {
				return nil, obj.Errorf(obj.TypeError, "glob() pattern must be a str, not %s", obj.TypeName(v[0]))
			}
			items, err := matches(p, pat)
			if err != nil {
				return nil, err
			}
			return &Generator{Name: "Path.glob", items: items}, nil
		}),
		method("iterdir", "iterdir()", "The paths in this directory, as a generator.", nil, func(p Path, _ []any) (any, error) {
			entries, err := os.ReadDir(p.p)
			if err != nil {
				return nil, osError(err, p.p)
			}
			items := make([]any, len(entries))
			for i, e := range entries {
				items[i] = NewPath(p.p, e.Name())
			}
			return &Generator{Name: "Path.iterdir", items: items}, nil
		}),
		method("read_text", "read_text()", "The file's contents as text.", nil, func(p Path, _ []any) (any, error) {
			b, err := os.ReadFile(p.p)
			if err != nil {
				return nil, osError(err, p.p)
			}
			return string(b), nil
		}),
	}
	// joinpath takes any number of parts.
	pathType.Member("joinpath").Call = func(_ *obj.Env, r any, args obj.Args) (any, error) {
		parts, err := pathArgs(args.Pos)
		if err != nil {
			return nil, err
		}
		return NewPath(append([]string{r.(Path).p}, parts...)...), nil
	}
}

func withSuffix(p Path, v []any) (any, error) {
	s, ok := v[0].(string)
	if !ok {
		return nil, obj.Errorf(obj.TypeError, "with_suffix() argument must be str, not %s", obj.TypeName(v[0]))
	}
	if s != "" && (!strings.HasPrefix(s, ".") || s == "." || strings.Contains(s, "/")) {
		return nil, obj.Errorf(obj.ValueError, "Invalid suffix %s", pyfmt.Quote(s))
	}
	if p.name() == "" {
		return nil, obj.Errorf(obj.ValueError, "%s has an empty name", p.String())
	}
	stem := strings.TrimSuffix(p.name(), p.suffix())
	return NewPath(p.parent().p, stem+s), nil
}

func relativeTo(p Path, v []any) (any, error) {
	o, ok := pathString(v[0])
	if !ok {
		return nil, obj.Errorf(obj.TypeError, "expected str, bytes or os.PathLike object, not %s", obj.TypeName(v[0]))
	}
	base := NewPath(o)
	switch {
	case base.p == p.p:
		return Path{"."}, nil
	case base.p == "/" && strings.HasPrefix(p.p, "/"):
		return NewPath(p.p[1:]), nil
	case strings.HasPrefix(p.p, base.p+"/"):
		return NewPath(p.p[len(base.p)+1:]), nil
	}
	return nil, obj.Errorf(obj.ValueError, "%s is not in the subpath of %s OR one path is relative and the other is absolute.", pyfmt.Quote(p.p), pyfmt.Quote(base.p))
}
