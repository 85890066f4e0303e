# The project's commands. `make test` works on a fresh Debian 12 machine: it installs what is
# missing, configures, builds and runs the whole test suite.
PRESET ?= $(if $(CI),ci,release)
JOBS ?= $(shell nproc)

.PHONY: all build test deps bench bench-core bench-build golden clean demo example-vision fuzz \
        ci-sanitizers tsan

all: build

deps:
	scripts/install-deps

build: deps
	cmake --preset $(PRESET)
	cmake --build --preset $(PRESET) -j $(JOBS)

test: build
	ctest --preset $(PRESET) -j $(JOBS)

# The seed's CNN trained on Fashion-MNIST (examples/demo/): TensorBoard logs in runs/, a checkpoint
# per epoch in checkpoints/. DEMO_FLAGS go to the program, e.g. DEMO_FLAGS="--epochs 1" or
# DEMO_FLAGS=--resume; build/$(PRESET)/examples/fashion_mnist_cnn --help lists them.
DEMO_FLAGS ?=
demo: deps
	cmake --preset $(PRESET)
	cmake --build --preset $(PRESET) -j $(JOBS) --target fashion_mnist_cnn classify_fashion_mnist
	build/$(PRESET)/examples/fashion_mnist_cnn --data build/data $(DEMO_FLAGS)

# The seed's torchvision section: Fashion-MNIST through the seed's transform and a DataLoader.
example-vision: build
	build/$(PRESET)/examples/fashion_mnist_batches build/$(PRESET)/data

# The seed's workloads W1-W6 (bench/README.md), ember's program and LibTorch's (pandas' for W6)
# run alternately, then one table of medians, min-max, ratios and peak RSS, plus
# build/bench/bench/workloads/workloads.json. WORKLOAD_FLAGS go to bench/workloads/run.py, e.g.
# WORKLOAD_FLAGS="--only w1,w5 --rounds 5".
WORKLOAD_FLAGS ?=
bench: bench-build
	python3 bench/workloads/run.py build/bench/bench/workloads $(WORKLOAD_FLAGS)

# The per-op micro-benchmarks (Google Benchmark, ember and LibTorch in one binary). BENCH_FLAGS go
# to bench/compare.py, e.g. BENCH_FLAGS=--benchmark_filter=mm_ or BENCH_FLAGS="--repetitions 3".
BENCH_FLAGS ?=
bench-core: bench-build
	python3 bench/compare.py build/bench/bench/ember_bench_core $(BENCH_FLAGS)

bench-build:
	scripts/install-deps --bench
	cmake --preset bench
	cmake --build --preset bench -j $(JOBS)

# The libFuzzer harnesses of every file reader (fuzz/: clang 14, ASan + UBSan), each run for
# FUZZ_SECONDS over its corpus, one after the other; figures in build/fuzz/fuzz/fuzz_results.json.
# CI runs FUZZ_SECONDS=30.
FUZZ_SECONDS ?= 600
fuzz:
	scripts/install-deps --fuzz
	cmake --preset fuzz
	cmake --build --preset fuzz -j $(JOBS) --target fuzzers
	python3 fuzz/run_fuzzers.py --build build/fuzz --seconds $(FUZZ_SECONDS)

# What CI runs after `make test` (.ci/run): the fuzz preset's build (clang 14, ASan + UBSan,
# undefined behaviour fatal) of the readers' fuzzers and of the parser, data, autograd and
# reliability tests; those tests under the sanitizers; then each fuzzer for 30 s over its corpus,
# JOBS at a time, with a fixed libFuzzer seed so that a CI run can be replayed.
SANITIZER_TESTS := test_io test_vision test_data test_autograd reliability
ci-sanitizers:
	scripts/install-deps --fuzz
	cmake --preset fuzz
	cmake --build --preset fuzz -j $(JOBS) --target fuzzers $(SANITIZER_TESTS) crash_trainer
	for t in $(SANITIZER_TESTS); do \
	  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	    build/fuzz/tests/$$t --gtest_brief=1 || exit 1; \
	done
	python3 fuzz/run_fuzzers.py --build build/fuzz --seconds 30 --parallel $(JOBS) --seed 1

# The DataLoader, thread-pool and other threaded tests under ThreadSanitizer (clang 14, OpenMP
# through libomp with its Archer annotations); about 10 minutes on two cores, outside CI.
TSAN_TESTS := test_data test_core test_io test_ops test_autograd test_optim
tsan:
	scripts/install-deps --fuzz
	cmake --preset tsan
	cmake --build --preset tsan -j $(JOBS) --target $(TSAN_TESTS)
	for t in $(TSAN_TESTS); do \
	  TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1:ignore_noninstrumented_modules=1 \
	  OMP_TOOL_LIBRARIES=/usr/lib/llvm-14/lib/libarcher.so build/tsan/tests/$$t --gtest_brief=1 \
	    || exit 1; \
	done

# Regenerates tests/golden/* from a real PyTorch (development only): Debian's python3-torch,
# plus the PyPI packages of tools/golden/requirements.txt in a virtual environment.
GOLDEN_VENV := build/golden-venv
golden:
	scripts/install-deps --golden
	[ -x $(GOLDEN_VENV)/bin/python ] || /usr/bin/python3 -m venv --system-site-packages $(GOLDEN_VENV)
	$(GOLDEN_VENV)/bin/pip install -q -r tools/golden/requirements.txt
	for s in tools/golden/*.py; do \
	  [ "$$(basename $$s)" = common.py ] || $(GOLDEN_VENV)/bin/python $$s || exit 1; \
	done

clean:
	rm -rf build
