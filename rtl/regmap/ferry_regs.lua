-- SPDX-License-Identifier: Apache-2.0
--
-- ferry register map: the one source of truth for BAR0.
--
-- `make regs` turns this file into
--   rtl/ferry_regs.vh              constants the RTL register block decodes with
--   sw/include/ferry/ferry_regs.h  offset / mask / shift macros for C
--   sw/lib/ferry_regs_table.c      names and descriptions (driver messages, demo trace)
--   docs/registers.md              the register reference
-- and `make regs-check` (part of `make test`) fails when any of them is stale.
--
-- Offsets are bytes from the start of BAR0. Global registers sit below
-- channel_base; channel c's block starts at channel_base + c * channel_stride.
-- Access: ro (read-only), rw, w1c (write 1 to clear), wo (write-only: reads 0).
-- A register whose fields are all ro answers a write with SLVERR; a field's
-- `reset` is a number or the name of a build parameter.

local IF_VERSION = { major = 1, minor = 1 }

return {
  name = "ferry",
  magic = 0x46525259,          -- "FRRY"
  if_version = IF_VERSION,
  channel_base = 0x1000,
  channel_stride = 0x100,
  max_channels = 16,
  bar_size = 0x2000,
  undefined_read = 0x00000000, -- read data of an access that answers SLVERR

  globals = {
    { name = "ID", offset = 0x000, desc = "Identification: reads the magic \"FRRY\".",
      fields = { { name = "MAGIC", lsb = 0, width = 32, access = "ro", reset = 0x46525259,
                   desc = "0x46525259, ASCII \"FRRY\". Any other value: not a ferry device." } } },
    { name = "IF_VERSION", offset = 0x004,
      desc = "Register interface version (REG_IF_VERSION). A driver accepts the major it was built for and any minor.",
      fields = {
        { name = "MINOR", lsb = 0, width = 16, access = "ro", reset = IF_VERSION.minor,
          desc = "Backwards-compatible additions." },
        { name = "MAJOR", lsb = 16, width = 16, access = "ro", reset = IF_VERSION.major,
          desc = "Incompatible changes." } } },
    { name = "CAP0", offset = 0x008, desc = "Build capabilities: channels and bus widths.",
      fields = {
        { name = "CHANNELS", lsb = 0, width = 8, access = "ro", reset = "NUM_CHANNELS",
          desc = "Number of DMA channels (1..16)." },
        { name = "DATA_BYTES", lsb = 8, width = 8, access = "ro", reset = "DATA_WIDTH/8",
          desc = "m_axi data bus width in bytes (4..64)." },
        { name = "ADDR_WIDTH", lsb = 16, width = 8, access = "ro", reset = "ADDR_WIDTH",
          desc = "m_axi address width in bits (32..64); addresses at or above 2^ADDR_WIDTH are rejected." } } },
    { name = "CAP1", offset = 0x00C, desc = "Build capabilities: bursts and features.",
      fields = {
        { name = "MAX_BURST", lsb = 0, width = 9, access = "ro", reset = "MAX_BURST_LEN",
          desc = "Longest AXI burst the mover issues, in beats (1..256)." },
        { name = "MAX_OUTSTANDING", lsb = 16, width = 6, access = "ro", reset = "MAX_OUTSTANDING",
          desc = "Bursts a channel may keep in flight per direction (1..32)." },
        { name = "RING", lsb = 30, width = 1, access = "ro", reset = 1,
          desc = "Descriptor ring mode, completion rings, interrupt coalescing and counters are present." },
        { name = "DIRECT", lsb = 31, width = 1, access = "ro", reset = 1,
          desc = "Direct (SRC/DST/LEN/doorbell) mode is present." } } },
    { name = "SCRATCH", offset = 0x010, desc = "Scratch register: no effect on the device; for bus tests.",
      fields = { { name = "VALUE", lsb = 0, width = 32, access = "rw", reset = 0, desc = "Any value." } } },
    { name = "CYCLE_LO", offset = 0x018,
      desc = "Free-running cycle counter, low word. Reading it latches the high word into CYCLE_HI.",
      read_effect = "latches the counter's bits 63:32 into CYCLE_HI",
      fields = { { name = "VALUE", lsb = 0, width = 32, access = "ro", reset = 0, desc = "Cycles since reset, bits 31:0." } } },
    { name = "CYCLE_HI", offset = 0x01C, desc = "Cycle counter bits 63:32 as latched by the last CYCLE_LO read.",
      fields = { { name = "VALUE", lsb = 0, width = 32, access = "ro", reset = 0, desc = "Cycles since reset, bits 63:32." } } },
    { name = "IRQ_STATUS", offset = 0x020, desc = "Level of each channel's interrupt line.",
      fields = { { name = "CHANNELS", lsb = 0, width = 16, access = "ro", reset = 0,
                   desc = "Bit c is irq[c]." } } },
  },

  channel = {
    { name = "SRC_LO", offset = 0x00, desc = "Source bus address, bits 31:0. Latched at the doorbell.",
      fields = { { name = "ADDR", lsb = 0, width = 32, access = "rw", reset = 0, desc = "Byte address; any alignment." } } },
    { name = "SRC_HI", offset = 0x04, desc = "Source bus address, bits 63:32.",
      fields = { { name = "ADDR", lsb = 0, width = 32, access = "rw", reset = 0, desc = "Upper address bits." } } },
    { name = "DST_LO", offset = 0x08, desc = "Destination bus address, bits 31:0. Latched at the doorbell.",
      fields = { { name = "ADDR", lsb = 0, width = 32, access = "rw", reset = 0, desc = "Byte address; any alignment." } } },
    { name = "DST_HI", offset = 0x0C, desc = "Destination bus address, bits 63:32.",
      fields = { { name = "ADDR", lsb = 0, width = 32, access = "rw", reset = 0, desc = "Upper address bits." } } },
    { name = "LEN", offset = 0x10, desc = "Transfer length in bytes. Latched at the doorbell.",
      fields = { { name = "BYTES", lsb = 0, width = 32, access = "rw", reset = 0,
                   desc = "1 to 0xFFFFFFFF bytes; 0 is rejected with ERR_CODE LEN_ZERO." } } },
    { name = "CTRL", offset = 0x14, desc = "Channel control.",
      fields = { { name = "START", lsb = 0, width = 1, access = "wo", reset = 0,
                   desc = "Doorbell: write 1 to start a direct transfer with SRC, DST and LEN. Ignored while BUSY (STATUS.DB_OVERRUN is set instead)." } } },
    { name = "STATUS", offset = 0x18, desc = "Channel status.",
      fields = {
        { name = "BUSY", lsb = 0, width = 1, access = "ro", reset = 0,
          desc = "A transfer is running: from the doorbell until its last write response." },
        { name = "DONE", lsb = 1, width = 1, access = "w1c", reset = 0,
          desc = "A transfer completed without error; every byte has been written (last write response received)." },
        { name = "ERROR", lsb = 2, width = 1, access = "w1c", reset = 0,
          desc = "A transfer was rejected or failed; ERR_CODE says why. Clearing ERROR clears ERR_CODE." },
        { name = "DB_OVERRUN", lsb = 3, width = 1, access = "w1c", reset = 0,
          desc = "A doorbell arrived while BUSY and was ignored; the running transfer is unaffected." },
        { name = "CPL", lsb = 4, width = 1, access = "w1c", reset = 0,
          desc = "Ring mode: completions are waiting for software (set by interrupt coalescing: IRQ_COUNT eligible completions, or IRQ_TIMER cycles after the first)." },
        { name = "RING_ACTIVE", lsb = 5, width = 1, access = "ro", reset = 0,
          desc = "Ring mode is enabled, or still draining after RING_CTRL.ENABLE was cleared." },
        { name = "ERR_CODE", lsb = 8, width = 8, access = "ro", reset = 0,
          desc = "Error code of the last failed transfer (see Error codes)." } } },
    { name = "IRQ_ENABLE", offset = 0x1C, desc = "Which STATUS bits raise the channel's interrupt line (level, until cleared).",
      fields = {
        { name = "DONE", lsb = 0, width = 1, access = "rw", reset = 0, desc = "irq while STATUS.DONE." },
        { name = "ERROR", lsb = 1, width = 1, access = "rw", reset = 0, desc = "irq while STATUS.ERROR." },
        { name = "CPL", lsb = 2, width = 1, access = "rw", reset = 0, desc = "irq while STATUS.CPL (ring completions)." } } },
    { name = "RING_BASE_LO", offset = 0x20, desc = "Descriptor ring base bus address, bits 31:0; 32-byte aligned. Latched when the ring is enabled.",
      fields = { { name = "ADDR", lsb = 0, width = 32, access = "rw", reset = 0, desc = "Byte address of descriptor 0." } } },
    { name = "RING_BASE_HI", offset = 0x24, desc = "Descriptor ring base, bits 63:32.",
      fields = { { name = "ADDR", lsb = 0, width = 32, access = "rw", reset = 0, desc = "Upper address bits." } } },
    { name = "RING_CTRL", offset = 0x28, desc = "Ring mode control.",
      fields = {
        { name = "ENABLE", lsb = 0, width = 1, access = "rw", reset = 0,
          desc = "1: start ring mode (checks the configuration, resets PROD, CONS and the phase). 0: stop fetching; descriptors already fetched complete." },
        { name = "LOG2_SIZE", lsb = 8, width = 5, access = "rw", reset = 0,
          desc = "Ring entries = 2^LOG2_SIZE, 1..15; the completion ring has the same number of entries." } } },
    { name = "RING_PROD", offset = 0x2C, desc = "Producer index: software writes the index after its last new descriptor (the doorbell).",
      fields = { { name = "INDEX", lsb = 0, width = 16, access = "rw", reset = 0,
                   desc = "0..entries-1. Written after the descriptors are in memory. Out of range: ERROR PROD_RANGE, ignored." } } },
    { name = "RING_CONS", offset = 0x30, desc = "Consumer index: descriptors up to (not including) this one are complete and their completion records written.",
      fields = { { name = "INDEX", lsb = 0, width = 16, access = "ro", reset = 0, desc = "0..entries-1." } } },
    { name = "CPL_BASE_LO", offset = 0x34, desc = "Completion ring base bus address, bits 31:0; 16-byte aligned. Latched when the ring is enabled.",
      fields = { { name = "ADDR", lsb = 0, width = 32, access = "rw", reset = 0, desc = "Byte address of record 0." } } },
    { name = "CPL_BASE_HI", offset = 0x38, desc = "Completion ring base, bits 63:32.",
      fields = { { name = "ADDR", lsb = 0, width = 32, access = "rw", reset = 0, desc = "Upper address bits." } } },
    { name = "IRQ_COUNT", offset = 0x3C, desc = "Interrupt coalescing by count.",
      fields = { { name = "COUNT", lsb = 0, width = 16, access = "rw", reset = 1,
                   desc = "STATUS.CPL is set after this many eligible completions (descriptor flag IRQ, or an error); 0 behaves as 1." } } },
    { name = "IRQ_TIMER", offset = 0x40, desc = "Interrupt coalescing by time.",
      fields = { { name = "CYCLES", lsb = 0, width = 32, access = "rw", reset = 0,
                   desc = "STATUS.CPL is set this many cycles after the first eligible completion not yet signalled; 0 = off." } } },
    { name = "WEIGHT", offset = 0x44, desc = "Arbiter weight: when channels compete for the bus, each gets WEIGHT / (sum of the competing channels' weights) of the bursts.",
      fields = { { name = "VALUE", lsb = 0, width = 8, access = "rw", reset = 1, desc = "1..255; 0 behaves as 1." } } },
    { name = "MAX_OUT", offset = 0x48, desc = "This channel's limit on bursts in flight per direction.",
      fields = { { name = "VALUE", lsb = 0, width = 6, access = "rw", reset = "MAX_OUTSTANDING",
                   desc = "1..CAP1.MAX_OUTSTANDING; 0 behaves as 1, larger values as the maximum." } } },
    { name = "BYTES_RD_LO", offset = 0x80, desc = "Bytes read (counted when a transfer's or row's data has all arrived), bits 31:0.",
      fields = { { name = "VALUE", lsb = 0, width = 32, access = "ro", reset = 0, desc = "Read HI, LO, HI; retry if HI changed." } } },
    { name = "BYTES_RD_HI", offset = 0x84, desc = "Bytes read, bits 63:32.",
      fields = { { name = "VALUE", lsb = 0, width = 32, access = "ro", reset = 0, desc = "Upper bits." } } },
    { name = "BYTES_WR_LO", offset = 0x88, desc = "Bytes written (strobed bytes of W beats), bits 31:0.",
      fields = { { name = "VALUE", lsb = 0, width = 32, access = "ro", reset = 0, desc = "Read HI, LO, HI; retry if HI changed." } } },
    { name = "BYTES_WR_HI", offset = 0x8C, desc = "Bytes written, bits 63:32.",
      fields = { { name = "VALUE", lsb = 0, width = 32, access = "ro", reset = 0, desc = "Upper bits." } } },
    { name = "DESC_DONE", offset = 0x90, desc = "Transfers completed (direct transfers and descriptors, with or without error).",
      fields = { { name = "VALUE", lsb = 0, width = 32, access = "ro", reset = 0, desc = "Wraps at 2^32." } } },
    { name = "ERRORS", offset = 0x94, desc = "Errors reported (rejected doorbells and descriptors, bus errors).",
      fields = { { name = "VALUE", lsb = 0, width = 32, access = "ro", reset = 0, desc = "Wraps at 2^32." } } },
    { name = "BUSY_LO", offset = 0x98, desc = "Cycles with work pending (BUSY), bits 31:0.",
      fields = { { name = "VALUE", lsb = 0, width = 32, access = "ro", reset = 0, desc = "Read HI, LO, HI." } } },
    { name = "BUSY_HI", offset = 0x9C, desc = "Busy cycles, bits 63:32.",
      fields = { { name = "VALUE", lsb = 0, width = 32, access = "ro", reset = 0, desc = "Upper bits." } } },
    { name = "WAIT_LO", offset = 0xA0, desc = "Cycles a burst request of this channel waited for the arbiter's grant, bits 31:0.",
      fields = { { name = "VALUE", lsb = 0, width = 32, access = "ro", reset = 0, desc = "Read HI, LO, HI." } } },
    { name = "WAIT_HI", offset = 0xA4, desc = "Grant-wait cycles, bits 63:32.",
      fields = { { name = "VALUE", lsb = 0, width = 32, access = "ro", reset = 0, desc = "Upper bits." } } },
    { name = "STALL_LO", offset = 0xA8, desc = "Cycles stalled by the bus (reads in flight and no R beat, or a W beat held by WREADY), bits 31:0.",
      fields = { { name = "VALUE", lsb = 0, width = 32, access = "ro", reset = 0, desc = "Read HI, LO, HI." } } },
    { name = "STALL_HI", offset = 0xAC, desc = "Bus-stall cycles, bits 63:32.",
      fields = { { name = "VALUE", lsb = 0, width = 32, access = "ro", reset = 0, desc = "Upper bits." } } },
  },

  errors = {
    { name = "NONE", code = 0, desc = "No error." },
    { name = "LEN_ZERO", code = 1, desc = "LEN was 0 at the doorbell; nothing was transferred." },
    { name = "ADDR_RANGE", code = 2,
      desc = "SRC + LEN or DST + LEN passes 2^ADDR_WIDTH (the transfer would wrap the address space); nothing was transferred." },
    { name = "RD_RESP", code = 3, desc = "A data read answered SLVERR or DECERR; the transfer ran to its end, destination contents are undefined." },
    { name = "WR_RESP", code = 4, desc = "A data write answered SLVERR or DECERR; the transfer ran to its end, destination contents are undefined." },
    { name = "DESC_RESERVED", code = 5, desc = "A descriptor has reserved bits set (flags 31:30, or ROWS/strides without the 2D flag); nothing was transferred." },
    { name = "RING_CONFIG", code = 6, desc = "Ring enable refused: RING_BASE not 32-byte aligned, CPL_BASE not 16-byte aligned, LOG2_SIZE outside 1..15, or the channel still busy (a direct transfer, or a ring draining)." },
    { name = "PROD_RANGE", code = 7, desc = "RING_PROD written with an index >= the ring size; ignored." },
    { name = "RING_OFF", code = 8, desc = "RING_PROD written while the ring is disabled, or CTRL.START while it is enabled; ignored." },
    { name = "DESC_FETCH", code = 9, desc = "A descriptor fetch answered SLVERR or DECERR; the descriptor completes with this code and moves nothing." },
    { name = "CPL_WRITE", code = 10, desc = "A completion record write answered SLVERR or DECERR." },
    { name = "FIXED_ALIGN", code = 11, desc = "A fixed (FIFO) address is not aligned to the bus width; nothing was transferred." },
  },
}
