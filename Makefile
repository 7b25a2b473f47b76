# hotmem - build with a C compiler and make alone.
#
#   make            library, the hotmem CLI, the benchmark
#   make test       every test (unit, scenario, CLI), under ASan+UBSan
#   make example    run the bundled example scenario
#   make bench      the benchmark figures
#   make bench-real the real-kernel suite's wall time, cold and warm
#                   snapshot cache (bench/bench-real.sh; minutes)
#   make fuzz-smoke libFuzzer harnesses, FUZZ_TIME (20) seconds each; needs
#                   clang (sh scripts/fuzz-setup.sh installs it)
#   make test-valgrind  unit tests and scenarios under valgrind, no sanitizers
#   make conformance-real  the conformance suite on Linux 6.12 under QEMU,
#                   every architecture's guest (installs QEMU, the kernels
#                   and the cross compilers; docs/real-kernel.md)
#   make qemu-setup-all  also the ppc64el, arm64, s390x and riscv64 guests
#                   (`make guests` rebuilds their agents and initramfs)
#   make clean

CC      ?= cc
CSTD    := -std=c17
WARN    := -Wall -Wextra -Werror
CFLAGS  ?= -O2 -g
CPPFLAGS += -Iinclude -D_GNU_SOURCE
SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

LIB_SRC := $(sort $(wildcard src/*/*.c src/*.c))

# Normal build.
OBJ     := $(LIB_SRC:%.c=build/obj/%.o)
# Sanitizer build for the tests.
SOBJ    := $(LIB_SRC:%.c=build/san/%.o)

UNIT_SRC := $(sort $(wildcard tests/unit/*.c))

.PHONY: all test bench example clean fuzz-build fuzz-smoke test-valgrind \
	initramfs qemu-setup conformance-real qemu-setup-all guests bench-real

all: build/hotmem build/bench_64t

build/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(WARN) $(CFLAGS) $(CPPFLAGS) -MMD -MP -c $< -o $@

build/san/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(WARN) -O1 -g $(SAN) $(CPPFLAGS) -MMD -MP -c $< -o $@

build/libhotmem.a: $(OBJ)
	@rm -f $@
	ar rcs $@ $^

build/libhotmem-san.a: $(SOBJ)
	@rm -f $@
	ar rcs $@ $^

TOOL_SRC := $(sort $(wildcard tools/*.c))

# --- `hotmem serve`: FUSE is optional (docs/serve.md) -------------------
# With libfuse 3 (`pkg-config fuse3` works) tools/serve/fuse.c serves the
# model over FUSE; without it tools/serve/nofuse.c makes `hotmem serve`
# say what is missing. The core never needs it. PKG_CONFIG=false builds
# as a machine without libfuse3-dev would.
PKG_CONFIG  ?= pkg-config
FUSE_CFLAGS := $(shell $(PKG_CONFIG) --cflags fuse3 2>/dev/null)
FUSE_LIBS   := $(shell $(PKG_CONFIG) --libs fuse3 2>/dev/null)
SERVE_SRC   := $(if $(FUSE_LIBS),tools/serve/fuse.c,tools/serve/nofuse.c)
SERVE_OBJ   := $(SERVE_SRC:%.c=build/obj/%.o)
SERVE_SOBJ  := $(SERVE_SRC:%.c=build/san/%.o)
SERVE_VOBJ  := $(SERVE_SRC:%.c=build/vg/%.o)
build/obj/tools/serve/fuse.o build/san/tools/serve/fuse.o \
build/vg/tools/serve/fuse.o: CPPFLAGS += $(FUSE_CFLAGS)
# a build that switched between the two links the other object: relink
build/serve-choice: FORCE
	@mkdir -p build
	@echo '$(SERVE_SRC)' | cmp -s - $@ || echo '$(SERVE_SRC)' >$@
FORCE:
.PHONY: FORCE
# ------------------------------------------------------------------------

build/hotmem: $(TOOL_SRC:%.c=build/obj/%.o) $(SERVE_OBJ) build/libhotmem.a build/serve-choice
	$(CC) $(CFLAGS) -o $@ $(filter %.o %.a,$^) $(FUSE_LIBS)

build/hotmem-san: $(TOOL_SRC:%.c=build/san/%.o) $(SERVE_SOBJ) build/libhotmem-san.a build/serve-choice
	$(CC) -g $(SAN) -o $@ $(filter %.o %.a,$^) $(FUSE_LIBS)

build/bench_64t: build/obj/bench/bench_64t.o build/libhotmem.a
	$(CC) $(CFLAGS) -o $@ $^

build/unit-tests: $(UNIT_SRC:%.c=build/san/%.o) build/libhotmem-san.a
	$(CC) -g $(SAN) -o $@ $^

# With clang's libFuzzer at hand, the harnesses are built too and
# tests/run.sh runs each for a few seconds (docs/fuzzing.md).
test: build/unit-tests build/hotmem-san build/qemu/hotmem-agent
	@if sh scripts/fuzz-setup.sh --check $(FUZZ_CC); then \
		$(MAKE) --no-print-directory fuzz-build; fi
	@sh tests/run.sh

# The real-kernel backend's guest: the agent (static, for a libc-less
# initramfs) and the initramfs around it (docs/real-kernel.md).
build/qemu/hotmem-agent: guest/hotmem-agent.c src/backend/agent_proto.h
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(WARN) -O2 -static -o $@ $<

build/qemu/initramfs.cpio.gz: build/qemu/hotmem-agent scripts/build-initramfs.sh \
		$(wildcard build/qemu/guest-tools/version)
	sh scripts/build-initramfs.sh build/qemu/hotmem-agent $@

initramfs: build/qemu/initramfs.cpio.gz

qemu-setup:
	sh scripts/qemu-setup.sh >/dev/null

# The guests of the other architectures (docs/real-kernel.md "Guests of
# other architectures"): each one's agent, built -static by Debian's
# cross compiler, and its initramfs, under build/qemu/guests/GUEST.
GUESTS       := ppc64-64k ppc64-4k arm64-4k arm64-16k s390x riscv64
guest_triplet = $(if $(filter ppc64-%,$1),powerpc64le,$(if $(filter arm64-%,$1),aarch64,$1))-linux-gnu

build/qemu/guests/%/hotmem-agent: guest/hotmem-agent.c src/backend/agent_proto.h
	@mkdir -p $(dir $@)
	$(call guest_triplet,$*)-gcc $(CSTD) $(WARN) -O2 -static -o $@ $<

build/qemu/guests/%/initramfs.cpio.gz: build/qemu/guests/%/tools/version \
		build/qemu/guests/%/hotmem-agent scripts/build-initramfs.sh
	sh scripts/build-initramfs.sh -g $* build/qemu/guests/$*/hotmem-agent $@

build/qemu/guests/%/tools/version:
	@echo "no guest '$*' under build/qemu/guests: run scripts/qemu-setup.sh -g $* (as root)" >&2; exit 1

guests: $(GUESTS:%=build/qemu/guests/%/initramfs.cpio.gz)
.SECONDARY: $(GUESTS:%=build/qemu/guests/%/hotmem-agent)

# x86 and every other architecture's guest: QEMU, kernels, tools, then
# the agents and initramfs images (a few hundred MB; as root).
qemu-setup-all:
	sh scripts/qemu-setup.sh -g all >/dev/null
	$(MAKE) initramfs guests

# Every conformance scenario on the real kernel, checked against the
# goldens; REGOLD=1 rewrites the goldens instead.
# Every architecture's guest: x86 and the ppc64el, arm64, s390x and
# riscv64 ones (their scenarios are in the list too).
conformance-real: qemu-setup-all build/hotmem
	sh tests/conformance/run-real.sh

bench: build/bench_64t
	./build/bench_64t

# The conformance suite's figures with a cold and a warm snapshot cache.
bench-real: qemu-setup build/hotmem
	$(MAKE) initramfs
	sh bench/bench-real.sh

# The main job on the bundled example: a 1 GiB DIMM with memmap_on_memory.
example: build/hotmem
	mkdir -p build/maps
	./build/hotmem run --map-svg=build/maps examples/dimm-memmap-on-memory.scn
	@echo
	@echo "make example: OK, every expectation of examples/dimm-memmap-on-memory.scn held"
	@echo "  (the scenario's expect lines, checked against the model; exit status 0)."
	@echo "  The memory maps above are also drawn as SVG pictures in build/maps/."
	@echo "  Next: read the scenario, change it, and run ./build/hotmem run FILE;"
	@echo "  the language is in docs/scenario-language.md."

clean:
	rm -rf build

# libFuzzer harnesses (fuzz/, docs/fuzzing.md): clang only, not part of
# `make test`; the library is compiled into each harness.
FUZZ_CC    ?= clang
FUZZ_FLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
FUZZ_TIME  ?= 20
FUZZERS    := scenario sysfs_write text

FOBJ       := $(LIB_SRC:%.c=build/fuzz/obj/%.o)

build/fuzz/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CSTD) $(WARN) $(FUZZ_FLAGS) $(CPPFLAGS) -MMD -MP -c $< -o $@

build/libhotmem-fuzz.a: $(FOBJ)
	@rm -f $@
	ar rcs $@ $^

build/fuzz/fuzz_%: fuzz/fuzz_%.c build/libhotmem-fuzz.a
	$(FUZZ_CC) $(CSTD) $(WARN) $(FUZZ_FLAGS) $(CPPFLAGS) -o $@ $< build/libhotmem-fuzz.a

fuzz-build: $(FUZZERS:%=build/fuzz/fuzz_%)

fuzz-smoke: fuzz-build
	@sh scripts/fuzz-smoke.sh $(FUZZ_TIME) $(FUZZERS)

# Leak and memory-error check without sanitizers: plain -O1 builds under
# valgrind (--error-exitcode: any error or definite leak fails).
VOBJ := $(LIB_SRC:%.c=build/vg/%.o)

build/vg/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(WARN) -O1 -g $(CPPFLAGS) -MMD -MP -c $< -o $@

build/unit-tests-vg: $(UNIT_SRC:%.c=build/vg/%.o) $(VOBJ)
	$(CC) -g -o $@ $^

build/hotmem-vg: $(TOOL_SRC:%.c=build/vg/%.o) $(SERVE_VOBJ) $(VOBJ)
	$(CC) -g -o $@ $^ $(FUSE_LIBS)

test-valgrind: build/unit-tests-vg build/hotmem-vg
	@sh scripts/test-valgrind.sh

EXTRA_OBJ := $(TOOL_SRC:%.c=build/obj/%.o) $(TOOL_SRC:%.c=build/san/%.o) \
	     $(SERVE_OBJ) $(SERVE_SOBJ) $(SERVE_VOBJ) \
	     build/obj/bench/bench_64t.o $(UNIT_SRC:%.c=build/san/%.o) \
	     $(VOBJ) $(UNIT_SRC:%.c=build/vg/%.o) $(TOOL_SRC:%.c=build/vg/%.o)
-include $(OBJ:.o=.d) $(SOBJ:.o=.d) $(EXTRA_OBJ:.o=.d) $(FOBJ:.o=.d)
