package time_test

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"gokist/internal/pyref"
	"gokist/lang"
	"gokist/obj"
	atime "gokist/runtime/astropy/time"
)

// astropyTimePrelude is the reference: astropy 5.2 offline, as the kernel is.
const astropyTimePrelude = `
import warnings
from astropy.utils import iers
iers.conf.auto_download = False
from astropy.time import Time, TimeDelta
`

// timeCases are cells whose last expression's repr (or error) gokist must give as
// astropy does: parsing, formats and their precision, scales across leap seconds and
// before 1972 (ERFA's drift), arrays, arithmetic, comparisons, sorting and errors.
var timeCases = []string{
	// parsing and formats
	"Time('2023-05-21T04:00:00')",
	"Time('2023-05-21 04:00:00')",
	"Time('2023-05-21')",
	"Time('2023-05-21T04:00')",
	"Time('2023-5-21 4:00:00')",
	"Time('2023-05-21T04:00:00Z')",
	"Time('2023-05-21T04:00:00.123456789')",
	"Time('2023-05-21T04:00:00.123456789', precision=9)",
	"Time('2023-05-21T04:00:00.5', precision=0)",
	"Time('2023-05-21T23:59:59.9996')",
	"Time('2023-05-21T04:00:00', format='fits')",
	"Time('2023-05-21T04:00:00').fits",
	"Time('2044-03-15T08:22:54.721')",
	"Time(2460000.5, format='jd')",
	"Time(60000, format='mjd')",
	"Time(60000.123456789, format='mjd').isot",
	"Time(1.7e9, format='unix')",
	"Time(1.7e9, format='unix', scale='tai')",
	"Time(2460000.25, 0.125, format='jd').jd2",
	"t = Time('2023-05-21T04:00:00'); (t.jd, t.mjd, t.unix, t.jd1, t.jd2)",
	"t = Time('2023-05-21T04:00:00'); (t.iso, t.isot, t.value, t.format, t.scale, t.precision)",
	"Time('2023-05-21T04:00:00', scale='tt').unix",
	"Time('1969-07-20T20:17:40').unix",
	"Time('2023-05-21T04:00:00').to_value('mjd')",
	"t = Time('2023-05-21T04:00:00'); t.format = 'mjd'; t",
	"Time(Time('2023-05-21T04:00:00'), scale='tai')",
	"Time(Time('2023-05-21T04:00:00'), format='jd')",
	"str(Time('2023-05-21T04:00:00'))",
	"(Time.now().format, Time.now().scale)",
	"Time(['2023-05-21T04:00:00', '2023-05-21T04:00:00.5'], format='isot').datetime",
	// datetime
	"Time('2023-05-21T04:00:00').datetime",
	"Time('2023-01-01T00:00:00.123456789').datetime",
	"str(Time('2023-01-01T00:00:00.5').datetime)",
	"Time('2023-01-01', scale='tt').datetime",
	"Time('2023-05-21T04:00:00.25').to_datetime()",
	"Time('2023-05-21T16:07:09.123456').strftime('%Y-%m-%d %H:%M:%S.%f %j %y %b %B %a %A %I %p %w %%')",
	"Time(['2016-12-31T23:59:60', '2024-02-29T00:00:00'], precision=1).strftime('%Y/%m/%d %H:%M:%S.%f')",
	// scales, leap seconds, pre-1972
	"Time('2023-05-21T04:00:00').tai",
	"Time('2023-05-21T04:00:00').tt",
	"Time('2023-05-21T04:00:00', scale='tt').utc",
	"Time('2023-05-21T04:01:09.184', scale='tt').utc.jd2",
	"Time('2016-12-31T23:59:60')",
	"Time('2016-12-31T23:59:60.5').tai",
	"Time('2016-12-31T23:59:60.9996')",
	"Time('2016-12-31T23:59:60.5').jd2",
	"Time('2017-01-01T00:00:36.5', scale='tai').utc",
	"Time('2017-01-01T00:00:37', scale='tai').utc",
	"Time('2016-12-31T23:59:59').tai.jd2",
	"Time('2012-06-30T23:59:60.25').tt.iso",
	"Time('1972-01-01T00:00:00').tai",
	"Time('1971-12-31T23:59:59.5').tai",
	"Time('1965-06-01T12:00:00').tai",
	"Time('1962-01-01T00:00:00').tt.iso",
	"Time('1961-08-01T00:00:00', scale='tai').utc",
	"Time('1968-02-01T00:00:00').tai.jd2",
	"Time('1955-01-01T00:00:00').tai",
	"Time('2030-01-01T00:00:00').tai",
	// arrays
	"Time(['2023-05-21T04:00:00', '2016-12-31T23:59:60'])",
	"Time(['2023-05-21T04:00:00', '2016-12-31T23:59:60']).iso",
	"Time(['2023-05-21T04:00:00', '2016-12-31T23:59:60']).jd",
	"Time(['2023-05-21T04:00:00', '2016-12-31T23:59:60']).tai",
	"Time([60000.5, 60001.25], format='mjd').isot",
	"Time(['2023-05-21T04:00:%02d' % i for i in range(40)])",
	"Time(['2023-05-21T04:00:%02d' % i for i in range(40)]).mjd",
	"Time([['2023-01-01', '2023-01-02'], ['2023-01-03', '2023-01-04']])",
	"Time([['2023-01-01', '2023-01-02'], ['2023-01-03', '2023-01-04']]).shape",
	"ts = Time(['2023-05-21T04:00:00', '2016-12-31T23:59:60']); (ts[1], ts[-1:], len(ts), ts.shape, ts.size)",
	"ts = Time(['2023-05-21T04:00:10', '2023-05-21T04:00:00', '2023-05-21T04:00:05']); (ts.sort(), ts.argsort(), ts.min(), ts.max())",
	"Time([Time('2023-05-21T04:00:00'), Time('2023-05-21T04:00:00', scale='tai')])",
	"Time(['2016-12-31T23:59:58', '2016-12-31T23:59:60', '2017-01-01T00:00:01']).mean()",
	"ts = Time(['2023-05-21T04:00:%02d.%03d' % (i % 60, (i * 37) % 1000) for i in range(300)]); (ts.mean(), ts.mean().jd2)",
	"Time([60000.1 + i / 7 for i in range(21)], format='mjd', scale='tt').mean()",
	// arithmetic and comparisons
	"ts = Time(['2023-05-21T04:00:00', '2023-05-21T04:00:03', '2023-05-21T04:00:06.5']); (ts - ts[0]).to_value('s')",
	"ts = Time(['2016-12-31T23:59:58', '2016-12-31T23:59:60', '2017-01-01T00:00:01']); (ts - ts[0]).sec",
	"Time('2017-01-01T00:00:00') - Time('2016-12-31T23:59:59')",
	"(Time('2017-01-01T00:00:00') - Time('2016-12-31T23:59:59')).to_value('s')",
	"Time('2023-05-21T04:00:00', scale='tt') - Time('2023-05-21T04:00:00')",
	"Time('2016-12-31T23:59:59') + TimeDelta(1, format='sec')",
	"Time('2016-12-31T23:59:59') + TimeDelta(2, format='sec')",
	"TimeDelta(2, format='sec') + Time('2016-12-31T23:59:59')",
	"Time('2023-05-21T04:00:00') - TimeDelta(1.5, format='jd')",
	"Time(['2023-05-21T04:00:00', '2023-05-22T04:00:00']) + TimeDelta(0.25, format='jd')",
	"Time('2023-05-21T04:00:00', scale='tt') + TimeDelta(30, format='sec', scale='tai')",
	"TimeDelta(1.5, format='jd') * 2",
	"3 * TimeDelta(1.5, format='sec')",
	"TimeDelta(3, format='sec') / 7",
	"-TimeDelta(1.5, format='jd')",
	"abs(TimeDelta(-1.5, format='jd'))",
	"TimeDelta(1, format='sec') + TimeDelta(0.5, format='jd')",
	"TimeDelta(5, format='sec').to_value('min')",
	"TimeDelta(1.5, format='jd').to_value('h')",
	"TimeDelta(1.5, format='jd').to_value('ms')",
	"TimeDelta(1.5, format='jd').to_value('sec')",
	"TimeDelta(1.5, format='jd', scale='tt')",
	"TimeDelta([1, 2.5], format='sec')",
	"TimeDelta(1, format='sec') < TimeDelta(2, format='sec')",
	"Time('2023-05-21T04:00:00') < Time('2023-05-21T04:00:01')",
	"Time('2023-05-21T04:00:37', scale='tai') == Time('2023-05-21T04:00:00')",
	"Time('2023-05-21T04:00:00') >= Time('2023-05-21T04:00:00')",
	"Time(['2023-05-21T04:00:00', '2023-05-21T05:00:00']) > Time('2023-05-21T04:30:00')",
	// errors
	"Time('hello')",
	"Time('2023-13-01T00:00:00')",
	"Time('2023-02-30')",
	"Time('2023-02-30T00:00:00', format='isot')",
	"Time('hello', format='isot')",
	"Time('2023-05-21T04:00:00', format='iso')",
	"Time(5)",
	"Time(5, format='isot')",
	"Time('2023-01-01', scale='foo')",
	"Time('2023-01-01', format='foo')",
	"Time('2023-01-01') + Time('2023-01-01')",
	"Time('2016-12-31T23:59:60').datetime",
	"Time('2023-01-01').to_value('foo')",
	"Time('2023-05-21T04:00:00Z', scale='tai')",
	"TimeDelta(1, format='sec').to_value()",
	"TimeDelta(1, format='sec').to_value('foo')",
	"TimeDelta(1, format='foo')",
	"TimeDelta(1, format='sec', scale='utc')",
	// hostile input
	"Time(float('nan'), format='jd')",
	"Time(1e300, format='jd').iso",
	"Time(-1e10, format='mjd').isot",
	"Time('9999-12-31T23:59:59.9999')",
	"Time('0000-01-01')",
	"Time('')",
	"Time('-0001-01-01')",
	"Time([])",
	"Time([[1, 2], [3]], format='jd')",
	"Time(1e20, format='unix')",
	"Time(['2023-01-01'])[5]",
	"TimeDelta(float('inf'), format='jd')",
	"TimeDelta(1, format='sec') / 0",
	"Time('2023-05-21T04:00:00') - 5",
	"Time('2023-05-21T04:00:00') + 0.5",
}

// gokistCell runs code in a new session and gives the last expression's text, or the
// error as "Class: message".
func gokistCell(t *testing.T, code string, out obj.Output) string {
	t.Helper()
	s := lang.NewSession()
	if _, err := s.Execute(context.Background(), "from astropy.time import Time, TimeDelta", nil); err != nil {
		t.Fatalf("import: %v", err)
	}
	res, err := s.Execute(context.Background(), code, out)
	if err != nil {
		var e *obj.Error
		if errors.As(err, &e) {
			return e.Class + ": " + e.Msg
		}
		return "error: " + err.Error()
	}
	text, _ := res["text/plain"].(string)
	return text
}

// TestTimeMatchesAstropy runs every case through gokist and astropy 5.2 and compares
// the reprs, or the exceptions' classes and messages.
func TestTimeMatchesAstropy(t *testing.T) {
	pyref.Require(t, "astropy")
	ref := pyref.Batch(t, astropyTimePrelude, pyCases(timeCases))
	for i, code := range timeCases {
		want := ref[i].Repr
		if ref[i].Type != "" {
			want = ref[i].Err()
		}
		if got := gokistCell(t, code, nil); got != want {
			t.Errorf("%s\n got %s\nwant %s", code, got, want)
		}
	}
}

// pyCases turns cells into Python: gokist's `a; b` statement lists are Python's too.
func pyCases(cells []string) []string { return append([]string(nil), cells...) }

// collect is an obj.Output that keeps the stderr text.
type collect struct {
	obj.Discard
	stderr strings.Builder
}

func (c *collect) Stream(name, text string) {
	if name == "stderr" {
		c.stderr.WriteString(text)
	}
}

// TestTimeWarnsAsErfa checks that the ErfaWarnings astropy raises (a second past the
// end of a day, a dubious year) reach the cell's stderr with ERFA's words.
func TestTimeWarnsAsErfa(t *testing.T) {
	cases := []string{"Time('2023-05-21T04:00:61')", "Time('2030-01-01T00:00:00').tai", "Time('1955-01-01T00:00:00').tai"}
	py := make([]string, len(cases))
	for i, c := range cases {
		py[i] = "with warnings.catch_warnings(record=True) as w:\n    warnings.simplefilter('always')\n    " + c +
			"\n[str(x.message) for x in w if x.category.__name__ == 'ErfaWarning']"
	}
	ref := pyref.Batch(t, astropyTimePrelude, py)
	for i, code := range cases {
		out := &collect{}
		gokistCell(t, code, out)
		if ref[i].Type != "" || ref[i].Repr == "[]" {
			t.Fatalf("%s: the reference gave no ErfaWarning: %s %s", code, ref[i].Repr, ref[i].Err())
		}
		var want []string
		if err := json.Unmarshal(ref[i].Value, &want); err != nil || len(want) == 0 {
			t.Fatalf("%s: the reference's warnings %s: %v", code, ref[i].Value, err)
		}
		for _, w := range want {
			if !strings.Contains(out.stderr.String(), "ErfaWarning: "+w+"\n") {
				t.Errorf("%s: stderr %q lacks the ErfaWarning %q", code, out.stderr.String(), w)
			}
		}
	}
}

// TestTimeNowIsTheClock checks Time.now() against the system clock.
func TestTimeNowIsTheClock(t *testing.T) {
	before := float64(time.Now().UnixNano()) / 1e9
	got := gokistCell(t, "Time.now().unix", nil)
	after := float64(time.Now().UnixNano()) / 1e9
	v, err := strconv.ParseFloat(got, 64)
	if err != nil || v < before-0.001 || v > after+0.001 {
		t.Errorf("Time.now().unix = %s, want between %f and %f", got, before, after)
	}
}

// TestNewTimeFromStrings checks the constructor the dataset code uses against the
// cell constructor.
func TestNewTimeFromStrings(t *testing.T) {
	tm, err := atime.NewTimeFromStrings([]string{"2023-05-21T04:00:00", "2023-05-21T04:00:03.5"}, []int{2}, "", "")
	if err != nil {
		t.Fatal(err)
	}
	want := gokistCell(t, "Time(['2023-05-21T04:00:00', '2023-05-21T04:00:03.5'])", nil)
	if got := tm.String(); got != want {
		t.Errorf("NewTimeFromStrings gives %s, Time() %s", got, want)
	}
	if _, err := atime.NewTimeFromStrings([]string{"2023-05-21T04:00:00"}, nil, "isot", "tdb"); err == nil {
		t.Errorf("scale tdb was accepted")
	}
}
