// Command splitmove is the tool the runtime's layer split was made with (issue 14), kept
// so that the move can be made again on a tree that gained files meanwhile. It
// type-checks package runtime (with its tests) and:
//
//	splitmove analyze runtime FILES
//	    lists what the FILES (comma-separated) use of the rest of the package (must be
//	    nothing before they move), methods the rest declares on their types, and the
//	    unexported names of theirs the rest uses;
//	splitmove convs runtime TYPES
//	    lists every place a value of one of TYPES (or a pointer to it) silently becomes
//	    an interface value: where a core value reaches Python and needs its face type;
//	splitmove move runtime FILES gokist/runtime/lazy lazy OVERRIDES
//	    writes FILES, as package lazy, to runtime/lazy/NAME.new and the rest to NAME.new:
//	    names the rest uses are exported (OVERRIDES: name=New, file.go:name=New,
//	    field:file.go:name=New, func:file.go:name=New), and the rest refers to them as
//	    lazy.Name. git mv the files, then move the .new files over them.
//
// Run it from the repository root with TESTS=1 to include the test files; it needs the
// package to build. Embedded fields of moved types, unkeyed literals of them and locals
// named like the new package are left for the compiler (and go vet) to point out.
package main

import (
	"os"
	"path/filepath"
	"strings"
)

func main() {
	dir := os.Args[2]
	moved := map[string]bool{}
	for _, f := range strings.Split(os.Args[3], ",") {
		moved[f] = true
	}
	ex := exportMap(dir)
	pi := load(dir, "runtime", "gokist/runtime", ex, os.Getenv("TESTS") != "")
	switch os.Args[1] {
	case "convs":
		names := map[string]bool{}
		for _, n := range strings.Split(os.Args[3], ",") {
			names[n] = true
		}
		convs(pi, names)
	case "move":
		ov := map[string]string{}
		if len(os.Args) > 6 && os.Args[6] != "" {
			for _, kv := range strings.Split(os.Args[6], ",") {
				k, v, _ := strings.Cut(kv, "=")
				ov[k] = v
			}
		}
		out := move(pi, moved, os.Args[4], os.Args[5], ov)
		for fn, b := range out {
			dst := filepath.Join(dir, fn)
			if moved[fn] {
				dst = filepath.Join(dir, os.Args[5], fn)
			}
			os.WriteFile(dst+".new", b, 0o644)
		}
	case "wrap":
		names := map[string]bool{os.Args[3]: true}
		wrapOut = []wrapSite{{}}
		convs(pi, names)
		applyWraps(pi, func(fn string) bool { return strings.HasSuffix(fn, os.Getenv("WRAPSUFFIX")) }, os.Args[4], os.Args[5])
	case "analyze":
		analyze(pi, moved)
	}
}
