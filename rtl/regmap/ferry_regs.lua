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

local IF_VERSION = { major = 2, minor = 1 }

-- Window n's four registers (WINn_BASE_LO/HI, WINn_LIMIT_LO/HI at 0xC0 + 16 n).
local function window_regs(n)
  local o = 0xC0 + 16 * n
  local w = "Window " .. n
  return {
    { name = "WIN" .. n .. "_BASE_LO", offset = o,
      desc = w .. ": first byte address, bits 31:12, and permissions (4 KiB granularity).",
      fields = {
        { name = "READ", lsb = 0, width = 1, access = "rw", reset = 0, desc = "Data reads and descriptor fetches may use the window." },
        { name = "WRITE", lsb = 1, width = 1, access = "rw", reset = 0, desc = "Data writes and completion records may use the window." },
        { name = "ADDR", lsb = 12, width = 20, access = "rw", reset = 0, desc = "Base address bits 31:12." } } },
    { name = "WIN" .. n .. "_BASE_HI", offset = o + 4, desc = w .. ": base address bits 63:32.",
      fields = { { name = "ADDR", lsb = 0, width = 32, access = "rw", reset = 0, desc = "Upper address bits." } } },
    { name = "WIN" .. n .. "_LIMIT_LO", offset = o + 8, desc = w .. ": last 4 KiB page (inclusive), address bits 31:12.",
      fields = { { name = "ADDR", lsb = 12, width = 20, access = "rw", reset = 0,
                   desc = "Limit address bits 31:12; the window ends at LIMIT | 0xFFF." } } },
    { name = "WIN" .. n .. "_LIMIT_HI", offset = o + 12, desc = w .. ": limit address bits 63:32.",
      fields = { { name = "ADDR", lsb = 0, width = 32, access = "rw", reset = 0, desc = "Upper address bits." } } },
  }
end

local map = {
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
        { name = "WINDOWS", lsb = 12, width = 3, access = "ro", reset = "NUM_WINDOWS",
          desc = "Address windows per channel (0..4); 0: no DMA firewall in this build." },
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
    { name = "CAP2", offset = 0x024, desc = "Build capabilities: the kind of each channel (interface 2.1). A channel in neither mask copies memory to memory.",
      fields = {
        { name = "H2C", lsb = 0, width = 16, access = "ro", reset = "H2C_MASK",
          desc = "Bit c: channel c is host-to-card: it reads memory and sends the data on its m_axis stream." },
        { name = "C2H", lsb = 16, width = 16, access = "ro", reset = "C2H_MASK",
          desc = "Bit c: channel c is card-to-host: it writes packets from its s_axis stream into receive buffers." } } },
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
      fields = {
        { name = "START", lsb = 0, width = 1, access = "wo", reset = 0,
          desc = "Doorbell: write 1 to start a direct transfer with SRC, DST and LEN. Ignored while BUSY (STATUS.DB_OVERRUN is set instead)." },
        { name = "ABORT", lsb = 1, width = 1, access = "wo", reset = 0,
          desc = "Stop the channel at a burst boundary: no new request, every outstanding one drained, then ERROR ABORTED with ERR_BYTES and (ring) HALTED. Ignored when nothing runs." },
        { name = "RESUME", lsb = 2, width = 1, access = "wo", reset = 0,
          desc = "Leave HALTED and run the ring again from RING_CONS (the halted descriptor, fetched again). NOT_HALTED if the ring is not halted." },
        { name = "SKIP", lsb = 3, width = 1, access = "wo", reset = 0,
          desc = "Leave HALTED, count the halted descriptor as consumed (its error record stands) and go on with the next (halted at RING_PROD, where there is none, it only leaves HALTED). NOT_HALTED if the ring is not halted." },
        { name = "RESET", lsb = 4, width = 1, access = "wo", reset = 0,
          desc = "Per-channel reset: stop and drain like ABORT, then every register and counter of this channel back to its reset value (locked windows stay). STATUS.BUSY until done; until then a write to any other register of the channel but STATUS, and a CTRL write with START, answers SLVERR and changes nothing." } } },
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
        { name = "HALTED", lsb = 6, width = 1, access = "ro", reset = 0,
          desc = "Ring mode stopped at descriptor RING_CONS after an error, ABORT or watchdog timeout; its completion record (if it could be written) has the error. CTRL.RESUME, CTRL.SKIP, CTRL.RESET or RING_CTRL.ENABLE = 0 leave it (a ring disabled while it drains is not halted)." },
        { name = "STOPPING", lsb = 7, width = 1, access = "ro", reset = 0,
          desc = "After an error, ABORT, timeout or RESET: no new bus requests, outstanding ones draining. BUSY stays set until they are all answered." },
        { name = "ERR_CODE", lsb = 8, width = 8, access = "ro", reset = 0,
          desc = "Error code of the last failed transfer (see Error codes)." },
        { name = "STARVED", lsb = 16, width = 1, access = "ro", reset = 0,
          desc = "Card-to-host: stream data is waiting and no receive buffer is posted; the stream is back-pressured (nothing is dropped). Live." } } },
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
    { name = "WDOG", offset = 0x4C, desc = "Watchdog: cycles without progress (no handshake on any of this channel's bus channels, no descriptor or completion progress) while BUSY before ERROR TIMEOUT.",
      fields = { { name = "CYCLES", lsb = 0, width = 32, access = "rw", reset = 0,
                   desc = "0 = off. On expiry the channel stops like CTRL.ABORT with ERR_CODE TIMEOUT." } } },
    { name = "ERR_ADDR_LO", offset = 0x50, desc = "Bus address of the last error, bits 31:0: the failing burst, descriptor, completion record, or the access outside the windows.",
      fields = { { name = "ADDR", lsb = 0, width = 32, access = "ro", reset = 0, desc = "Byte address (burst start for bus errors)." } } },
    { name = "ERR_ADDR_HI", offset = 0x54, desc = "Bus address of the last error, bits 63:32.",
      fields = { { name = "ADDR", lsb = 0, width = 32, access = "ro", reset = 0, desc = "Upper address bits." } } },
    { name = "ERR_DESC", offset = 0x58, desc = "Ring index of the descriptor the last error belongs to (0 in direct mode).",
      fields = { { name = "INDEX", lsb = 0, width = 16, access = "ro", reset = 0, desc = "0..entries-1." } } },
    { name = "ERR_BYTES", offset = 0x5C, desc = "Bytes of the failed transfer or descriptor written and acknowledged (OKAY) before it stopped, counted from its start; the residue is its length minus this.",
      fields = { { name = "BYTES", lsb = 0, width = 32, access = "ro", reset = 0, desc = "For 2D descriptors, whole rows first, in row order." } } },
    { name = "WIN_CTRL", offset = 0x60, desc = "Address windows (DMA firewall) control.",
      fields = {
        { name = "ENABLE", lsb = 0, width = 1, access = "rw", reset = 0,
          desc = "1: every data read, data write, descriptor fetch and completion write must lie inside an enabled window with the right permission; anything else is never issued and gives ERROR WINDOW." },
        { name = "LOCK", lsb = 1, width = 1, access = "rw", reset = 0,
          desc = "Write 1 to lock: WIN_CTRL and the WINn registers then answer writes with SLVERR until a global reset (CTRL.RESET keeps them)." } } },
    { name = "STREAM", offset = 0x64, desc = "Stream channels (interface 2.1): the channel's kind and live stream state.",
      fields = {
        { name = "KIND", lsb = 0, width = 2, access = "ro", reset = "KIND",
          desc = "0 memory to memory, 1 host-to-card (memory to m_axis), 2 card-to-host (s_axis to memory); fixed at build time (ferry_top H2C_MASK, C2H_MASK)." },
        { name = "STARVED", lsb = 8, width = 1, access = "ro", reset = 0,
          desc = "Same as STATUS.STARVED." },
        { name = "IN_PACKET", lsb = 9, width = 1, access = "ro", reset = 0,
          desc = "A packet has started and not ended: host-to-card, beats sent since the last TLAST; card-to-host, beats taken by the input stage (behind the lane's two-beat register slice) since the last TLAST." } } },
    { name = "MAX_PKT", offset = 0x68, desc = "Card-to-host: longest packet accepted, in bytes; the rest of a longer packet is dropped and its last buffer's record says TRUNCATED.",
      fields = { { name = "BYTES", lsb = 0, width = 32, access = "rw", reset = 0,
                   desc = "0 = no limit. Counted in whole bus beats: a value that is not a multiple of CAP0.DATA_BYTES is rounded down to one (at least one beat)." } } },
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
    { name = "STARVE_LO", offset = 0xB0, desc = "Card-to-host: cycles the stream was back-pressured because no receive buffer was posted (STATUS.STARVED), bits 31:0.",
      fields = { { name = "VALUE", lsb = 0, width = 32, access = "ro", reset = 0, desc = "Read HI, LO, HI." } } },
    { name = "STARVE_HI", offset = 0xB4, desc = "Starved cycles, bits 63:32.",
      fields = { { name = "VALUE", lsb = 0, width = 32, access = "ro", reset = 0, desc = "Upper bits." } } },
    { name = "PACKETS", offset = 0xB8, desc = "Stream packets: host-to-card, beats sent with TLAST; card-to-host, records written with EOP.",
      fields = { { name = "VALUE", lsb = 0, width = 32, access = "ro", reset = 0, desc = "Wraps at 2^32." } } },
  },

  errors = {
    { name = "NONE", code = 0, desc = "No error." },
    { name = "LEN_ZERO", code = 1, desc = "LEN was 0 at the doorbell; nothing was transferred." },
    { name = "ADDR_RANGE", code = 2,
      desc = "SRC + LEN or DST + LEN passes 2^ADDR_WIDTH (the transfer would wrap the address space); nothing was transferred." },
    { name = "RD_RESP", code = 3, desc = "A data read answered SLVERR or DECERR. The channel stopped at once (no new reads; the data already read is written, the failed beats with no strobes); ERR_ADDR is the burst, ERR_BYTES the bytes written before it." },
    { name = "WR_RESP", code = 4, desc = "A data write answered SLVERR or DECERR. The channel stopped (no new reads, outstanding writes drained); ERR_ADDR is the burst, ERR_BYTES the bytes acknowledged before it." },
    { name = "DESC_RESERVED", code = 5, desc = "A descriptor has reserved bits set (flags 31:30, or ROWS/strides without the 2D flag); nothing was transferred." },
    { name = "RING_CONFIG", code = 6, desc = "Ring enable refused: LOG2_SIZE outside 1..15." },
    { name = "PROD_RANGE", code = 7, desc = "RING_PROD written with an index >= the ring size; ignored." },
    { name = "RING_OFF", code = 8, desc = "RING_PROD written while the ring is disabled, or CTRL.START while it is enabled; ignored." },
    { name = "DESC_FETCH", code = 9, desc = "A descriptor fetch answered SLVERR or DECERR; the descriptor moves nothing, its record has this code and the ring halts at it. ERR_ADDR is the descriptor's address." },
    { name = "CPL_WRITE", code = 10, desc = "A completion record write answered SLVERR or DECERR; the ring halts at its descriptor (ERR_ADDR is the record's address)." },
    { name = "FIXED_ALIGN", code = 11, desc = "A fixed (FIFO) address is not aligned to the bus width; nothing was transferred." },
    { name = "RING_ALIGN", code = 12, desc = "Ring enable refused: RING_BASE is not 32-byte aligned." },
    { name = "CPL_ALIGN", code = 13, desc = "Ring enable refused: CPL_BASE is not 16-byte aligned." },
    { name = "CFG_BUSY", code = 14,
      desc = "Configuration written while in use: ring enable while the channel is busy, RING_BASE or CPL_BASE written or LOG2_SIZE changed while RING_ACTIVE. The write is ignored; the running work is unaffected." },
    { name = "LEN_MAX", code = 15, desc = "A 2D descriptor's total (ROWS x LEN) is 2^32 bytes or more; nothing was transferred." },
    { name = "WINDOW", code = 16,
      desc = "An access lies outside every enabled address window with the needed permission (WIN_CTRL.ENABLE); it was never issued. ERR_ADDR is its start." },
    { name = "TIMEOUT", code = 17, desc = "The watchdog (WDOG) expired: no progress for WDOG cycles; the channel stopped and drained." },
    { name = "ABORTED", code = 18, desc = "Stopped by CTRL.ABORT (or CTRL.RESET); ERR_BYTES says how far it got." },
    { name = "NOT_HALTED", code = 19, desc = "CTRL.RESUME or CTRL.SKIP written while the ring is not halted; ignored." },
    { name = "TRUNCATED", code = 20,
      desc = "Card-to-host: a packet was longer than MAX_PKT; its first MAX_PKT bytes were written, the rest dropped. Reported in the record of the packet's last buffer (with EOP); the ring does not halt." },
    { name = "STREAM_ALIGN", code = 21,
      desc = "Card-to-host: a receive buffer's address or length is not a multiple of the bus width (CAP0.DATA_BYTES); nothing was written." },
    { name = "STREAM_MODE", code = 22,
      desc = "A direct-mode doorbell (CTRL.START) on a card-to-host channel, which receives into ring buffers only; ignored." },
  },
}

-- The windows' registers follow WIN_CTRL in the table (and so in the docs).
for pos, r in ipairs(map.channel) do
  if r.name == "WIN_CTRL" then
    for n = 3, 0, -1 do
      for k = 4, 1, -1 do
        table.insert(map.channel, pos + 1, window_regs(n)[k])
      end
    end
    break
  end
end

return map
