package pyref

import (
	"strings"
	"testing"
)

func TestRunPassesArgsAndReturnsStdout(t *testing.T) {
	out := Run(t, "import sys; print(int(sys.argv[1]) * int(sys.argv[2]))", "6", "7")
	if got := strings.TrimSpace(string(out)); got != "42" {
		t.Fatalf("Run printed %q, want 42", got)
	}
}

func TestRunInputFeedsStdin(t *testing.T) {
	out := RunInput(t, []byte("3\n4\n"), "import sys; print(sum(int(l) for l in sys.stdin))")
	if got := strings.TrimSpace(string(out)); got != "7" {
		t.Fatalf("RunInput printed %q, want 7", got)
	}
}

func TestRunJSONRoundTrip(t *testing.T) {
	var got struct {
		Sum float64 `json:"sum"`
	}
	RunJSON(t, "import json, sys\nv = json.load(sys.stdin)\njson.dump({'sum': sum(v)}, sys.stdout)", []float64{1.5, 2.25, 4}, &got)
	if got.Sum != 7.75 {
		t.Fatalf("sum = %v, want 7.75", got.Sum)
	}
}

func TestOutputReportsScriptError(t *testing.T) {
	_, err := Output(nil, "import sys; sys.stderr.write('boom here'); sys.exit(3)")
	if err == nil || !strings.Contains(err.Error(), "boom here") {
		t.Fatalf("error = %v, want one carrying the script's stderr", err)
	}
}

func TestCheckNamesMissingModule(t *testing.T) {
	if err := check([]string{"numpy", "astropy"}); err != nil {
		t.Fatalf("the reference stack should import numpy and astropy: %v", err)
	}
	for range 2 { // a failed check is not remembered as passed
		err := check([]string{"numpy", "no_such_module_gokist"})
		if err == nil || !strings.Contains(err.Error(), "no_such_module_gokist") {
			t.Fatalf("error = %v, want one naming the missing module", err)
		}
	}
}
