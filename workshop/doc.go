// Package workshop owns what a course organiser does with gokist beyond one notebook:
// building the tutorial site with the MyST toolchain (mystmd, from npm) while a local
// Jupyter server runs the notebooks with the gokist kernel, and checking the executed
// content it writes (site.go; `make site` runs it through workshop/cmd/site); starting
// such a server with a private Jupyter environment that holds a gokist kernelspec
// (jupyter.go). Its tests are the workshop checks: the site build, a real browser
// running the tutorials in the classic Notebook (browser.js, driven by playwright-core),
// kernels sizing themselves inside a memory cgroup, and a classroom of kernels started
// at once on one machine.
package workshop
