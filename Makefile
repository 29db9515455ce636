# The two entry points of the README. Both install missing Debian packages,
# configure and build; `make demo` then runs the end-to-end demo, `make test`
# the whole test suite: the normal build's, then the hardening stages
# (docs/security.md): the same suite built with AddressSanitizer +
# UndefinedBehaviorSanitizer (LeakSanitizer on), the acs-sim tests built with
# ThreadSanitizer, and each fuzz target for FUZZ_SECONDS. Any failure or
# sanitizer report fails it. `make test-normal` and `make test-hardening` run
# one half.
BUILD_DIR ?= build
SAN_BUILD_DIR ?= build-san
TSAN_BUILD_DIR ?= build-tsan
JOBS ?= 2
CMAKE_FLAGS ?=
FUZZ_SECONDS ?= 20
# libFuzzer and the sanitizer runtimes come with Debian's clang.
SANITIZER_CXX ?= clang++

# Every sanitizer report goes to a file in a fresh folder, whichever process
# (test, agent, acs-sim, a tool a test runs) makes it, and aborts that
# process; a non-empty folder after the run fails it, even when a test
# tolerated the process's exit code.
SAN_REPORT_DIR := $(abspath $(SAN_BUILD_DIR))/sanitizer-reports
TSAN_REPORT_DIR := $(abspath $(TSAN_BUILD_DIR))/sanitizer-reports
LSAN_SUPPRESSIONS := $(CURDIR)/cmake/lsan-suppressions.txt
SAN_ENV = ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:log_path=$(SAN_REPORT_DIR)/asan \
          UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:log_path=$(SAN_REPORT_DIR)/ubsan \
          LSAN_OPTIONS=suppressions=$(LSAN_SUPPRESSIONS)
TSAN_ENV = TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1:log_path=$(TSAN_REPORT_DIR)/tsan
# The ThreadSanitizer build compiles acs-sim and its unit tests
# (phonecwmp_tsan_subset, tests/CMakeLists.txt) and runs them and the
# integration tests that need acs-sim only.
TSAN_INTEGRATION_TESTS = ^integration\.acs_sim_files$$
# $(call fail_on_reports,<folder>): prints the reports in <folder> and fails.
fail_on_reports = if ls $(1)/* >/dev/null 2>&1; then \
  echo "error: sanitizer reports in $(1):" >&2; cat $(1)/* >&2; exit 1; fi

.PHONY: all deps configure build demo test test-normal test-hardening build-sanitizers \
        test-sanitizers test-tsan test-fuzz \
        format clean

all: build

deps:
	@packaging/install-build-deps.sh

configure: deps
	@cmake -S . -B $(BUILD_DIR) -G Ninja $(CMAKE_FLAGS) >/dev/null

build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)

demo: build
	@python3 tools/demo.py $(BUILD_DIR)/bin

test: test-normal test-hardening

test-normal: build
	@ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS)

test-hardening: test-sanitizers test-tsan test-fuzz

build-sanitizers: deps
	@cmake -S . -B $(SAN_BUILD_DIR) -G Ninja -DCMAKE_CXX_COMPILER=$(SANITIZER_CXX) \
	  -DPHONECWMP_SANITIZE=ON $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(SAN_BUILD_DIR) -j $(JOBS)

test-sanitizers: build-sanitizers
	@rm -rf $(SAN_REPORT_DIR) && mkdir -p $(SAN_REPORT_DIR)
	@status=0; $(SAN_ENV) ctest --test-dir $(SAN_BUILD_DIR) --output-on-failure -j $(JOBS) \
	  || status=$$?; $(call fail_on_reports,$(SAN_REPORT_DIR)); exit $$status

test-tsan: deps
	@cmake -S . -B $(TSAN_BUILD_DIR) -G Ninja -DCMAKE_CXX_COMPILER=$(SANITIZER_CXX) \
	  -DPHONECWMP_TSAN=ON $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(TSAN_BUILD_DIR) -j $(JOBS) --target phonecwmp_tsan_subset
	@rm -rf $(TSAN_REPORT_DIR) && mkdir -p $(TSAN_REPORT_DIR)
	@status=0; \
	  $(TSAN_ENV) ctest --test-dir $(TSAN_BUILD_DIR) --output-on-failure -j $(JOBS) \
	    -E '^integration\.' || status=$$?; \
	  $(TSAN_ENV) ctest --test-dir $(TSAN_BUILD_DIR) --output-on-failure \
	    -R '$(TSAN_INTEGRATION_TESTS)' || status=$$?; \
	  $(call fail_on_reports,$(TSAN_REPORT_DIR)); exit $$status

test-fuzz: build-sanitizers
	@rm -rf $(SAN_REPORT_DIR) && mkdir -p $(SAN_REPORT_DIR)
	@status=0; $(SAN_ENV) tests/fuzz/run_fuzzers.sh $(SAN_BUILD_DIR)/tests tests/fuzz/corpus \
	  $(FUZZ_SECONDS) || status=$$?; $(call fail_on_reports,$(SAN_REPORT_DIR)); exit $$status

format:
	@git ls-files '*.cpp' '*.hpp' '*.h' | xargs clang-format -i

clean:
	@rm -rf $(BUILD_DIR) $(SAN_BUILD_DIR) $(TSAN_BUILD_DIR)
