package lang

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gokist/internal/pyref"
)

// warningsSessions are cells run in order in one session each, in gokist and in CPython
// (each cell a file of its own, as ipykernel compiles them).
var warningsSessions = [][]string{{
	"import warnings\nwarnings.warn('careful')",
	"warnings.warn('careful')",
	"for i in range(3):\n    warnings.warn('loop')",
	"warnings.warn('dep', DeprecationWarning)\nwarnings.warn(RuntimeWarning('inst'))",
	"warnings.warn('x', 'notaclass')",
	"warnings.simplefilter('ignore')\nwarnings.warn('hidden')\nprint('ran')",
	"warnings.resetwarnings()\nwarnings.simplefilter('error', UserWarning)\ntry:\n    warnings.warn('boom')\nexcept UserWarning as e:\n    print('caught', e)",
	"warnings.warn('boom2')",
	"warnings.resetwarnings()\nwith warnings.catch_warnings(record=True) as w:\n    warnings.simplefilter('always')\n    warnings.warn('a')\n    warnings.warn('b', DeprecationWarning)\nprint(len(w), [str(x.message) for x in w], [x.category.__name__ for x in w])",
	"warnings.warn('after')",
	"warnings.filterwarnings('ignore', message='skip')\nwarnings.warn('Skip this')\nwarnings.warn('keep this')",
	"warnings.filterwarnings('bogus')",
	"warnings.resetwarnings()\nwarnings.simplefilter('once')\nwarnings.warn('one')",
	"warnings.warn('one')\nwarnings.warn(FutureWarning('fut'))\nprint(issubclass(FutureWarning, Warning))",
}, {
	"import warnings\nfrom astropy.time import Time, TimeDelta\nprint(Time('2100-01-01').tai.iso)",
	"print(Time('2100-01-01').tai.iso)",
	"warnings.simplefilter('error')\ntry:\n    Time('2100-01-01').tai\nexcept UserWarning as e:\n    print('caught', e)",
	"from erfa import ErfaWarning\nwarnings.resetwarnings()\nwarnings.filterwarnings('ignore', category=ErfaWarning)\nprint(Time('2100-01-01').tai.iso)",
	"from astropy.utils.exceptions import AstropyWarning\nwarnings.resetwarnings()\nwarnings.simplefilter('error', AstropyWarning)\nprint(Time('2100-01-01').tai.iso)",
	"warnings.resetwarnings()\nwarnings.filterwarnings('ignore', module='astropy')\nprint(TimeDelta(1.5).sec)",
	"warnings.resetwarnings()\nprint(TimeDelta(1.5).sec)",
}}

// cpythonWarnings runs the sessions in CPython 3.11 with astropy: per cell its stdout,
// the warnings it showed (category: message) and the exception that ended it.
const cpythonWarnings = `
import io, json, re, sys, warnings
from astropy.utils import iers
iers.conf.auto_download = False
out = []
for cells in json.load(sys.stdin):
    warnings.resetwarnings()
    warnings.onceregistry.clear()
    ns = {"__name__": "__main__"}
    res = []
    for i, code in enumerate(cells):
        so, se = io.StringIO(), io.StringIO()
        sys.stdout, sys.stderr = so, se
        exc = None
        try:
            exec(compile(code, "<cell-%d-%d>" % (len(out), i), "exec"), ns)
        except BaseException as e:
            exc = [type(e).__name__, str(e)]
        finally:
            sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
        shown = [m.group(1) + ": " + m.group(2) for m in re.finditer(r"(\w+Warning): (.*)", se.getvalue())]
        res.append({"stdout": so.getvalue(), "warnings": [w for w in shown if not w.startswith("IERSStaleWarning")], "exc": exc})
    out.append(res)
json.dump(out, sys.stdout)
`

var shownWarning = regexp.MustCompile(`(\w+Warning): (.*)`)

// TestWarningsMatchCPython: the warnings module's filters, actions (ignore, error, once,
// default per cell, always), catch_warnings and categories act on warnings.warn and on
// the runtime's astropy warnings as CPython's do on the same cells.
func TestWarningsMatchCPython(t *testing.T) {
	in, _ := json.Marshal(warningsSessions)
	var want [][]struct {
		Stdout   string   `json:"stdout"`
		Warnings []string `json:"warnings"`
		Exc      []string `json:"exc"`
	}
	if err := json.Unmarshal(pyref.RunInput(t, in, cpythonWarnings), &want); err != nil {
		t.Fatal(err)
	}
	for si, cells := range warningsSessions {
		s := NewSession()
		for i, code := range cells {
			out := &recorder{}
			_, err := s.Execute(context.Background(), code, out)
			var shown []string
			for _, m := range shownWarning.FindAllStringSubmatch(out.stderr.String(), -1) {
				shown = append(shown, m[1]+": "+strings.TrimSuffix(m[2], " [astropy.time.core]"))
			}
			w := want[si][i]
			for k := range w.Warnings {
				w.Warnings[k] = strings.TrimSuffix(w.Warnings[k], " [astropy.time.core]")
			}
			if got := out.stdout.String(); got != w.Stdout {
				t.Errorf("%q printed %q, CPython %q", code, got, w.Stdout)
			}
			if !slices.Equal(shown, w.Warnings) && !(len(shown) == 0 && len(w.Warnings) == 0) {
				t.Errorf("%q showed %q, CPython %q", code, shown, w.Warnings)
			}
			gotExc := ""
			if e, ok := err.(*Error); ok {
				gotExc = fmt.Sprintf("%s: %s", e.Class, e.Msg)
			} else if err != nil {
				gotExc = err.Error()
			}
			wantExc := ""
			if w.Exc != nil {
				wantExc = w.Exc[0] + ": " + w.Exc[1]
			}
			if gotExc != wantExc {
				t.Errorf("%q raised %q, CPython %q", code, gotExc, wantExc)
			}
		}
	}
}
