# gokist: build, demo, tests and benchmarks. `make demo` and `make test` work on a fresh
# machine that has Go, gcc, Python 3 and git: missing Debian packages are installed here.

GO      ?= go
BIN     := bin/gokist
export GOFLAGS := -mod=mod

# Debian packages the tests use as independent references, real Jupyter clients and a
# browser: the first word of each line of .ci/packages.txt, the one install list (later
# issues add to that file). npm packages: package.json and its committed lockfile.
APT_PKGS := $(shell sed -e 's/\#.*//' .ci/packages.txt | awk 'NF { print $$1 }')

.PHONY: all build demo demo-check test test-long test-times deps apt-deps fmt-check vet unit fuzz bench clean

all: build

build:
	$(GO) build -o $(BIN) ./cmd/gokist

# The main job: build, write the sample dataset when missing, run the tutorial.
SAMPLE_DIR := $(HOME)/sunpy/data/VISP/AGLKO
demo: build
	@if [ -f "$(SAMPLE_DIR)/.gokist-sample" ]; then \
		echo "using the sample dataset in $(SAMPLE_DIR)"; \
	else \
		$(BIN) sample; \
	fi
	@$(BIN) run notebooks/rebinning.md -o build/notebooks

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

unit:
	$(GO) test -count=1 -timeout 30m ./...

# Every fuzz target in the repo, briefly (FUZZTIME, 5s each), on its committed seed corpus
# and beyond.
fuzz:
	@bash .ci/fuzz.sh

# make demo from a fresh copy of the repository with an empty HOME, as on a new machine.
demo-check:
	@bash .ci/demo-check.sh

test: deps fmt-check vet build unit fuzz demo-check

# The long checks that `make test` runs in their short mode: each fuzz target for a
# minute, and the tests that look at GOKIST_TEST_LONG (load tests, many kernels) in full.
LONG_FUZZTIME ?= 60s
test-long: deps fmt-check vet build
	GOKIST_TEST_LONG=1 $(GO) test -count=1 -timeout 120m ./...
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
