package runtime_test

import (
	"context"
	"strings"
	"testing"

	"gokist/lang"
	"gokist/obj"
	"gokist/runtime/sample"
)

// TestTiledDatasetTutorialCells runs the DKIST TiledDataset tutorial's cells on the
// VBI stand-in (written small) in a session: loading, the grid, a tile, flat and
// iteration, slice_tiles, tiles_shape, the inventory, combined headers, the plot and the
// repr.
func TestTiledDatasetTutorialCells(t *testing.T) {
	t.Setenv("DKIST_SAMPLE_DIR", t.TempDir())
	saved := sample.StandIns["VBI_L1_NZJTB"]
	small := saved
	small.Imager = &sample.ImagerOptions{Tiles: 3, Size: 16, Frames: 2, Seed: 19, DatasetID: "NZJTB"}
	sample.StandIns["VBI_L1_NZJTB"] = small
	t.Cleanup(func() { sample.StandIns["VBI_L1_NZJTB"] = saved })
	s := lang.NewSession()
	out := &stdoutOf{}
	steps := []struct{ code, want string }{
		{"import dkist\nimport matplotlib.pyplot as plt\nfrom dkist.data.sample import VBI_L1_NZJTB\ntds = dkist.load_dataset(VBI_L1_NZJTB)", ""},
		{"tds.shape", "(3, 3)"},
		{"tds[0, 0].shape", "(2, 16, 16)"},
		{"len(tds), len(tds.flat), len(tds[1]), tds[1].shape", "(3, 9, 3, (3,))"},
		{"[ds.shape for ds in tds.flat][8]", "(2, 16, 16)"},
		{"tds.slice_tiles[0].tiles_shape[2]", "((16, 16), (16, 16), (16, 16))"},
		{"tds.slice_tiles[:, 2:5, 3].tiles_shape[0][0]", "(2, 3)"},
		{"tds.inventory['instrumentName'], tds.inventory['synthetic'], tds.meta['inventory']['datasetId']", "('VBI', True, 'NZJTB')"},
		{"len(tds.combined_headers), [tds.combined_headers['MINDEX2'][i] for i in range(4)]", "(18, [1, 1, 2, 2])"},
		{"tds.mask.any()", "False"},
		{"tds.files.filenames[2], len(tds.files.filenames), tds.files.basepath == VBI_L1_NZJTB", "('VBI_2022_06_02T17_22_50_000_12_0000_I_NZJTB_L1.fits', 18, True)"},
		{"tds[0, 0].axis_world_coords('time')[0].isot[1]", "'2022-06-02T17:22:54.010'"},
	}
	for _, st := range steps {
		res, err := s.Execute(context.Background(), st.code, out)
		if err != nil {
			t.Fatalf("%q: %v", st.code, err)
		}
		got := ""
		if res != nil {
			got, _ = res["text/plain"].(string)
		}
		if got != st.want {
			t.Errorf("%q = %s, want %s", st.code, got, st.want)
		}
	}
	res, err := s.Execute(context.Background(), "tds", out)
	if err != nil || !strings.Contains(res["text/plain"].(string), "This VBI Dataset NZJTB is an array of (3, 3) Dataset objects and consists of 18 frames.") {
		t.Errorf("tds repr: %v %v", res, err)
	}
	if _, err := s.Execute(context.Background(), "fig = plt.figure()\ntds.plot(0, share_zscale=True, figure=fig)", obj.Discard{}); err != nil {
		t.Errorf("tds.plot: %v", err)
	}
}
