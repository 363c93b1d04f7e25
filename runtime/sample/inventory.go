package sample

import (
	"sort"

	"gopkg.in/yaml.v3"
)

// centreRecord is the part of an inventory record that the data centre's processing
// adds besides the observation's own summary: where the files, movie and quality report
// live, which documentation describes the headers and the calibration, and which
// pipeline run made the dataset (field names as in the data centre's ASDF files, e.g.
// dkist's test_old_wcs_BRMQY.asdf). The values are the stand-in's: the keys are there
// so that notebooks reading them (the dataset-files tutorial reads
// headerDocumentationUrl) run; the record still says synthetic: true.
type centreRecord struct {
	proposal, experiment, dataset, workflow, calibrationDocs string
	frames                                                   int
}

func (c centreRecord) pairs() []any {
	return []any{
		"bucket", str("data"),
		"browseMovieObjectKey", str(c.proposal + "/" + c.dataset + "/" + c.dataset + ".mp4"),
		// The data centre's movies are hosted on Vimeo; notebooks embed them by the id
		// after the last slash (the dataset-files tutorial's VimeoVideo). 0 is no video.
		"browseMovieUrl", str("https://vimeo.com/0"),
		"calibrationDocumentationUrl", str(c.calibrationDocs),
		"contributingExperimentIds", strs(c.experiment),
		"contributingProposalIds", strs(c.proposal),
		"datasetInventoryId", integer(0),
		"datasetSize", integer(0),
		"headerDocumentationUrl", str("https://docs.dkist.nso.edu/projects/data-products/en/v3.7.1"),
		"headerVersion", str("3.7.1"),
		"highLevelSoftwareVersion", str("gokist sample generator"),
		"infoUrl", str("https://docs.dkist.nso.edu"),
		"originalFrameCount", integer(c.frames),
		"qualityReportObjectKey", str(c.proposal + "/" + c.dataset + "/" + c.dataset + ".pdf"),
		"recipeId", integer(0),
		"recipeInstanceId", integer(0),
		"recipeRunId", integer(0),
		"workflowName", str(c.workflow),
		"workflowVersion", str("synthetic"),
	}
}

// withCentreRecord is an inventory mapping of the observation's pairs and the centre's,
// keys in sorted order as the data centre writes them.
func withCentreRecord(c centreRecord, kv ...any) *yaml.Node {
	all := append(append([]any{}, kv...), c.pairs()...)
	idx := make([]int, len(all)/2)
	for i := range idx {
		idx[i] = 2 * i
	}
	sort.Slice(idx, func(a, b int) bool { return all[idx[a]].(string) < all[idx[b]].(string) })
	sorted := make([]any, 0, len(all))
	for _, i := range idx {
		sorted = append(sorted, all[i], all[i+1])
	}
	return mapping("", sorted...)
}
