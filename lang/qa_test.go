package lang

import (
	"context"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// pythonInts evaluates integer expressions with /usr/bin/python3 (arbitrary precision)
// and returns each exact result as decimal text.
func pythonInts(t *testing.T, exprs []string) []string {
	t.Helper()
	script := "import sys\nfor line in sys.stdin.read().splitlines():\n    print(eval(line))\n"
	cmd := exec.Command("/usr/bin/python3", "-c", script)
	cmd.Stdin = strings.NewReader(strings.Join(exprs, "\n"))
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python3: %v", err)
	}
	return strings.Fields(string(out))
}

// Integer arithmetic either gives Python's exact answer or, when that does not fit in 64
// bits, an OverflowError; it never wraps around (2**64 was 0, 2**63 negative).
func TestIntegerArithmeticNeverWraps(t *testing.T) {
	exprs := []string{
		"2**10000", "2**63", "2**62*2", "2**62*-2", "9223372036854775807 + 1",
		"-9223372036854775807 - 1", "-9223372036854775807 - 2", "3**39", "3**40",
		"(-2)**63", "(-2)**64", "4611686018427387904 * -2", "-4611686018427387904 * -2",
		"10**18 * 10", "10**18 * 9", "0**0", "7**0", "(-1)**10001", "-9223372036854775807 - 1 + 5",
	}
	want := pythonInts(t, exprs)
	s := NewSession()
	for i, code := range exprs {
		exact, _ := strconv.ParseInt(want[i], 10, 64)
		fits := strconv.FormatInt(exact, 10) == want[i]
		res, err := s.Execute(context.Background(), code, nil)
		if fits {
			if err != nil || res["text/plain"] != want[i] {
				t.Errorf("%s = %v (error %v), Python gives %s", code, res["text/plain"], err, want[i])
			}
			continue
		}
		e, ok := err.(*Error)
		if !ok || e.Class != OverflowError || !strings.Contains(e.Hint, ".0") {
			t.Errorf("%s: result %v, error %v; want an OverflowError suggesting a float (Python: %s)", code, res, err, want[i])
		}
	}
	// A float power past the largest float is an OverflowError, as in Python; small
	// results still underflow to 0.0.
	if _, err := s.Execute(context.Background(), "2.0**10000", nil); err == nil || err.(*Error).Class != OverflowError {
		t.Errorf("2.0**10000: %v", err)
	}
	if res, err := s.Execute(context.Background(), "2.0**-2000", nil); err != nil || res["text/plain"] != "0.0" {
		t.Errorf("2.0**-2000 = %v, %v", res, err)
	}
}
