# gokist: build, demo, tests and benchmarks. `make demo` and `make test` work on a fresh
# machine that has Go, gcc, Python 3 and git: missing Debian packages are installed here.

GO      ?= go
BIN     := bin/gokist
export GOFLAGS := -mod=mod

# Debian packages the tests use as independent references and real Jupyter clients.
APT_PKGS := python3-astropy python3-numpy python3-dask python3-distributed python3-matplotlib \
	python3-jupyter-client jupyter-console python3-nbclient jupyter-nbconvert \
	python3-jupyter-kernel-test python3-ipykernel python3-yaml jupyter-client

.PHONY: all build demo demo-check test deps fmt-check vet unit fuzz bench clean

all: build

build:
	$(GO) build -o $(BIN) ./cmd/gokist

# The main job: build, write the sample dataset when missing, run the tutorial.
SAMPLE_DIR := $(HOME)/sunpy/data/VISP/AGLKO
demo: build
	@if [ -f "$(SAMPLE_DIR)/.gokist-sample" ]; then \
		echo "using the sample dataset in $(SAMPLE_DIR)"; \
	else \
		$(BIN) sample --size small; \
	fi
	@$(BIN) run notebooks/rebinning.md -o build/notebooks

# Install what the tests need when it is missing (needs root, as on CI).
deps:
	@missing=$$(for p in $(APT_PKGS); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing Debian packages:" $$missing; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

unit:
	$(GO) test -count=1 -timeout 30m ./...

# Every fuzz target in the repo, briefly, on its committed seed corpus and beyond.
fuzz:
	@bash .ci/fuzz.sh

# make demo from a fresh copy of the repository with an empty HOME, as on a new machine.
demo-check:
	@bash .ci/demo-check.sh

test: deps fmt-check vet build unit fuzz demo-check

# Benchmarks, with the Python reference stack measured in the same run; the ratios are the
# custom metrics named x_* in the output.
bench: deps build
	$(GO) test -run '^$$' -bench . -benchtime 5x -timeout 60m ./... | tee bench.txt

clean:
	rm -rf bin bench.txt
