# Entry points: `make demo`, `make test`, `make bench`. Each installs missing Debian packages
# (as root; otherwise it prints the apt line), configures and builds what it needs.
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all deps build demo test bench sanitize fuzz clean

all: build

deps:
	@scripts/install-deps.sh

$(BUILD)/build.ninja: CMakeLists.txt | deps
	cmake -S . -B $(BUILD) -G Ninja $(CMAKE_FLAGS)

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	scripts/demo.sh $(BUILD)

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

bench: build
	scripts/bench.sh $(BUILD)

# The unit tier under AddressSanitizer and UndefinedBehaviorSanitizer, in its own build tree.
sanitize: deps
	cmake -S . -B $(BUILD)-asan -G Ninja -DQEMU_SST_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
	cmake --build $(BUILD)-asan -j $(JOBS)
	ctest --test-dir $(BUILD)-asan --output-on-failure -j $(JOBS) -L unit

# libFuzzer targets, each run for FUZZ_SECONDS.
FUZZ_SECONDS ?= 60
fuzz:
	@scripts/install-deps.sh fuzz
	CC=clang CXX=clang++ cmake -S . -B $(BUILD)-fuzz -G Ninja -DQEMU_SST_FUZZ=ON -DCMAKE_BUILD_TYPE=Debug
	cmake --build $(BUILD)-fuzz -j $(JOBS) --target fuzz_targets
	scripts/run-fuzzers.sh $(BUILD)-fuzz $(FUZZ_SECONDS)

clean:
	rm -rf $(BUILD) $(BUILD)-asan $(BUILD)-fuzz
