package runtime_test

import "testing"

// ds.plot(fig=fig) draws in fig, not in the current figure, as ndcube's plot hands fig
// to its animator (dkist's visualisation tutorial: fig = plt.figure(); ds.plot(fig=fig)).
func TestDatasetPlotInAGivenFigure(t *testing.T) {
	run := plotSession(t)
	for _, c := range []string{"fa = plt.figure()", "fb = plt.figure()", "ax = ds[0].plot(fig=fa)"} {
		if _, err := run(c); err != nil {
			t.Fatalf("%s: %v", c, err)
		}
	}
	got, err := run("(ax in fa.axes, ax in fb.axes)")
	if err != nil || got != "(True, False)" {
		t.Errorf("the plot's axes in fig, in the other figure: %s %v, want (True, False)", got, err)
	}
	if _, err := run("ds[0].plot(fig=3)"); err == nil {
		t.Errorf("fig=3 is not a figure, and plot took it")
	}
}
