# NeSy Workbench: the two entry points are `make run` and `make test` (see README.md).
BUILD      ?= build
ASAN_BUILD ?= build-asan
EXAMPLE    ?= resources/examples/activity-features-mlp.nesy.json
JOBS       ?= $(shell nproc)
CMAKE_ARGS ?=

.PHONY: run test deps configure build test-release test-asan headless-run screenshots package clean

deps:
	@bash installer/install-deps.sh

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_ARGS)

configure: deps $(BUILD)/build.ninja

build: configure
	cmake --build $(BUILD) -j $(JOBS)

# Opens the workbench on the bundled example with the built-in simulated board; without a display,
# runs the same example's search headless with the CLI and prints the result.
run: build
	@if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
	  $(BUILD)/bin/nesy-workbench $(EXAMPLE); \
	else \
	  echo "No display found: running the bundled example headless with the nesy CLI."; \
	  $(MAKE) --no-print-directory headless-run; \
	fi

headless-run:
	$(BUILD)/bin/nesy validate $(EXAMPLE)
	rm -f $(BUILD)/example-journal.jsonl
	$(BUILD)/bin/nesy search $(EXAMPLE) --journal $(BUILD)/example-journal.jsonl
	$(BUILD)/bin/nesy pareto $(BUILD)/example-journal.jsonl --objectives error,flash

# Every test, in the normal build and again under AddressSanitizer + UndefinedBehaviorSanitizer
# (the sanitizer tree leaves out the benchmarks: no test runs them, and they would cost CI minutes).
test: deps test-release test-asan

test-release: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

$(ASAN_BUILD)/build.ninja:
	cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Sanitize -DNESY_SANITIZE=ON -DNESY_BUILD_BENCH=OFF $(CMAKE_ARGS)

test-asan: deps $(ASAN_BUILD)/build.ninja
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/sanitizer/lsan.supp:print_suppressions=0 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --output-on-failure -j $(JOBS)

# Writes a PNG of each main screen to docs/screenshots/.
screenshots: build
	mkdir -p docs/screenshots
	test -s $(BUILD)/screenshot-journal.jsonl || $(BUILD)/bin/nesy search $(EXAMPLE) --journal $(BUILD)/screenshot-journal.jsonl
	QT_QPA_PLATFORM=offscreen $(BUILD)/bin/nesy-workbench --screenshot docs/screenshots/main.png $(EXAMPLE)
	QT_QPA_PLATFORM=offscreen $(BUILD)/bin/nesy-workbench --color-scheme dark --screenshot docs/screenshots/main-dark.png $(EXAMPLE)
	QT_QPA_PLATFORM=offscreen $(BUILD)/bin/nesy-workbench --screenshot docs/screenshots/inspector.png --screenshot-view inspector $(EXAMPLE)
	QT_QPA_PLATFORM=offscreen $(BUILD)/bin/nesy-workbench --screenshot docs/screenshots/pareto.png --screenshot-view pareto --trials $(BUILD)/screenshot-journal.jsonl $(EXAMPLE)
	QT_QPA_PLATFORM=offscreen $(BUILD)/bin/nesy-workbench --screenshot docs/screenshots/boards.png --screenshot-view boards --trials $(BUILD)/screenshot-journal.jsonl $(EXAMPLE)
	QT_QPA_PLATFORM=offscreen $(BUILD)/bin/nesy-workbench --screenshot docs/screenshots/trial.png --screenshot-view trial --trials $(BUILD)/screenshot-journal.jsonl $(EXAMPLE)

# Debian package and tarball in $(PACKAGE_BUILD)/ (CPack), built for the x86-64 baseline so that
# they run on any x86-64 machine ($(BUILD) is compiled for the build machine's CPU level).
PACKAGE_BUILD ?= build-package
package: deps
	cmake -S . -B $(PACKAGE_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNESY_CPU_LEVEL=baseline $(CMAKE_ARGS)
	cmake --build $(PACKAGE_BUILD) -j $(JOBS)
	cd $(PACKAGE_BUILD) && cpack

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(PACKAGE_BUILD)
