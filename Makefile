# The two entry points of the README. Both install missing Debian packages,
# configure and build; `make demo` then runs the end-to-end demo, `make test`
# the whole test suite.
BUILD_DIR ?= build
JOBS ?= 2
CMAKE_FLAGS ?=

.PHONY: all deps configure build demo test format clean

all: build

deps:
	@packaging/install-build-deps.sh

configure: deps
	@cmake -S . -B $(BUILD_DIR) -G Ninja $(CMAKE_FLAGS) >/dev/null

build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)

demo: build
	@python3 tools/demo.py $(BUILD_DIR)/bin

test: build
	@ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS)

format:
	@git ls-files '*.cpp' '*.hpp' '*.h' | xargs clang-format -i

clean:
	@rm -rf $(BUILD_DIR)
