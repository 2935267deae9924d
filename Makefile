# nnlab — build, test and run the workbook's labs.   `make help` lists the targets.
#
# Non-recursive, out-of-tree (everything lands in build/ and out/), safe with -j2.
# The library in common/ is compiled twice: in float (build/f32, what the labs link) and in
# double (build/f64, what the gradient-check tests link, so that 1e-7 relative error is reachable).

.DELETE_ON_ERROR:
.SECONDARY:
MAKEFLAGS += --no-builtin-rules
SHELL := /bin/bash
.DEFAULT_GOAL := all

# ---- configuration -------------------------------------------------------------------------
SANITIZE ?=
BUILD ?= $(if $(SANITIZE),build-asan,build)
OPT ?= -O2
CFLAGS ?= $(OPT) -g
WARN := -std=c11 -Wall -Wextra $(if $(filter 1,$(WERROR)),-Werror)
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
SAN := $(if $(SANITIZE),$(SAN_FLAGS))
CPPFLAGS += -D_DEFAULT_SOURCE -Icommon -MMD -MP
LDLIBS := -lopenblas -lz -lm
ALL_CFLAGS = $(WARN) $(CFLAGS) $(SAN)
ALL_LDFLAGS = $(LDFLAGS) $(SAN)

Q := $(if $(filter 1,$(V)),,@)
say = $(if $(Q),@printf '  %-6s %s\n' $(1) $(2),@:)

# ---- what there is ---------------------------------------------------------------------------
LIB_SRC := $(sort $(wildcard common/*.c))
LAB_SRC := $(sort $(wildcard labs/lab[0-9][0-9]_*.c))
LABS := $(foreach s,$(LAB_SRC),$(firstword $(subst _, ,$(notdir $(s)))))
lab_src = $(filter labs/$(1)_%.c,$(LAB_SRC))
LIBTEST_SRC := $(filter-out tests/test_lab%,$(sort $(wildcard tests/test_*.c)))
LABTEST_SRC := $(filter tests/test_lab%,$(sort $(wildcard tests/test_*.c)))
LIBTESTS := $(patsubst tests/%.c,%,$(LIBTEST_SRC))
LABTESTS := $(patsubst tests/%.c,%,$(LABTEST_SRC))

LIB32 := $(BUILD)/lib/libnn.a
LIB64 := $(BUILD)/lib/libnn_f64.a
LAB_BINS := $(addprefix $(BUILD)/bin/,$(LABS))
TEST_BINS := $(addprefix $(BUILD)/bin/,$(LIBTESTS) $(addsuffix _f64,$(LIBTESTS)) $(LABTESTS))
TOOL_BINS := $(BUILD)/bin/bench_gemm

.PHONY: all test deps clean help $(LABS)
all: $(LIB32) $(LIB64) $(LAB_BINS) $(TEST_BINS) $(TOOL_BINS)

# ---- system packages (make deps) ---------------------------------------------------------------
# Everything the project needs from Debian, in one list. `make deps` checks it in well under a
# second and, when something is missing, installs the whole list: as root with apt-get, else with
# `sudo -n` when that works, else it prints the command and fails.
DEB_PACKAGES := build-essential pkg-config libcriterion-dev zlib1g-dev libopenblas-dev \
  gnuplot-nox pandoc texlive-latex-recommended texlive-fonts-recommended lmodern poppler-utils \
  dataset-fashion-mnist
DEPS_STAMP := $(BUILD)/.deps.stamp

deps:
	$(Q)if ! command -v dpkg-query >/dev/null; then \
	  echo "make deps: not a Debian system; install the equivalents of: $(DEB_PACKAGES)"; exit 1; fi; \
	missing=$$(dpkg-query -W -f='$${db:Status-Abbrev} $${Package}\n' $(DEB_PACKAGES) 2>&1 \
	    | awk '$$1 != "ii" { print $$NF }'); \
	[ -z "$$missing" ] && exit 0; \
	echo "make deps: missing Debian packages:" $$missing; \
	cmd="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $(DEB_PACKAGES)"; \
	if [ "$$(id -u)" = 0 ]; then bash -c "$$cmd" || exit 1; \
	elif sudo -n true 2>/dev/null; then sudo -n bash -c "$$cmd" || exit 1; \
	else echo "make deps: run this as root, then make again:"; echo "  $$cmd"; exit 1; fi

$(DEPS_STAMP): Makefile
	$(Q)$(MAKE) --no-print-directory deps
	@mkdir -p $(@D) && touch $@

# ---- compiling -------------------------------------------------------------------------------
$(BUILD)/f32/%.o: %.c | $(DEPS_STAMP)
	$(call say,CC,$<)
	@mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/f64/%.o: %.c | $(DEPS_STAMP)
	$(call say,CC64,$<)
	@mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) -DNN_DOUBLE $(ALL_CFLAGS) -c $< -o $@

# A lab compiled without its main(), for its test binary (Criterion brings its own main).
$(BUILD)/f32/%.nomain.o: %.c | $(DEPS_STAMP)
	$(call say,CC,$< [no main])
	@mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) -DNN_NO_MAIN $(ALL_CFLAGS) -c $< -o $@

$(LIB32): $(patsubst %.c,$(BUILD)/f32/%.o,$(LIB_SRC))
$(LIB64): $(patsubst %.c,$(BUILD)/f64/%.o,$(LIB_SRC))
$(LIB32) $(LIB64):
	$(call say,AR,$@)
	@mkdir -p $(@D)
	$(Q)rm -f $@ && ar rcs $@ $^

# ---- linking ---------------------------------------------------------------------------------
$(BUILD)/bin/bench_gemm: $(BUILD)/f32/tests/bench_gemm.o $(LIB32)
$(BUILD)/bin/test_%_f64: $(BUILD)/f64/tests/test_%.o $(LIB64)
	$(call say,LD,$@)
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_LDFLAGS) $^ -lcriterion $(LDLIBS) -o $@

.SECONDEXPANSION:
$(addprefix $(BUILD)/bin/,$(LIBTESTS)): $(BUILD)/bin/%: $(BUILD)/f32/tests/%.o $(LIB32)
	$(call say,LD,$@)
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_LDFLAGS) $^ -lcriterion $(LDLIBS) -o $@

$(addprefix $(BUILD)/bin/,$(LABTESTS)): $(BUILD)/bin/test_%: $(BUILD)/f32/tests/test_%.o \
    $$(patsubst %.c,$(BUILD)/f32/%.nomain.o,$$(call lab_src,$$*)) $(LIB32)
	$(call say,LD,$@)
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_LDFLAGS) $^ -lcriterion $(LDLIBS) -o $@

$(LAB_BINS): $(BUILD)/bin/%: $$(patsubst %.c,$(BUILD)/f32/%.o,$$(call lab_src,$$*)) $(LIB32)
	$(call say,LD,$@)
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_LDFLAGS) $^ $(LDLIBS) -o $@

$(BUILD)/bin/bench_gemm:
	$(call say,LD,$@)
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_LDFLAGS) $^ $(LDLIBS) -o $@

# ---- running ---------------------------------------------------------------------------------
# make lab01 [QUICK=1] [ARGS="--seed 7"]
$(LABS): %: $(BUILD)/bin/%
	$(BUILD)/bin/$@ $(if $(filter 1,$(QUICK)),--quick) $(ARGS)

# Every test binary, one after the other (each runs its tests on all cores); one closing line
# `N passed, M failed` sums them. BLAS is pinned to one thread so results do not depend on the
# machine. In a sanitizer build a leak report is a failure too.
test: $(TEST_BINS) $(LAB_BINS)
	@mkdir -p $(BUILD) && rm -rf $(BUILD)/asan && : > $(BUILD)/test.log; st=0; \
	for t in $(TEST_BINS); do \
	  OPENBLAS_NUM_THREADS=1 ASAN_OPTIONS=log_path=$(abspath $(BUILD))/asan/log \
	    $$t $(TESTFLAGS) 2>&1 | tee -a $(BUILD)/test.log; [ $${PIPESTATUS[0]} -eq 0 ] || st=1; \
	done; \
	reports=0; if [ -n "$(SANITIZE)" ] && ls $(BUILD)/asan/log* >/dev/null 2>&1; then \
	  cat $(BUILD)/asan/log*; reports=$$(ls $(BUILD)/asan/log* | wc -l); \
	  echo "$$reports sanitizer report(s) above: each counts as a failure"; st=1; fi; \
	awk -v extra=$$reports '/Synthesis:/ { for (i = 1; i < NF; i++) { \
	  if ($$i == "Passing:") p += $$(i+1); if ($$i == "Failing:") f += $$(i+1) } } \
	  END { printf "%d passed, %d failed\n", p, f + extra }' $(BUILD)/test.log; exit $$st

help:
	@echo "nnlab — make targets"
	@echo "  all (default)   the library (float and double), every lab, every test binary"
	@echo "  test            run every Criterion test; ends with 'N passed, M failed'"
	@echo "  $(if $(LABS),$(firstword $(LABS)) ... $(lastword $(LABS)),labNN)   build and run one lab; results in out/labNN/"
	@echo "  deps            check (and when root, install) the Debian packages"
	@echo "  clean           remove build/ and build-asan/ (out/ is kept)"
	@echo "variables"
	@echo "  QUICK=1         run labs in quick mode (--quick)"
	@echo "  ARGS='...'      more flags for a lab, e.g. ARGS='--seed 7 --threads 1'"
	@echo "  SANITIZE=1      ASan + UBSan build in build-asan/"
	@echo "  WERROR=1        warnings are errors (CI)"
	@echo "  V=1             show the commands"
	@echo "  TESTFLAGS='...' flags for the Criterion binaries, e.g. TESTFLAGS='--filter gemm/*'"
	@echo "  NN_GEMM=naive|own|blas (environment) the GEMM backend"

clean:
	rm -rf build build-asan

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
