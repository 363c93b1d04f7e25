package astrotime

import (
	"fmt"
	"slices"
	"strings"
)

// ErfaError is an ERFA routine's error status, worded as pyerfa words it
// (`ERFA function "dtf2d" yielded 1 of "bad month"`); Python's class is ErfaError, a
// ValueError.
type ErfaError struct{ Msg string }

func (e *ErfaError) Error() string { return e.Msg }

// statusMessages are pyerfa's STATUS_CODES for the routines used here.
var statusMessages = map[string]map[Status]string{
	"dtf2d":  {3: "both of next two", 2: "time is after end of day (Note 5)", 1: "dubious year (Note 6)", -1: "bad year", -2: "bad month", -3: "bad day", -4: "bad hour", -5: "bad minute", -6: "bad second (<0)"},
	"d2dtf":  {1: "dubious year (Note 5)", -1: "unacceptable date (Note 6)"},
	"utctai": {1: "dubious year (Note 3)", -1: "unacceptable date"},
	"taiutc": {1: "dubious year (Note 4)", -1: "unacceptable date"},
}

// checkStatus is pyerfa's check_errwarn over the statuses of one vectorised call: the
// errors (negative codes) as an ErfaError, else the warnings as an ErfaWarning message,
// each code counted, in increasing order of code.
func checkStatus(fn string, codes []Status) (warning string, err error) {
	var bad, warn []Status
	for _, c := range codes {
		if c < 0 {
			bad = append(bad, c)
		} else if c > 0 {
			warn = append(warn, c)
		}
	}
	pick := bad
	if len(pick) == 0 {
		pick = warn
	}
	if len(pick) == 0 {
		return "", nil
	}
	counts := map[Status]int{}
	for _, c := range pick {
		counts[c]++
	}
	keys := make([]Status, 0, len(counts))
	for c := range counts {
		keys = append(keys, c)
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, c := range keys {
		msg, ok := statusMessages[fn][c]
		if !ok {
			msg = fmt.Sprintf("Return code %d", c)
		}
		parts[i] = fmt.Sprintf("%d of \"%s\"", counts[c], msg)
	}
	msg := fmt.Sprintf("ERFA function \"%s\" yielded %s", fn, strings.Join(parts, ", "))
	if len(bad) > 0 {
		return "", &ErfaError{Msg: msg}
	}
	return msg, nil
}
