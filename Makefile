# Tillit - top-level build wrapper around CMake + Ninja.
#   make build    release build in build/release
#   make demo     install deps, build, create a demo database and show it
#   make check    debug build with ASan/UBSan and -Werror, then every test (ctest),
#                 on SQLite and on a throwaway PostgreSQL (scripts/pg-test)
#   make bench    release build, then the benchmarks in bench/
#   make fuzz     clang libFuzzer targets in build/fuzz
#   make install  PREFIX=/usr/local

PREFIX ?= /usr/local
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
DEPS_STAMP := build/.deps-ok

.PHONY: all build demo check bench fuzz install clean deps

all: build

# Installs Debian packages only when something is missing (the script is idempotent).
$(DEPS_STAMP): scripts/install-deps
	@scripts/install-deps
	@mkdir -p build && touch $@

deps: $(DEPS_STAMP)

build/release/build.ninja: $(DEPS_STAMP) CMakeLists.txt
	cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DTILLIT_TESTS=OFF

build: build/release/build.ninja
	cmake --build build/release -j $(JOBS)

build/check/build.ninja: $(DEPS_STAMP) CMakeLists.txt
	cmake -S . -B build/check -G Ninja -DCMAKE_BUILD_TYPE=Debug -DTILLIT_SANITIZE=ON

# check also compiles the release configuration: gcc -O3 finds warnings
# (maybe-uninitialized, overreads) that the -O0 sanitizer build cannot.
check: build/check/build.ninja build/release/build.ninja
	cmake --build build/release -j $(JOBS)
	cmake --build build/check -j $(JOBS)
	scripts/checkstyle
	cd build/check && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ../../scripts/pg-test --optional ctest --output-on-failure -j $(JOBS)

demo: build
	scripts/demo

bench: build
	scripts/bench

build/fuzz/build.ninja: $(DEPS_STAMP) CMakeLists.txt
	CC=clang cmake -S . -B build/fuzz -G Ninja -DCMAKE_BUILD_TYPE=Debug -DTILLIT_FUZZ=ON \
	  -DTILLIT_TESTS=OFF -DCMAKE_C_FLAGS="-fsanitize=fuzzer-no-link,address,undefined"

fuzz: build/fuzz/build.ninja
	cmake --build build/fuzz -j $(JOBS)
	scripts/fuzz

install: build
	cmake --install build/release --prefix $(PREFIX)

clean:
	rm -rf build
