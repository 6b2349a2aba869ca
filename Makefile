# SPDX-License-Identifier: Apache-2.0
# ferry: the one Makefile. `make help` lists the targets.
#
# Knobs: SEED=N (random stimulus; every test prints its seed), TEST=substr
# (run only matching tests), WAVES=1 (write FST waveforms), CFG=name (build
# configuration, see CONFIGS below), FAST=1 (the fast model for long runs,
# see "simulation speed" at the end), FAST=1 PGO=1 (the same with GCC profile
# feedback, see PGO below).

SHELL := /bin/bash
.DEFAULT_GOAL := help
.SECONDARY:

# V=1 prints full compiler command lines.
ifeq ($(V),1)
Q :=
else
Q := @
endif

OUT  := sim/out
CFG  ?= default
SEED ?= 1
export SEED TEST WAVES

# The model's build flags. Default (what make test uses): FST tracing compiled
# in, X assignments and initial values randomized per seed, model C++ at -O1.
# FAST=1: a separate build under $(OUT)/$(CFG)-fast without tracing, with fast
# X assignments and the model C++ at -O3, for long regressions; x-initial stays
# unique (no run-time cost), so seeds still randomize registers without reset.
FAST ?= 0
ifeq ($(FAST),1)
FAST_SUFFIX    := -fast
VL_MODEL_FLAGS := --x-assign fast --x-initial unique
VL_MODEL_DEFS  := -DVM_TRACE=0 -DFERRY_NO_TRACE
VL_FST_OBJ     :=
VL_OPT_FAST    := -O3
else
FAST_SUFFIX    :=
VL_MODEL_FLAGS := --trace-fst --x-assign unique --x-initial unique
VL_MODEL_DEFS  := -DVM_TRACE=1 -DVM_TRACE_FST=1
VL_FST_OBJ     := verilated_fst_c.o
VL_OPT_FAST    := -O1
endif

# PGO=1 (with FAST=1): the fast model's C++ compiled with GCC profile
# feedback, under $(OUT)/$(CFG)-fast-pgo (the harness as in FAST=1). The
# first build makes an instrumented copy under $(OUT)/$(CFG)-fast-pgogen
# (PGO=gen, internal), runs the training workload on it (a 256 KiB direct
# copy and 100,000 idle cycles, ring.lua, align.lua), then compiles the model
# with -fprofile-use; about two minutes. Any change to the RTL, the harness
# sources or the training workload trains again. -fprofile-prefix-path makes the profile names relative to the build
# tree, so the two trees share them.
PGO ?= 0
ifeq ($(FAST)$(PGO),11)
FAST_SUFFIX    := -fast-pgo
PGO_DIR        := $(abspath $(OUT)/$(CFG)-fast-pgo/profile)
PGO_STAMP      := $(PGO_DIR)/trained
PGO_FLAGS       = -fprofile-use=$(PGO_DIR) -Wno-missing-profile \
                  -fprofile-prefix-path=$(abspath $(B))
else ifeq ($(FAST)$(PGO),1gen)
FAST_SUFFIX    := -fast-pgogen
PGO_FLAGS       = -fprofile-generate=$(PGO_DIR) -fprofile-prefix-path=$(abspath $(B))
PGO_LDFLAGS    := -fprofile-generate
else ifneq ($(PGO),0)
$(error PGO=$(PGO): PGO=1 needs FAST=1 (make FAST=1 PGO=1 build))
endif

# Build configurations: DATA_WIDTH NUM_CHANNELS ADDR_WIDTH MAX_BURST_LEN MAX_OUTSTANDING FIFO_DEPTH ID_WIDTH
CONFIGS       := default dw32 dw128 dw512 ch16 bench32 bench128 bench256 benchdq32
# Address windows per channel (ferry_top NUM_WINDOWS) in every configuration
NUM_WINDOWS   := 4
cfg_default   := 64 4 64 64 16 1024 4
cfg_dw32      := 32 1 32 13 1 32 1
cfg_dw128     := 128 2 48 256 4 1024 2
cfg_dw512     := 512 2 64 64 4 256 2
cfg_ch16      := 32 16 40 8 2 16 5
# make bench's DATA_WIDTH sweep: 4 channels, otherwise the default parameters
cfg_bench32   := 32 4 64 64 16 1024 4
cfg_bench128  := 128 4 64 64 16 1024 4
cfg_bench256  := 256 4 64 64 16 1024 4
# Stream channels (ferry_top H2C_MASK C2H_MASK as optional fields 8 and 9, channel bit masks):
# channel 1 host-to-card, channel 2 card-to-host, 0 and 3 memory to memory.
cfg_stream    := 64 4 64 64 16 1024 4 2 4
# Descriptor queue depth per channel (ferry_top DQ_DEPTH, 4..32), 16 unless
# named here: dw32 runs the smallest, dw128 the largest, benchdq32 is the
# default build with 32 (make bench's descriptor-queue points).
cfg_benchdq32 := 64 4 64 64 16 1024 4
dq_dw32       := 4
dq_dw128      := 32
dq_benchdq32  := 32
# Configurations the regression runs besides the default one.
TEST_CONFIGS  := dw32 dw128 dw512 ch16
# Their models (and stream's) evaluate each channel's next-state logic every
# cycle and stop if a state would change without the channel's wake (its clock
# enable); the default and FAST models skip it, as an idle channel allows.
WAKE_CHECK_CONFIGS := $(TEST_CONFIGS) stream

P  = $(cfg_$(CFG))
DW = $(word 1,$(P))
NC = $(word 2,$(P))
AW = $(word 3,$(P))
MB = $(word 4,$(P))
MO = $(word 5,$(P))
FD = $(word 6,$(P))
IW = $(word 7,$(P))
DQ = $(or $(dq_$(CFG)),16)
H2C = $(or $(word 8,$(P)),0)
C2H = $(or $(word 9,$(P)),0)
B  = $(OUT)/$(CFG)$(FAST_SUFFIX)

RTL      := $(sort $(wildcard rtl/*.v)) rtl/ferry_regs.vh
GEN      := rtl/ferry_regs.vh sw/include/ferry/ferry_regs.h sw/lib/ferry_regs_table.c docs/registers.md
REGMAP   := rtl/regmap/ferry_regs.lua rtl/regmap/regmap_gen.lua

VLROOT    = $(shell verilator --getenv VERILATOR_ROOT 2>/dev/null)
VFLAGS    = --cc $(VL_MODEL_FLAGS) -Wall -Irtl --top-module ferry_top \
            -GDATA_WIDTH=$(DW) -GNUM_CHANNELS=$(NC) -GADDR_WIDTH=$(AW) -GMAX_BURST_LEN=$(MB) \
            -GMAX_OUTSTANDING=$(MO) -GFIFO_DEPTH=$(FD) -GID_WIDTH=$(IW) -GNUM_WINDOWS=$(NUM_WINDOWS) \
            -GDQ_DEPTH=$(DQ) $(if $(word 8,$(P)),-GH2C_MASK=$(H2C) -GC2H_MASK=$(C2H)) \
            $(if $(and $(filter $(CFG),$(WAKE_CHECK_CONFIGS)),$(filter 0,$(FAST))),+define+FERRY_WAKE_CHECK)
CFG_DEFS  = -DFERRY_DATA_WIDTH=$(DW) -DFERRY_NUM_CHANNELS=$(NC) -DFERRY_ADDR_WIDTH=$(AW) \
            -DFERRY_MAX_BURST_LEN=$(MB) -DFERRY_MAX_OUTSTANDING=$(MO) -DFERRY_FIFO_DEPTH=$(FD) \
            -DFERRY_ID_WIDTH=$(IW) -DFERRY_NUM_WINDOWS=$(NUM_WINDOWS) \
            -DFERRY_H2C_MASK=$(H2C) -DFERRY_C2H_MASK=$(C2H) -DFERRY_DQ_DEPTH=$(DQ)
INCS     := -Isw/include -Itb -Isw/port/sim
CFLAGS    = -std=c11 -O2 -g -Wall -Wextra -Werror $(INCS) $(shell pkg-config --cflags check lua5.4 2>/dev/null)
CXXFLAGS  = -std=c++17 -O2 -g -Wall -Wextra -Werror -Itb -isystem $(VLROOT)/include -isystem $(VLROOT)/include/vltstd \
            $(VL_MODEL_DEFS)
LDLIBS   := -lz -pthread -lm $(PGO_LDFLAGS)

LIB_SRC  := $(wildcard sw/lib/*.c)
PORT_SRC := $(wildcard sw/port/sim/*.c)
TB_SRC   := $(filter-out tb/ferry_lua.c tb/ferry_bench.c,$(wildcard tb/*.c))
UNIT_SRC := $(wildcard tb/unit/test_*.c)
VL_RT    := verilated.o $(VL_FST_OBJ) verilated_threads.o

# Objects of the harness for configuration $(CFG)
H_OBJS    = $(patsubst %.c,$(B)/obj/%.o,$(LIB_SRC) $(PORT_SRC) $(TB_SRC)) $(B)/obj/tb/ferry_model.o
VL_LIBS   = $(B)/vobj/Vferry_top__ALL.a $(addprefix $(B)/vobj/,$(VL_RT))
UNIT_BINS = $(patsubst tb/unit/%.c,$(B)/%,$(UNIT_SRC))

.PHONY: help deps deps-lint deps-wave regs regs-check lint lint-verilator build build-bins demo test unit \
        scenarios wave bench clean print-test-configs FORCE

help:
	@echo "ferry targets:"
	@echo "  make demo         the seeds' DMA walk-through on the Verilated RTL, then the stream loopback of CFG=stream (WAVES=1 for an FST)"
	@echo "  make test         full regression: regs-check, lint, unit tests, scenarios, config sweep"
	@echo "  make wave         open the demo's waveform in GTKWave with the saved layout"
	@echo "  make bench        sweeps: utilization vs bound, latencies, PCIe table (BENCH=quick: short); sim/out/bench.csv"
	@echo "  make bench-plots  PNGs (gnuplot) and the tables of docs/performance.md from sim/out/bench.csv"
	@echo "  make bench-stream stream channel figures (CFG=stream): loopback rate vs bound, receive-ring starvation"
	@echo "  make stream-unit  Icarus loopback bench of the stream channels, 4 runs (SEED=, STREAM_RUNS=; ~35 s)"
	@echo "  make stream-picture  docs/img/stream_packet.png: one packet through the stream loopback in GTKWave"
	@echo "  make sim-speed    cycles/s of a 1 MiB copy and of idle cycles on the checked, fast and fast-PGO models (RUNS=5), outputs compared"
	@echo "  make icarus-speed cycles/s of a 1 MiB copy, Icarus vs Verilator (minutes); FAST=1 (any target): fast model, $(OUT)/<cfg>-fast; FAST=1 PGO=1: with profile feedback, $(OUT)/<cfg>-fast-pgo"
	@echo "  make lint         verilator -Wall, iverilog -g2005, yosys synth of ferry_top, the boundary cones"
	@echo "  make formal       formal proofs (yosys-smtbmc, z3): arbiter, AXI-Lite slave, AXI burst rules; formal-deep"
	@echo "  make synth        FPGA resource reports (Yosys xc7 / iCE40) and iCE40 place and route"
	@echo "  make fpga-check   check the LiteFury board flow (Tcl syntax, board top lint)"
	@echo "  make ferryctl     the command-line tool (--sim here, --vfio on a card); ferryctl-hw without the simulator"
	@echo "  make kmod         compile the kernel module against linux-headers (never loaded here)"
	@echo "  make coverage     line/toggle coverage of rtl/ and the functional coverage table (minutes)"
	@echo "  make regs         regenerate RTL constants, C header and docs from rtl/regmap/ferry_regs.lua"
	@echo "  make regs-check   fail if any generated file is stale"
	@echo "  make build        build the simulator binaries for CFG=$(CFG) under $(OUT)/$(CFG)/"
	@echo "  make unit         Check unit tests;  make scenarios: Lua scenarios"
	@echo "  make soak         constrained-random soak, SEEDS=N fresh seeds (default 20), summary with rates"
	@echo "  make wake-selftest a mutant channel wake must be stopped by the wake-checked dw32 model (1 min)"
	@echo "  make fuzz         libFuzzer on the model (FUZZ_SECONDS=60, SEED); fuzz-replay FILE=x prints what an input does"
	@echo "  make deps         install missing Debian packages (as root) or print the apt-get line"
	@echo "  make clean        remove $(OUT)/"
	@echo "knobs: SEED=$(SEED) TEST=<substr> WAVES=1 CFG=<$(CONFIGS)>"

# ---------------------------------------------------------------- packages
deps:
	@sim/deps.sh build
deps-lint:
	@sim/deps.sh lint
deps-wave:
	@sim/deps.sh wave

# ---------------------------------------------------------------- register map
regs: $(REGMAP)
	lua5.4 rtl/regmap/regmap_gen.lua rtl/regmap/ferry_regs.lua $(GEN)

regs-check: $(REGMAP)
	@mkdir -p $(OUT)/regs
	@lua5.4 rtl/regmap/regmap_gen.lua rtl/regmap/ferry_regs.lua \
	  $(OUT)/regs/ferry_regs.vh $(OUT)/regs/ferry_regs.h $(OUT)/regs/ferry_regs_table.c $(OUT)/regs/registers.md
	@stale=0; for f in $(GEN); do \
	  if ! cmp -s $$f $(OUT)/regs/$$(basename $$f); then echo "regs-check: $$f is stale: run 'make regs'"; stale=1; fi; \
	done; [ $$stale -eq 0 ] && echo "regs-check: generated files are up to date"

# ---------------------------------------------------------------- lint
LINT_CONFIGS := $(CONFIGS) $(filter-out $(CONFIGS),stream)
lint: deps-lint
	@mkdir -p $(OUT)/lint
	@printf '%s\n' $(LINT_CONFIGS) | xargs -P 2 -I{} $(MAKE) -s --no-print-directory CFG={} lint-verilator
	@iverilog -g2005 -Wall -Irtl -s ferry_top -o $(OUT)/lint/ferry_top.vvp rtl/*.v 2>&1 | tee $(OUT)/lint/iverilog.log; \
	  if [ -s $(OUT)/lint/iverilog.log ]; then echo "lint: iverilog -g2005 is not clean"; exit 1; fi
	@echo "lint: iverilog -g2005 clean"
	@lua5.4 sim/wake_lists.lua rtl/*.v
	@# the netlist check of the registered boundary runs beside yosys synth (two cores)
	@OUT=$(OUT) sim/boundary_cones.sh > $(OUT)/lint/boundary_cones.out 2>&1 & cones=$$!; \
	  yosys -q -l $(OUT)/lint/yosys.log -p "read_verilog -Irtl $(filter-out rtl/ferry_regs.vh,$(RTL)); \
	  chparam -set NUM_CHANNELS 2 -set DATA_WIDTH 32 -set ADDR_WIDTH 32 -set MAX_BURST_LEN 8 \
	  -set MAX_OUTSTANDING 2 -set FIFO_DEPTH 16 -set ID_WIDTH 2 ferry_top; \
	  synth -top ferry_top; check -assert; tee -o $(OUT)/lint/yosys_stat.txt stat" >/dev/null; y=$$?; \
	  wait $$cones; c=$$?; rc=0; \
	  if [ $$y -ne 0 ]; then tail -20 $(OUT)/lint/yosys.log; echo "lint: yosys synth failed"; rc=1; \
	  elif grep -qi 'warning' $(OUT)/lint/yosys.log; then grep -i warning $(OUT)/lint/yosys.log; \
	    echo "lint: yosys synth has warnings"; rc=1; \
	  else echo "lint: yosys synth -top ferry_top clean (a small build: 2 channels, 32-bit; make synth maps the full ones)"; fi; \
	  cat $(OUT)/lint/boundary_cones.out; [ $$c -eq 0 ] && exit $$rc; exit 1

lint-verilator:
	@verilator --lint-only -Wall -Irtl --top-module ferry_top \
	  -GDATA_WIDTH=$(DW) -GNUM_CHANNELS=$(NC) -GADDR_WIDTH=$(AW) -GMAX_BURST_LEN=$(MB) \
	  -GMAX_OUTSTANDING=$(MO) -GFIFO_DEPTH=$(FD) -GID_WIDTH=$(IW) -GH2C_MASK=$(H2C) -GC2H_MASK=$(C2H) \
	  -GDQ_DEPTH=$(DQ) rtl/*.v
	@echo "lint: verilator --lint-only -Wall clean (CFG=$(CFG): DATA_WIDTH=$(DW) NUM_CHANNELS=$(NC) DQ_DEPTH=$(DQ))"

# ---------------------------------------------------------------- build
# Public targets check packages first, then build in a sub-make (so that tool
# paths are looked up after any install).
build: deps
	@$(MAKE) --no-print-directory build-bins

build-bins: $(B)/ferry_lua $(B)/ferry_demo $(B)/ferry_bench $(UNIT_BINS)

# The build parameters of $(CFG), rewritten only when they change, so a new
# configuration value re-verilates.
$(B)/params: FORCE
	@mkdir -p $(B)
	@echo "$(VFLAGS) $(CFG_DEFS)" | cmp -s - $@ || echo "$(VFLAGS) $(CFG_DEFS)" > $@

FORCE:

$(B)/vobj/Vferry_top__ALL.a: $(RTL) $(B)/params $(PGO_STAMP)
	@mkdir -p $(B)/vobj
	@echo "  VERILATE $(CFG): DATA_WIDTH=$(DW) NUM_CHANNELS=$(NC) ADDR_WIDTH=$(AW) MAX_BURST_LEN=$(MB)"
	$(Q)verilator $(VFLAGS) -Mdir $(B)/vobj rtl/*.v
	$(Q)$(MAKE) -s -C $(B)/vobj -f Vferry_top.mk OPT_FAST="$(VL_OPT_FAST) $(PGO_FLAGS)" VM_PARALLEL_BUILDS=1 Vferry_top__ALL.a $(VL_RT) >/dev/null

$(addprefix $(B)/vobj/,$(VL_RT)): $(B)/vobj/Vferry_top__ALL.a

$(B)/obj/tb/ferry_model.o: tb/ferry_model.cpp tb/ferry_model.h $(B)/vobj/Vferry_top__ALL.a $(B)/params
	@mkdir -p $(dir $@)
	@echo "  CXX $<"
	$(Q)g++ $(CXXFLAGS) $(CFG_DEFS) -isystem $(B)/vobj -c $< -o $@

$(B)/obj/%.o: %.c $(wildcard tb/*.h tb/unit/*.h sw/include/ferry/*.h sw/port/sim/*.h sw/kmod/*.h) $(B)/params
	@mkdir -p $(dir $@)
	@echo "  CC $<"
	$(Q)gcc $(CFLAGS) $(CFG_DEFS) -c $< -o $@

$(B)/ferry_lua: $(B)/obj/tb/ferry_lua.o $(H_OBJS) $(VL_LIBS)
	@echo "  LINK $@"
	$(Q)g++ -o $@ $^ $(shell pkg-config --libs lua5.4) $(LDLIBS)

# PGO=1: the instrumented build and the training run (see PGO at the top).
ifneq ($(PGO_STAMP),)
PGO_TRAIN := tb/icarus/verilator_speed.lua sim/scenarios/ring.lua sim/scenarios/align.lua
$(PGO_STAMP): $(RTL) $(LIB_SRC) $(PORT_SRC) $(wildcard tb/*.c tb/*.h tb/*.cpp sw/include/ferry/*.h sw/port/sim/*.h) $(PGO_TRAIN)
	@echo "  PGO $(CFG): instrumented build under $(OUT)/$(CFG)-fast-pgogen, training run"
	$(Q)rm -rf $(PGO_DIR) && mkdir -p $(PGO_DIR)
	$(Q)$(MAKE) -s --no-print-directory FAST=1 PGO=gen PGO_DIR=$(PGO_DIR) CFG=$(CFG) $(OUT)/$(CFG)-fast-pgogen/ferry_lua
	$(Q)(QUIET=1 SPEED_LEN=262144 IDLE_CYCLES=100000 $(OUT)/$(CFG)-fast-pgogen/ferry_lua tb/icarus/verilator_speed.lua && \
	  SEED=1 $(OUT)/$(CFG)-fast-pgogen/ferry_lua sim/scenarios/ring.lua sim/scenarios/align.lua) \
	  > $(PGO_DIR)/train.log 2>&1 || { tail -n 20 $(PGO_DIR)/train.log; echo "PGO: training run failed"; exit 1; }
	$(Q)touch $@
endif

$(B)/ferry_demo: $(B)/obj/sw/tools/ferry_demo.o $(H_OBJS) $(VL_LIBS)
	@echo "  LINK $@"
	$(Q)g++ -o $@ $^ $(LDLIBS)

$(B)/ferry_bench: $(B)/obj/tb/ferry_bench.o $(H_OBJS) $(VL_LIBS)
	@echo "  LINK $@"
	$(Q)g++ -o $@ $^ $(LDLIBS)

$(B)/test_%: $(B)/obj/tb/unit/test_%.o $(H_OBJS) $(VL_LIBS)
	@echo "  LINK $@"
	$(Q)g++ -o $@ $^ $(shell pkg-config --libs check) $(LDLIBS)

# ---------------------------------------------------------------- run
demo: deps
	@$(MAKE) -s --no-print-directory $(B)/ferry_demo
	@$(B)/ferry_demo
	@if [ "$(CFG)" != stream ]; then \
	  echo "== the stream build (CFG=stream): step 5 only"; \
	  $(MAKE) -s --no-print-directory -j2 CFG=stream $(OUT)/stream$(FAST_SUFFIX)/ferry_demo && \
	  DEMO_PART=stream $(OUT)/stream$(FAST_SUFFIX)/ferry_demo; fi

unit: build
	@fail=0; for t in $(UNIT_BINS); do CK_FORK=yes $$t || fail=1; done; exit $$fail

scenarios: build
	@$(B)/ferry_lua $(sort $(wildcard sim/scenarios/*.lua))

test:
	@sim/regress.sh

wave: deps-wave
	@[ -f $(OUT)/demo.fst ] || WAVES=1 $(MAKE) --no-print-directory demo
	gtkwave $(OUT)/demo.fst sim/ferry.gtkw

clean:
	rm -rf $(OUT)

print-test-configs:
	@echo $(TEST_CONFIGS)

# ---- linux port and ferryctl (owned by sw/port/linux)
# ferryctl links the Linux port and the sim harness (--sim); make build builds
# it. test_port_linux links the Linux port; test_ferryctl runs the ferryctl
# binary. ferryctl-hw builds ferryctl without the simulator, the way a lab
# machine does (no Verilator needed). kmod compiles sw/kmod against Debian's
# linux-headers (compiled only, never loaded here).
LINUX_PORT_OBJ = $(B)/obj/sw/port/linux/ferry_port_vfio.o
LINUX_PORT_H  := $(wildcard sw/port/linux/*.h)
KDIR          ?= $(firstword $(wildcard /usr/src/linux-headers-*-amd64))
HW_CFLAGS     := -std=c11 -O2 -g -Wall -Wextra -Werror -Isw/include -Isw/port/linux

.PHONY: ferryctl ferryctl-hw kmod kmod-build deps-kmod

$(LINUX_PORT_OBJ) $(B)/obj/sw/tools/ferryctl.o $(B)/obj/tb/unit/test_port_linux.o \
  $(B)/obj/tb/unit/test_ferryctl.o: CFLAGS += -Isw/port/linux
$(LINUX_PORT_OBJ) $(B)/obj/sw/tools/ferryctl.o $(B)/obj/tb/unit/test_port_linux.o: $(LINUX_PORT_H)

$(B)/ferryctl: $(B)/obj/sw/tools/ferryctl.o $(LINUX_PORT_OBJ) $(H_OBJS) $(VL_LIBS)
	@echo "  LINK $@"
	$(Q)g++ -o $@ $^ $(LDLIBS)

build-bins: $(B)/ferryctl
$(B)/test_port_linux: $(LINUX_PORT_OBJ)
$(B)/test_ferryctl: | $(B)/ferryctl

ferryctl: deps
	@$(MAKE) --no-print-directory $(B)/ferryctl

ferryctl-hw: $(OUT)/hw/ferryctl
$(OUT)/hw/ferryctl: sw/tools/ferryctl.c sw/port/linux/ferry_port_vfio.c $(LIB_SRC) $(LINUX_PORT_H) \
                    $(wildcard sw/include/ferry/*.h)
	@mkdir -p $(dir $@)
	@echo "  CC $@ (no simulator)"
	$(Q)gcc $(HW_CFLAGS) -DFERRYCTL_NO_SIM -o $@ sw/tools/ferryctl.c sw/port/linux/ferry_port_vfio.c $(LIB_SRC)

# Debian's linux-headers-amd64 is installed (as root) unless KDIR is given;
# a sub-make then finds the headers it brought.
kmod: $(if $(filter command line environment,$(origin KDIR)),,deps-kmod)
	@$(MAKE) --no-print-directory kmod-build
deps-kmod:
	@sim/deps.sh kmod
kmod-build:
	@if [ -z "$(KDIR)" ] || [ ! -d "$(KDIR)" ]; then \
	  echo "kmod: no kernel headers under /usr/src: apt-get install linux-headers-amd64 (or KDIR=...)"; exit 1; fi
	@rm -rf $(OUT)/kmod && mkdir -p $(OUT)/kmod && cp sw/kmod/*.c sw/kmod/*.h sw/kmod/Kbuild $(OUT)/kmod/
	$(MAKE) -s -C $(KDIR) M=$(abspath $(OUT)/kmod) modules
	@echo "kmod: built $(OUT)/kmod/ferry_pci.ko against $(KDIR) (compiled, not loaded)"

# ---- fpga (owned by fpga/)
# synth: Yosys synth_xilinx / synth_ice40 and nextpnr-ice40 runs of
# fpga/synth/configs.txt, results table into docs/fpga.md (minutes; not part
# of make test). fpga-check: the LiteFury board flow checked without Vivado
# (Tcl under tclsh with stubs, board top lint against vendor port-list
# stubs, MSI bridge test; seconds). docs/fpga.md says what each runs.
.PHONY: synth fpga-check

synth:
	@fpga/synth/run.sh

fpga-check:
	@fpga/check/check.sh

# ---- formal
# Formal property checks with Yosys + yosys-smtbmc + z3 (tb/formal/README.md).
.PHONY: formal formal-deep deps-formal
deps-formal:
	@sim/deps.sh formal
formal: deps-formal
	@tb/formal/run.sh
formal-deep: deps-formal
	@tb/formal/run.sh --deep

# ---- bench (owned by tb/ferry_bench.c, tb/pcie_link.*, sim/bench_plots.gp)
# bench: the sweeps of docs/performance.md. BENCH=full (default) builds
# default, bench32, bench128, bench256 and benchdq32 and runs the DATA_WIDTH
# points on each width, the PCIe table on bench256, the descriptor-queue
# points on default and benchdq32 and everything else on default, ending
# with the summary against the targets; BENCH=quick runs a short version on
# the default build only. Raw results: sim/out/bench.csv (rewritten).
# bench-plots: PNGs from that CSV into docs/img/perf_*.png and the tables of
# docs/performance.md (sim/bench_tables.lua, between its bench-tables markers).
BENCH      ?= full
BENCH_CFGS := bench32 bench128 bench256
BENCH_CSV  := $(OUT)/bench.csv
export BENCH

.PHONY: bench bench-plots

bench: deps
	@rm -f $(BENCH_CSV)
	@t0=$$SECONDS; rc=0; \
	if [ "$(BENCH)" = full ]; then \
	  for c in default $(BENCH_CFGS) benchdq32; do \
	    $(MAKE) -s --no-print-directory -j2 CFG=$$c $(OUT)/$$c/ferry_bench || exit 1; done; \
	  echo "bench: builds ready after $$((SECONDS - t0)) s"; \
	  for c in $(BENCH_CFGS); do BENCH_PART=width BENCH_CSV=$(BENCH_CSV) $(OUT)/$$c/ferry_bench || rc=1; done; \
	  BENCH_PART=pcie BENCH_CSV=$(BENCH_CSV) $(OUT)/bench256/ferry_bench || rc=1; \
	  for c in default benchdq32; do BENCH_PART=dq BENCH_CSV=$(BENCH_CSV) $(OUT)/$$c/ferry_bench || rc=1; done; \
	  BENCH_PART=width BENCH_CSV=$(BENCH_CSV) $(OUT)/default/ferry_bench || rc=1; \
	  BENCH_PART=main BENCH_CSV=$(BENCH_CSV) $(OUT)/default/ferry_bench || rc=1; \
	else \
	  $(MAKE) -s --no-print-directory -j2 CFG=default $(OUT)/default/ferry_bench || exit 1; \
	  BENCH_PART=all BENCH_CSV=$(BENCH_CSV) $(OUT)/default/ferry_bench || rc=1; \
	fi; \
	echo "bench: BENCH=$(BENCH) took $$((SECONDS - t0)) s; raw results in $(BENCH_CSV)"; exit $$rc

bench-plots:
	@sim/deps.sh plot
	@[ -s $(BENCH_CSV) ] || { echo "bench-plots: no $(BENCH_CSV): run make bench first"; exit 1; }
	@mkdir -p docs/img
	gnuplot -e "csv='$(BENCH_CSV)'; outdir='docs/img'" sim/bench_plots.gp
	@ls -1 docs/img/perf_*.png
	@lua5.4 sim/bench_tables.lua $(BENCH_CSV) docs/performance.md

# ---- soak (constrained-random soak, failing-seed self test)
# soak: sim/scenarios/soak.lua with SEEDS fresh seeds (SOAK_SEED= the first,
# default from the clock), SOAK_N transfers per test; never stops at a
# failure; prints seeds, failures with their rerun lines, transfers and bytes
# checked and both per minute. soak-check (a regress step): the failing-seed
# self test plus a short soak over fixed seeds.
.PHONY: soak soak-check
SEEDS ?= 20

soak: build
	@SEEDS=$(SEEDS) CFG=$(CFG) sim/soak.sh

soak-check:
	@sim/soak.sh --selftest
	@SEEDS=2 SOAK_SEED=1000 SOAK_N=20 SOAK_BYTES=1048576 CFG=$(CFG) sim/soak.sh

# wake-selftest (a regress step): a copy of the sources with one term removed
# from ferry_channel's wake must be stopped by the FERRY_WAKE_CHECK model (dw32),
# and one with a term removed from a wk_change list must fail sim/wake_lists.lua
# (the lint step that keeps those lists in step with the wake blocks).
.PHONY: wake-selftest
wake-selftest:
	@sim/wake_selftest.sh

# ---- coverage (owned by coverage: sim/coverage.sh, sim/coverage.lua, tb/fcov.*)
# coverage: a separate Verilator build of CFG=default with line and toggle
# coverage under $(OUT)/coverage/build (never touches $(OUT)/default), runs the
# Lua scenarios (COV_SEEDS seeds) and the Check unit tests on it, merges the
# data, annotates rtl/ into $(OUT)/coverage/annotate and prints line and toggle
# coverage per file. Fails if an RTL line is unexercised and not waived in
# sim/coverage_waivers.txt. Also merges the functional coverage counts
# (tb/fcov.c) into $(OUT)/coverage/functional.md. Minutes; not in make test.
# fcov-check: the functional-coverage hole check on the default build (make test).
COV_DIR   := $(OUT)/coverage
COV_SEEDS ?= 2
.PHONY: coverage coverage-build fcov-check

ifeq ($(COVERAGE),1)
VFLAGS   += --coverage-line --coverage-toggle $(COV_VOPT)
CXXFLAGS += -DVM_COVERAGE=1
VL_RT    += verilated_cov.o
$(B)/vobj/verilated_cov.o: $(B)/vobj/Vferry_top__ALL.a
$(B)/ferry_lua $(B)/ferryctl $(UNIT_BINS): $(B)/vobj/verilated_cov.o
endif

coverage: deps
	@COV_SEEDS=$(COV_SEEDS) sim/coverage.sh

coverage-build:
	@$(MAKE) --no-print-directory COVERAGE=1 CFG=default B=$(COV_DIR)/build \
	  $(COV_DIR)/build/ferry_lua $(COV_DIR)/build/ferryctl $(patsubst $(B)/%,$(COV_DIR)/build/%,$(UNIT_BINS))

# fcov-check: make test runs the default scenarios with FERRY_FCOV_DIR=$(FCOV_REGRESS)/fcov;
# this merges those counts into $(FCOV_REGRESS)/functional.md and fails on an item never hit.
FCOV_REGRESS := $(OUT)/regress/fcov
fcov-check:
	@lua5.4 sim/coverage.lua --functional $(FCOV_REGRESS) --check

# ---- simulation speed (owned by tb/icarus, tb/ferry_model.cpp)
# FAST=1 (any target): the fast model under $(OUT)/<cfg>-fast, see the FAST
# block at the top. icarus-speed: the same 1 MiB direct-mode copy under Icarus
# Verilog 11 (tb/icarus/ferry_icarus_tb.v, behavioural AXI memory) and under
# the Verilated default configuration with the full C harness (the checked
# model, or the fast one with FAST=1); prints cycles/s of each and the ratio.
# Icarus needs about 40 s of CPU time for it; not part of make test.
.PHONY: icarus-speed sim-speed

icarus-speed: deps deps-lint
	@$(MAKE) -s --no-print-directory CFG=default $(OUT)/default$(FAST_SUFFIX)/ferry_lua
	@tb/icarus/icarus_speed.sh $(OUT)/icarus $(OUT)/default$(FAST_SUFFIX)/ferry_lua

# sim-speed: the same 1 MiB copy, and 1,000,000 idle cycles, on the checked,
# fast and fast-PGO builds of the default configuration, after checking that
# the three print the same align, b2b and ring output at SEED=1
# (sim/sim_speed.sh; RUNS=N, default 5; about five minutes with the builds).
# Not part of make test.
sim-speed: deps
	@RUNS=$(or $(RUNS),5) sim/sim_speed.sh

# ---- fuzz (owned by tb/fuzz)
# fuzz: libFuzzer (clang -fsanitize=fuzzer) on tb/fuzz/ferry_fuzz.c, which
# decodes each input into a bounded program of register writes, descriptors,
# rings, windows, injected bus errors and clock steps on the Verilated model,
# then checks the protocol checkers, that every channel goes idle, that no
# byte outside the declared destinations changed and that no access left the
# enabled windows (docs/fuzzing.md). The model is verilated with the default
# build's flags and compiled with clang++ under $(OUT)/fuzz (CFG=default).
# FUZZ_SECONDS=N (default 60), SEED (libFuzzer -seed, printed); corpus in
# $(OUT)/fuzz/corpus (seeded from tb/fuzz/seeds), findings in
# $(OUT)/fuzz/crashes. fuzz-replay FILE=x: run one input, printing each step.
# fuzz-check (a regress step): replay tb/fuzz/seeds and tb/fuzz/regress (the
# known open findings of tb/fuzz/regress/KNOWN must still fail), break each
# check on purpose, then FUZZ_CHECK_SECONDS (30) of fuzzing with seed 1.
# FERRY_FUZZ_AVOID=<names from KNOWN> (environment) steers make fuzz past them.
FZ                 := $(OUT)/fuzz
FUZZ_SECONDS       ?= 60
FUZZ_CHECK_SECONDS ?= 30
FUZZ_MODEL_COV     := -fsanitize-coverage=inline-8bit-counters,pc-table
FUZZ_CFLAGS         = -std=c11 -O2 -g -Wall -Wextra -Werror $(INCS) $(CFG_DEFS)
FUZZ_CXXFLAGS       = -std=c++17 -O2 -g -Wall -Wextra -Werror -Wno-unused-function -Itb -isystem $(VLROOT)/include \
                      -isystem $(VLROOT)/include/vltstd $(VL_MODEL_DEFS) $(CFG_DEFS) -isystem $(FZ)/vobj
FUZZ_TB_SRC        := $(TB_SRC) sw/lib/ferry_regs_table.c sw/lib/ferry_desc.c
FUZZ_OBJS           = $(patsubst %.c,$(FZ)/obj/%.o,$(FUZZ_TB_SRC)) $(FZ)/obj/tb/ferry_model.o
FUZZ_VL_LIBS        = $(FZ)/vobj/Vferry_top__ALL.a $(addprefix $(FZ)/vobj/,$(VL_RT))
FUZZ_RUN_FLAGS     := -max_len=1024 -timeout=20 -rss_limit_mb=1024 -print_final_stats=1
.PHONY: fuzz fuzz-build fuzz-replay fuzz-check deps-fuzz

deps-fuzz:
	@sim/deps.sh build fuzz

fuzz-build: deps-fuzz
	@$(MAKE) --no-print-directory -j2 $(FZ)/ferry_fuzz

$(FZ)/params: FORCE
	@mkdir -p $(FZ)
	@echo "$(VFLAGS) $(CFG_DEFS)" | cmp -s - $@ || echo "$(VFLAGS) $(CFG_DEFS)" > $@

$(FZ)/vobj/Vferry_top__ALL.a: $(RTL) $(FZ)/params
	@mkdir -p $(FZ)/vobj
	@echo "  VERILATE fuzz ($(CFG), clang++)"
	$(Q)verilator $(VFLAGS) -Mdir $(FZ)/vobj rtl/*.v
	$(Q)$(MAKE) -s -C $(FZ)/vobj -f Vferry_top.mk CXX=clang++ LINK=clang++ \
	  OPT_FAST="$(VL_OPT_FAST) $(FUZZ_MODEL_COV)" VM_PARALLEL_BUILDS=1 Vferry_top__ALL.a $(VL_RT) >/dev/null

$(addprefix $(FZ)/vobj/,$(VL_RT)): $(FZ)/vobj/Vferry_top__ALL.a

$(FZ)/obj/tb/ferry_model.o: tb/ferry_model.cpp tb/ferry_model.h $(FZ)/vobj/Vferry_top__ALL.a
	@mkdir -p $(dir $@)
	@echo "  CXX $< (clang++)"
	$(Q)clang++ $(FUZZ_CXXFLAGS) -c $< -o $@

$(FZ)/obj/tb/fuzz/ferry_fuzz.o: tb/fuzz/ferry_fuzz.c $(wildcard tb/*.h sw/include/ferry/*.h) $(FZ)/params
	@mkdir -p $(dir $@)
	@echo "  CC $< (clang, libFuzzer)"
	$(Q)clang $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(FZ)/obj/%.o: %.c $(wildcard tb/*.h sw/include/ferry/*.h) $(FZ)/params
	@mkdir -p $(dir $@)
	@echo "  CC $< (clang)"
	$(Q)clang $(FUZZ_CFLAGS) -c $< -o $@

$(FZ)/ferry_fuzz: $(FZ)/obj/tb/fuzz/ferry_fuzz.o $(FUZZ_OBJS) $(FUZZ_VL_LIBS)
	@echo "  LINK $@ (libFuzzer)"
	$(Q)clang++ -fsanitize=fuzzer -o $@ $^ $(LDLIBS) -latomic

fuzz: fuzz-build
	@mkdir -p $(FZ)/corpus $(FZ)/crashes
	@echo "fuzz: $(FUZZ_SECONDS) s, seed $(SEED), corpus $(FZ)/corpus (+ tb/fuzz/seeds), findings in $(FZ)/crashes/"
	$(FZ)/ferry_fuzz $(FUZZ_RUN_FLAGS) -seed=$(SEED) -max_total_time=$(FUZZ_SECONDS) \
	  -artifact_prefix=$(FZ)/crashes/ $(FZ)/corpus tb/fuzz/seeds

fuzz-replay: fuzz-build
	@[ -n "$(FILE)" ] || { echo "fuzz-replay: give FILE=<input>"; exit 1; }
	FERRY_FUZZ_VERBOSE=1 $(FZ)/ferry_fuzz $(FILE)

fuzz-check: fuzz-build
	@tb/fuzz/fuzz_check.sh $(FZ)/ferry_fuzz $(FUZZ_CHECK_SECONDS)

# ---- stream RTL unit benches
# stream-unit: tb/icarus/stream_loop_tb.v under Icarus Verilog: ferry_top in
# the stream configuration, channel 1's m_axis looped into channel 2's s_axis,
# random AXI and stream gaps, every byte and completion record checked,
# MAX_PKT truncation, direct mode, a reset inside a packet, error codes.
# STREAM_RUNS: width:seed:packets per run (default two 64-bit seeds from SEED,
# one 32-bit and one 128-bit run).
.PHONY: stream-unit
STREAM_RUNS ?= 64:$(SEED):40 64:$(shell expr $(SEED) + 1000):40 32:$(shell expr $(SEED) + 2000):16 \
               128:$(shell expr $(SEED) + 3000):24
stream-unit: deps-lint
	@mkdir -p $(OUT)/stream-unit
	@for w in $(sort $(foreach r,$(STREAM_RUNS),$(word 1,$(subst :, ,$(r))))); do \
	  iverilog -g2005 -Wall -Irtl -Itb/icarus -Pstream_loop_tb.DW=$$w -o $(OUT)/stream-unit/stream_loop_$$w.vvp \
	    tb/icarus/stream_loop_tb.v rtl/*.v || exit 1; done
	@rc=0; for r in $(STREAM_RUNS); do \
	  w=$${r%%:*}; s=$${r#*:}; n=$${s#*:}; s=$${s%%:*}; \
	  out=$$(timeout 120 vvp -n $(OUT)/stream-unit/stream_loop_$$w.vvp +seed=$$s +npkt=$$n 2>&1); \
	  echo "$$out" | grep -q "stream: PASS" || { echo "$$out" | tail -20; rc=1; }; \
	  echo "$$out" | grep "stream: PASS\|stream: FAIL" | tail -1 | sed "s/^stream: /stream-unit: DATA_WIDTH $$w: /"; \
	done; exit $$rc

# ---- stream test bench (issue 8; tb/axis_model.*, sim/bench/stream_bench.lua)
# bench-stream: the stream figures of docs/performance.md on CFG=stream:
# loopback rate as a share of the bus peak for 64 B, 1,500 B and 64 KiB
# packets at 200 cycles of memory latency, each next to its bound, and the
# receive ring's starvation behaviour (QUIET=1: no random stalls or gaps).
.PHONY: bench-stream
bench-stream: deps
	@$(MAKE) -s --no-print-directory -j2 CFG=stream build-bins
	@QUIET=1 $(OUT)/stream/ferry_lua sim/bench/stream_bench.lua

# ---- stream waveform picture (docs/img/stream_packet.png in docs/streams.md)
.PHONY: stream-picture
stream-picture: deps deps-wave
	@$(MAKE) -s --no-print-directory -j2 CFG=stream build-bins
	@QUIET=1 WAVES=1 $(OUT)/stream/ferry_lua sim/pictures/stream_packet.lua
	@sim/wave_shot.sh $(OUT)/waves/stream_packet_one_packet.fst sim/stream.gtkw docs/img/stream_packet.png
