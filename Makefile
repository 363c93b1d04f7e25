# gokist: build, demo, tests and benchmarks. `make demo` and `make test` work on a fresh
# machine that has Go, gcc, Python 3 and git: missing Debian packages are installed here.

GO      ?= go
BIN     := bin/gokist
export GOFLAGS := -mod=mod

# Debian packages the tests use as independent references, real Jupyter clients and a
# browser: the first word of each line of .ci/packages.txt, the one install list (later
# issues add to that file). npm packages: package.json and its committed lockfile.
APT_PKGS := $(shell sed -e 's/\#.*//' .ci/packages.txt | awk 'NF { print $$1 }')

.PHONY: all build demo demo-check site classroom test test-long test-times deps apt-deps fmt-check vet unit fuzz bench clean

all: build

build:
	$(GO) build -o $(BIN) ./cmd/gokist

# The main job: build, write the sample dataset when missing, run the tutorial.
SAMPLE_DIR := $(HOME)/sunpy/data/VISP/AGLKO
SAMPLE_STEP = @$(BIN) sample --keep "$(SAMPLE_DIR)"
demo: build
	$(SAMPLE_STEP)
	@$(BIN) run notebooks/rebinning.md -o build/notebooks

# The tutorials as a MyST site: mystmd (package-lock.json) executes every notebook with
# gokist through a Jupyter server started for the build and stopped after it, then the
# executed content (build/site/_build/site/content/*.json) is checked; the build fails
# naming each notebook and cell that raised, wrote to stderr or left a progress bar
# unfinished. Offline mystmd cannot download a theme, so by default only the content is
# built; SITE_THEME=book-theme builds the themed HTML site where the network allows.
SITE_THEME ?=
site: build node_modules/.package-lock.json
	$(SAMPLE_STEP)
	$(GO) run ./workshop/cmd/site -o build/site -gokist $(BIN) -theme "$(SITE_THEME)" notebooks/*.md

# Install what the tests need when it is missing (needs root, as on CI): the Debian
# packages of .ci/packages.txt, the npm packages of package-lock.json (npm ci, into the
# git-ignored node_modules, again whenever the lockfile changes), the Go modules.
deps: apt-deps node_modules/.package-lock.json
	@$(GO) mod download

apt-deps:
	@missing=$$(for p in $(APT_PKGS); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing Debian packages:" $$missing; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is missing: install Node.js with npm (the tests drive a browser with playwright-core)"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

# TestClassroomOfKernels runs in its own step (classroom), verbosely, so that its figures
# (first-cell latency p50/p95, peak RSS) are printed.
unit:
	$(GO) test -count=1 -timeout 30m -skip '^TestClassroomOfKernels$$' ./...

# A classroom of gokist kernels started at once on this machine, each with its memory
# limit and one worker from the kernelspec, running the rebinning tutorial: 6 kernels,
# 20 with GOKIST_TEST_LONG=1 (make test-long).
classroom:
	$(GO) test -count=1 -timeout 60m -run '^TestClassroomOfKernels$$' -v ./workshop/

# Every fuzz target in the repo, briefly (FUZZTIME, 5s each), on its committed seed corpus
# and beyond.
fuzz:
	@bash .ci/fuzz.sh

# make demo from a fresh copy of the repository with an empty HOME, as on a new machine.
demo-check:
	@bash .ci/demo-check.sh

test: deps fmt-check vet build unit classroom fuzz demo-check site

# The long checks that `make test` runs in their short mode: each fuzz target for a
# minute, and the tests that look at GOKIST_TEST_LONG (load tests, many kernels) in full.
LONG_FUZZTIME ?= 60s
test-long: deps fmt-check vet build
	GOKIST_TEST_LONG=1 $(GO) test -count=1 -timeout 120m -skip '^TestClassroomOfKernels$$' ./...
	GOKIST_TEST_LONG=1 $(MAKE) --no-print-directory classroom
	FUZZTIME=$(LONG_FUZZTIME) bash .ci/fuzz.sh

# The ten slowest tests of one run of the unit tests (a full run: minutes), with
# `go test -json` kept in build/test-times.json.
test-times: build
	@bash .ci/test-times.sh

# Benchmarks, with the Python reference stack measured in the same run; the ratios are the
# custom metrics named x_* in the output.
bench: deps build
	$(GO) test -run '^$$' -bench . -benchtime 5x -timeout 60m ./... | tee bench.txt

clean:
	rm -rf bin bench.txt node_modules
