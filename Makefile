# Entry points: `make demo`, `make test`, `make bench`.  Each installs missing Debian packages
# (as root; otherwise it prints the apt line), builds QEMU with our devices and the Linux kernel
# (cached under ~/.cache/qemu-sst, so only the first run takes minutes), configures and builds the
# rest.
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=
# The QEMU built from this checkout's qemu/ sources: `make qemu` points $(BUILD)/qemu at its cache entry,
# so two checkouts with different device sources never run each other's QEMU.
QEMU_BIN_DIR ?= $(abspath $(BUILD))/qemu/bin
# Likewise the kernel and BusyBox of this checkout's kernel config: `make linux` links $(BUILD)/linux.
LINUX_DIR ?= $(abspath $(BUILD))/linux
# Compiler cache for the CMake builds (used when ccache is installed; install-deps.sh installs it).
# Paths relative to the checkout, and the build directory left out of the hash, so that a fresh
# clone elsewhere (every CI run) hits the cache too; debug info then names the first clone's paths.
export CCACHE_DIR ?= $(HOME)/.cache/qemu-sst/ccache
export CCACHE_BASEDIR ?= $(CURDIR)
export CCACHE_NOHASHDIR ?= 1

.PHONY: all deps qemu linux configure build demo demo-accel test bench sanitize fuzz clean

all: build

deps:
	@scripts/install-deps.sh guest

# build-qemu.sh's progress goes to the terminal; its last line is the binary it built or found.
qemu:
	@mkdir -p $(BUILD) && qemu=$$(scripts/build-qemu.sh | tee /dev/stderr | tail -n 1) && \
	  test -x "$$qemu" && ln -sfn "$$(dirname "$$(dirname "$$qemu")")" $(BUILD)/qemu

linux:
	@mkdir -p $(BUILD) && kernel=$$(scripts/build-linux.sh | sed -n 's/^KERNEL=//p') && \
	  test -f "$$kernel" && ln -sfn "$$(dirname "$$kernel")" $(BUILD)/linux

configure: deps
	@test -f $(BUILD)/build.ninja || cmake -S . -B $(BUILD) -G Ninja -DQEMU_SST_QEMU_BIN_DIR=$(QEMU_BIN_DIR) -DQEMU_SST_LINUX_DIR=$(LINUX_DIR) $(CMAKE_FLAGS)

build: configure
	cmake --build $(BUILD) -j $(JOBS)

demo: qemu build
	QEMU_SST_QEMU=$(QEMU_BIN_DIR)/qemu-system-riscv64 scripts/demo.sh $(BUILD)

# The accelerator on guest data: configs/dma_accel.py running accel_test.
demo-accel: qemu build
	QEMU_SST_QEMU=$(QEMU_BIN_DIR)/qemu-system-riscv64 scripts/demo.sh $(BUILD) accel

# Every tier, then the unit tier again under ASan + UBSan.
test: qemu linux build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)
	$(MAKE) --no-print-directory sanitize

bench: qemu linux build
	QEMU_SST_QEMU=$(QEMU_BIN_DIR)/qemu-system-riscv64 QEMU_SST_KERNEL=$(LINUX_DIR)/Image scripts/bench.sh $(BUILD)

# The unit tier under AddressSanitizer and UndefinedBehaviorSanitizer, in its own build tree.
sanitize: deps
	@test -f $(BUILD)-asan/build.ninja || cmake -S . -B $(BUILD)-asan -G Ninja -DQEMU_SST_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
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
