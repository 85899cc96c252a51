# The two commands of README.md: `make run` and `make test`.
# A thin layer over CMake (see CMakeLists.txt and CMakePresets.json).

PORT ?= 8080
DB ?= atelier.db
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: all deps test-deps build build-asan run serve test test-default test-asan clean

all: build

deps:
	@scripts/install-deps.sh

test-deps:
	@scripts/install-deps.sh --test

build: deps
	cmake --preset default >/dev/null
	cmake --build build -j $(JOBS)

build-asan: deps
	cmake --preset asan >/dev/null
	cmake --build build-asan -j $(JOBS)

# Set up, build and start the facilitator's console, which starts a local
# server on the default SQLite database (or attaches to one on PORT).
run: build
	./build/client-tui/atelier --server http://127.0.0.1:$(PORT) --db $(DB)

# The server alone, in the foreground.
serve: build
	./build/server/atelierd --port $(PORT) --db $(DB)

# Set up, build and run every test, then again under ASan and UBSan.
test: test-deps
	$(MAKE) --no-print-directory test-default
	$(MAKE) --no-print-directory test-asan

test-default: build
	ctest --preset default -j $(JOBS)

test-asan: build-asan
	ASAN_OPTIONS=detect_leaks=1 ctest --preset asan -j $(JOBS)

clean:
	rm -rf build build-asan
