// Package notebooks owns the gokist tutorials (quickstart.md, rebinning.md: MyST markdown
// notebooks) and the tests that keep them working: each tutorial is run headless through
// `gokist run` and through Jupyter's own nbclient against the gokist kernel, and the
// outputs are checked against values worked out independently. It has no Go API.
package notebooks
