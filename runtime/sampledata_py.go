package runtime

// This file is the Python face of dkist.data.sample: dkist's sample dataset names, each
// resolving to a local directory that holds a synthetic stand-in written on first use
// (runtime/sample), the deprecated names with dkist's warning, VISP_HEADER and
// download_all_sample_data.

import (
	"fmt"
	"gokist/runtime/astropy/iofits"
	"slices"
	"strings"
	"time"

	"gokist/obj"
	"gokist/runtime/sample"
)

func init() {
	obj.RegisterModule("dkist.data.sample", func(obj.ModuleScope) (any, error) { return sampleDataModule{}, nil })
	obj.RegisterModule("dkist.data", func(obj.ModuleScope) (any, error) { return dkistDataModule(), nil })
}

func dkistDataModule() *obj.Module {
	return obj.NewModule("dkist.data", "The dkist package's data: sample datasets (dkist.data.sample).", map[string]any{"sample": sampleDataModule{}})
}

// sampleDataModule is the dkist.data.sample module. Its dataset names are attributes
// computed on access, as dkist's module __getattr__ does.
type sampleDataModule struct{}

var sampleDataType = &obj.Type{
	Name: "module",
	Doc: "Sample datasets under the dkist package's names. dkist downloads them; gokist writes a small synthetic stand-in " +
		"(instrument-like, its inventory marked synthetic) into dkist's sample data directory ($DKIST_SAMPLE_DIR, else " +
		"~/.local/share/dkist) the first time a name is used, and gives its directory: dkist.load_dataset(VISP_L1_KMUPT).",
}

func init() {
	names := slices.Sorted(func(yield func(string) bool) {
		for n := range sample.StandIns {
			if !yield(n) {
				return
			}
		}
	})
	for _, name := range names {
		s := sample.StandIns[name]
		sampleDataType.Members = append(sampleDataType.Members, obj.Attr(name, s.Doc, func(env *obj.Env, recv any) (any, error) {
			return ensureStandIn(env, sample.StandIns[name])
		}))
	}
	for name, what := range sample.Missing {
		sampleDataType.Members = append(sampleDataType.Members, obj.Attr(name, "dkist's "+what+"; gokist has no stand-in for it yet.",
			func(env *obj.Env, recv any) (any, error) { return nil, missingStandIn(name) }))
	}
	for old, repl := range sample.DeprecatedNames {
		sampleDataType.Members = append(sampleDataType.Members, obj.Attr(old, fmt.Sprintf("Deprecated: the former name of %s.", repl),
			func(env *obj.Env, recv any) (any, error) {
				msg := fmt.Sprintf("The sample data name %s is deprecated and has been replaced by %s.", old, repl)
				if err := obj.Warn(env, "DKISTDeprecationWarning", msg, "DKISTDeprecationWarning: "+msg+"\n"); err != nil {
					return nil, err
				}
				s, ok := sample.StandIns[repl]
				if !ok {
					return nil, missingStandIn(repl)
				}
				return ensureStandIn(env, s)
			}))
	}
	sampleDataType.Members = append(sampleDataType.Members,
		obj.Attr("VISP_HEADER", "A real VISP Level-1 FITS header (dataset BEOGN), as dkist ships it.", func(env *obj.Env, recv any) (any, error) {
			h, err := iofits.HeaderFromText(sample.VISPHeaderText())
			if err != nil {
				return nil, obj.Errorf(obj.ValueError, "VISP_HEADER: %v", err)
			}
			return h, nil
		}),

		obj.Method("download_all_sample_data", "download_all_sample_data(overwrite=False)",
			"Write every sample dataset that is not there yet (all of them again with overwrite=True); returns their directories.",
			[]obj.Param{{Name: "overwrite", Default: "False"}},
			func(env *obj.Env, recv any, v []any) (any, error) {
				overwrite, ok := v[0].(bool)
				if !ok && v[0] != nil {
					return nil, obj.Errorf(obj.TypeError, "download_all_sample_data(): overwrite must be True or False, not %s", obj.TypeName(v[0]))
				}
				return writeAllStandIns(env, overwrite)
			}),
	)
}

// Type returns the module's member table.
func (sampleDataModule) Type() *obj.Type { return sampleDataType }

// MimeBundle shows the module as Python does.
func (sampleDataModule) MimeBundle() map[string]any {
	return map[string]any{"text/plain": "<module 'dkist.data.sample'>"}
}

// missingStandIn is the error of a dkist sample name gokist writes no stand-in for.
func missingStandIn(name string) error {
	var have []string
	for n := range sample.StandIns {
		have = append(have, n)
	}
	slices.Sort(have)
	return obj.Errorf("RuntimeError", "gokist has no synthetic stand-in for the sample dataset %s (%s) yet", name, sample.Missing[name]).
		WithHint("the samples gokist writes are %s", strings.Join(have, ", "))
}

// ensureStandIn gives the stand-in's directory, writing it first (with a progress bar)
// when it is not there.
func ensureStandIn(env *obj.Env, s sample.StandIn) (any, error) {
	start := time.Now()
	label := "writing the sample dataset " + s.Name
	progress := func(done, total int, bytes int64) {
		if env != nil && env.Out != nil {
			env.Out.Progress(obj.Progress{Label: label, Done: done, Total: total, Bytes: bytes, Elapsed: time.Since(start), Finished: done == total})
		}
	}
	dir, _, err := s.Ensure(env.Context(), progress)
	if err != nil {
		if env.Context().Err() != nil {
			return nil, obj.Errorf(obj.Interrupted, "%s interrupted", label)
		}
		return nil, obj.Errorf("RuntimeError", "cannot write the sample dataset %s: %s", s.Name, strings.TrimPrefix(err.Error(), "invalid sample options: ")).
			WithHint("set DKIST_SAMPLE_DIR to a directory gokist may write to")
	}
	return dir, nil
}

// writeAllStandIns is download_all_sample_data.
func writeAllStandIns(env *obj.Env, overwrite bool) (any, error) {
	var out obj.List
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for n := range sample.StandIns {
			if !yield(n) {
				return
			}
		}
	}) {
		s := sample.StandIns[name]
		if overwrite {
			if err := s.Remove(); err != nil {
				return nil, obj.Errorf("RuntimeError", "cannot rewrite the sample dataset %s: %v", name, err)
			}
		}
		dir, err := ensureStandIn(env, s)
		if err != nil {
			return nil, err
		}
		out = append(out, dir)
	}
	return out, nil
}
