/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ferry_model.cpp: the only C++ file of the test bench. Wraps Vferry_top
 * behind the extern "C" API of ferry_model.h.
 *
 * Time line of one cycle (units of the context, 10 per cycle):
 *   T+0 falling edge (clk low), T+1 new inputs settled (fm_eval),
 *   T+5 rising edge, T+10 falling edge of the next cycle.
 *
 * Speed: every eval() of a Verilator 5 model runs the whole input
 * combinational region (ico), whatever changed. Without a waveform the
 * falling edge is therefore not evaluated on its own: fm_clock leaves clk low
 * unevaluated and the next fm_eval settles it together with the new inputs
 * (no logic runs on the falling edge, so nothing observable changes). Two
 * evals per cycle instead of three. With a waveform all three are kept so the
 * FST shows the falling edge at its own time.
 *
 * Built with FERRY_NO_TRACE (make FAST=1), the model has no tracing: fm_new
 * refuses a waveform path with a message.
 */
#include "ferry_model.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "Vferry_top.h"
#include "verilated.h"
#ifndef FERRY_NO_TRACE
#include "verilated_fst_c.h"
#else
class VerilatedFstC; /* never created in a build without tracing */
#endif
#if VM_COVERAGE
#include <unistd.h>

#include "verilated_cov.h"
#endif

#ifndef FERRY_DATA_WIDTH
#define FERRY_DATA_WIDTH 64
#endif
#ifndef FERRY_NUM_CHANNELS
#define FERRY_NUM_CHANNELS 4
#endif

static_assert(FERRY_DATA_WIDTH >= 32 && FERRY_DATA_WIDTH <= 512 &&
                  (FERRY_DATA_WIDTH & (FERRY_DATA_WIDTH - 1)) == 0,
              "FERRY_DATA_WIDTH must be a power of two in 32..512");
static_assert(FERRY_NUM_CHANNELS >= 1 && FERRY_NUM_CHANNELS <= 16,
              "FERRY_NUM_CHANNELS must be in 1..16");

struct fm {
    VerilatedContext *ctx;
    Vferry_top *top;
    VerilatedFstC *fst;
    uint64_t fall_time; /* time of the last falling edge */
};

/* ---- pin copy helpers: one overload per Verilator storage type ---- */

static inline void put_u(CData &p, uint64_t v) { p = (CData)v; }
static inline void put_u(SData &p, uint64_t v) { p = (SData)v; }
static inline void put_u(IData &p, uint64_t v) { p = (IData)v; }
static inline void put_u(QData &p, uint64_t v) { p = (QData)v; }
static inline uint64_t get_u(const CData &p) { return p; }
static inline uint64_t get_u(const SData &p) { return p; }
static inline uint64_t get_u(const IData &p) { return p; }
static inline uint64_t get_u(const QData &p) { return p; }

static inline void put_bytes(CData &p, const uint8_t *b) { p = b[0]; }
static inline void put_bytes(SData &p, const uint8_t *b) { p = (SData)(b[0] | (b[1] << 8)); }
static inline void put_bytes(IData &p, const uint8_t *b)
{
    p = (IData)b[0] | ((IData)b[1] << 8) | ((IData)b[2] << 16) | ((IData)b[3] << 24);
}
static inline void put_bytes(QData &p, const uint8_t *b)
{
    QData v = 0;
    for (int i = 7; i >= 0; i--) {
        v = (v << 8) | b[i];
    }
    p = v;
}
template <std::size_t N> static inline void put_bytes(VlWide<N> &p, const uint8_t *b)
{
    for (std::size_t w = 0; w < N; w++) {
        const uint8_t *q = b + 4 * w;
        p[w] = (EData)q[0] | ((EData)q[1] << 8) | ((EData)q[2] << 16) | ((EData)q[3] << 24);
    }
}

static inline void get_bytes(const CData &p, uint8_t *b) { b[0] = p; }
static inline void get_bytes(const SData &p, uint8_t *b)
{
    b[0] = (uint8_t)p;
    b[1] = (uint8_t)(p >> 8);
}
static inline void get_bytes(const IData &p, uint8_t *b)
{
    for (int i = 0; i < 4; i++) {
        b[i] = (uint8_t)(p >> (8 * i));
    }
}
static inline void get_bytes(const QData &p, uint8_t *b)
{
    for (int i = 0; i < 8; i++) {
        b[i] = (uint8_t)(p >> (8 * i));
    }
}
template <std::size_t N> static inline void get_bytes(const VlWide<N> &p, uint8_t *b)
{
    for (std::size_t w = 0; w < N; w++) {
        for (int i = 0; i < 4; i++) {
            b[4 * w + i] = (uint8_t)(p[w] >> (8 * i));
        }
    }
}

/* The storage of the data ports must be exactly DATA_WIDTH bits. */
static_assert(sizeof(((Vferry_top *)nullptr)->m_axi_rdata) * 8 == FERRY_DATA_WIDTH,
              "FERRY_DATA_WIDTH does not match the Verilated m_axi_rdata");
static_assert(sizeof(((Vferry_top *)nullptr)->m_axi_wdata) * 8 == FERRY_DATA_WIDTH,
              "FERRY_DATA_WIDTH does not match the Verilated m_axi_wdata");

/* ---- API ---- */

static void split_args(const char *s, std::vector<std::string> &out)
{
    if (!s) {
        return;
    }
    std::string cur;
    for (const char *p = s;; p++) {
        if (*p == '\0' || *p == ' ' || *p == '\t' || *p == '\n') {
            if (!cur.empty()) {
                out.push_back(cur);
                cur.clear();
            }
            if (*p == '\0') {
                break;
            }
        } else {
            cur += *p;
        }
    }
}

extern "C" fm_t *fm_new(const char *fst_path, const char *vl_args)
{
    fm_t *fm = new (std::nothrow) fm_t();
    if (!fm) {
        fprintf(stderr, "fm_new: out of memory\n");
        return nullptr;
    }
    fm->ctx = new VerilatedContext; /* also becomes the thread's context */
    Verilated::threadContextp(fm->ctx);

    std::vector<std::string> args;
    args.push_back("ferry_tb");
    split_args(vl_args, args);
    split_args(getenv("FERRY_VL_ARGS"), args);
    std::vector<const char *> argv;
    for (const std::string &a : args) {
        argv.push_back(a.c_str());
    }
    fm->ctx->commandArgs((int)argv.size(), argv.data());
    /* Restart the reset-value generator even if the seed did not change, so
     * one seed gives the same reset values in every model of the process. */
    fm->ctx->randSeed(fm->ctx->randSeed());

#ifdef FERRY_NO_TRACE
    if (fst_path) {
        fprintf(stderr, "fm_new: cannot write FST '%s': this model is built without tracing (FAST=1); "
                        "rebuild without FAST for waveforms\n", fst_path);
        delete fm->ctx;
        Verilated::threadContextp(nullptr);
        delete fm;
        return nullptr;
    }
    fm->top = new Vferry_top{fm->ctx, "TOP"};
#else
    if (fst_path) {
        fm->ctx->traceEverOn(true);
    }
    fm->top = new Vferry_top{fm->ctx, "TOP"};
    if (fst_path) {
        fm->fst = new VerilatedFstC;
        fm->top->trace(fm->fst, 99);
        fm->fst->open(fst_path);
        if (!fm->fst->isOpen()) {
            fprintf(stderr, "fm_new: cannot open FST '%s'\n", fst_path);
            fm_free(fm);
            return nullptr;
        }
    }
#endif
    fm->top->clk = 0;
    fm->top->eval();
#ifndef FERRY_NO_TRACE
    if (fm->fst) {
        fm->fst->dump(fm->ctx->time());
    }
#endif
    fm->fall_time = fm->ctx->time();
    return fm;
}

extern "C" void fm_free(fm_t *fm)
{
    if (!fm) {
        return;
    }
    Verilated::threadContextp(fm->ctx);
    if (fm->top) {
        fm->top->final();
    }
#ifndef FERRY_NO_TRACE
    if (fm->fst) {
        fm->fst->close();
        delete fm->fst;
    }
#endif
#if VM_COVERAGE
    /* Coverage build (make coverage): each model writes its own counts. */
    if (const char *dir = getenv("FERRY_COV_DIR")) {
        static unsigned n;
        std::string path = std::string(dir) + "/cov_" + std::to_string(getpid()) + "_" +
                           std::to_string(n++) + ".dat";
        fm->ctx->coveragep()->write(path.c_str());
    }
#endif
    delete fm->top;
    delete fm->ctx;
    /* No dangling thread context; the next fm_new() installs its own. */
    Verilated::threadContextp(nullptr);
    delete fm;
}

extern "C" void fm_set_inputs(fm_t *fm, const fm_in_t *in)
{
    Vferry_top *t = fm->top;
    put_u(t->rst_n, in->rst_n);
    put_u(t->s_axil_awaddr, in->s_axil_awaddr);
    put_u(t->s_axil_awprot, in->s_axil_awprot);
    put_u(t->s_axil_awvalid, in->s_axil_awvalid);
    put_u(t->s_axil_wdata, in->s_axil_wdata);
    put_u(t->s_axil_wstrb, in->s_axil_wstrb);
    put_u(t->s_axil_wvalid, in->s_axil_wvalid);
    put_u(t->s_axil_bready, in->s_axil_bready);
    put_u(t->s_axil_araddr, in->s_axil_araddr);
    put_u(t->s_axil_arprot, in->s_axil_arprot);
    put_u(t->s_axil_arvalid, in->s_axil_arvalid);
    put_u(t->s_axil_rready, in->s_axil_rready);
    put_u(t->m_axi_awready, in->m_axi_awready);
    put_u(t->m_axi_wready, in->m_axi_wready);
    put_u(t->m_axi_bid, in->m_axi_bid);
    put_u(t->m_axi_bresp, in->m_axi_bresp);
    put_u(t->m_axi_bvalid, in->m_axi_bvalid);
    put_u(t->m_axi_arready, in->m_axi_arready);
    put_u(t->m_axi_rid, in->m_axi_rid);
    put_u(t->m_axi_rresp, in->m_axi_rresp);
    put_u(t->m_axi_rlast, in->m_axi_rlast);
    put_u(t->m_axi_rvalid, in->m_axi_rvalid);
    put_bytes(t->m_axi_rdata, in->m_axi_rdata);
}

static void dump_at(fm_t *fm, uint64_t t)
{
    if (fm->ctx->time() < t) {
        fm->ctx->time(t);
    }
#ifndef FERRY_NO_TRACE
    if (fm->fst) {
        fm->fst->dump(fm->ctx->time());
    }
#endif
}

extern "C" void fm_eval(fm_t *fm)
{
    Verilated::threadContextp(fm->ctx);
    fm->top->clk = 0;
    fm->top->eval();
    dump_at(fm, fm->fall_time + 1);
}

extern "C" void fm_get_outputs(const fm_t *fm, fm_out_t *out)
{
    const Vferry_top *t = fm->top;
    /* Every field is written below; only the unused tail of the data bytes is cleared. */
    memset(out->m_axi_wdata + sizeof(t->m_axi_wdata), 0, FM_MAX_DATA_BYTES - sizeof(t->m_axi_wdata));
    out->s_axil_awready = get_u(t->s_axil_awready);
    out->s_axil_wready = get_u(t->s_axil_wready);
    out->s_axil_bresp = get_u(t->s_axil_bresp);
    out->s_axil_bvalid = get_u(t->s_axil_bvalid);
    out->s_axil_arready = get_u(t->s_axil_arready);
    out->s_axil_rdata = get_u(t->s_axil_rdata);
    out->s_axil_rresp = get_u(t->s_axil_rresp);
    out->s_axil_rvalid = get_u(t->s_axil_rvalid);
    out->m_axi_awid = get_u(t->m_axi_awid);
    out->m_axi_awaddr = get_u(t->m_axi_awaddr);
    out->m_axi_awlen = get_u(t->m_axi_awlen);
    out->m_axi_awsize = get_u(t->m_axi_awsize);
    out->m_axi_awburst = get_u(t->m_axi_awburst);
    out->m_axi_awlock = get_u(t->m_axi_awlock);
    out->m_axi_awcache = get_u(t->m_axi_awcache);
    out->m_axi_awprot = get_u(t->m_axi_awprot);
    out->m_axi_awvalid = get_u(t->m_axi_awvalid);
    get_bytes(t->m_axi_wdata, out->m_axi_wdata);
    out->m_axi_wstrb = get_u(t->m_axi_wstrb);
    out->m_axi_wlast = get_u(t->m_axi_wlast);
    out->m_axi_wvalid = get_u(t->m_axi_wvalid);
    out->m_axi_bready = get_u(t->m_axi_bready);
    out->m_axi_arid = get_u(t->m_axi_arid);
    out->m_axi_araddr = get_u(t->m_axi_araddr);
    out->m_axi_arlen = get_u(t->m_axi_arlen);
    out->m_axi_arsize = get_u(t->m_axi_arsize);
    out->m_axi_arburst = get_u(t->m_axi_arburst);
    out->m_axi_arlock = get_u(t->m_axi_arlock);
    out->m_axi_arcache = get_u(t->m_axi_arcache);
    out->m_axi_arprot = get_u(t->m_axi_arprot);
    out->m_axi_arvalid = get_u(t->m_axi_arvalid);
    out->m_axi_rready = get_u(t->m_axi_rready);
    out->irq = get_u(t->irq);
}

extern "C" void fm_clock(fm_t *fm)
{
    Verilated::threadContextp(fm->ctx);
    fm->top->clk = 1;
    fm->top->eval();
    dump_at(fm, fm->fall_time + 5);
    fm->top->clk = 0;
    fm->fall_time += 10;
    if (fm->fst) {
        /* Without a waveform the next fm_eval settles the falling edge. */
        fm->top->eval();
        dump_at(fm, fm->fall_time);
    }
}

extern "C" uint32_t fm_get_irq(const fm_t *fm) { return (uint32_t)get_u(fm->top->irq); }

extern "C" unsigned fm_data_bytes(void) { return FERRY_DATA_WIDTH / 8; }
extern "C" unsigned fm_num_channels(void) { return FERRY_NUM_CHANNELS; }

/* ---- stream ports (issue 8) ----
 * Detected at compile time, so this file builds against RTL with and without
 * them (Verilator 5 ports are reference members: tested through declval). The packed ports are moved through a byte image of their storage
 * (get_bytes / put_bytes above handle every Verilator storage type, VlWide
 * included); lane c of a port W bits wide is bits [c*W +: W] of the image. */

template <typename T, typename = void> struct has_axis_ports : std::false_type {};
template <typename T>
struct has_axis_ports<T, std::void_t<decltype(std::declval<T &>().m_axis_tvalid),
                                     decltype(std::declval<T &>().s_axis_tready)>>
    : std::true_type {};

#define FM_AXIS_IMG 1040 /* bytes: 16 channels x 512 bits, plus room for the last word */

[[maybe_unused]] static uint64_t img_bits(const uint8_t *img, unsigned lo, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++) {
        unsigned b = lo + i;
        v |= (uint64_t)((img[b >> 3] >> (b & 7)) & 1u) << i;
    }
    return v;
}

[[maybe_unused]] static void img_put_bits(uint8_t *img, unsigned lo, unsigned n, uint64_t v)
{
    for (unsigned i = 0; i < n; i++) {
        unsigned b = lo + i;
        if ((v >> i) & 1u) {
            img[b >> 3] |= (uint8_t)(1u << (b & 7));
        }
    }
}

template <typename P> static void port_get(const P &p, uint8_t *img)
{
    static_assert(sizeof(P) <= FM_AXIS_IMG, "stream port wider than the image");
    get_bytes(p, img); /* writes all sizeof(P) bytes */
}

template <typename P> static void port_put(P &p, const uint8_t *img)
{
    static_assert(sizeof(P) <= FM_AXIS_IMG, "stream port wider than the image");
    put_bytes(p, img);
}

template <typename T> static void axis_set(T *t, const fm_axis_in_t *in)
{
    if constexpr (has_axis_ports<T>::value) {
        const unsigned db = FERRY_DATA_WIDTH / 8;
        uint8_t img[FM_AXIS_IMG];
        memset(img, 0, sizeof(t->s_axis_tdata));
        for (unsigned c = 0; c < FERRY_NUM_CHANNELS; c++) {
            memcpy(img + c * db, in->s[c].data, db);
        }
        port_put(t->s_axis_tdata, img);
        memset(img, 0, sizeof(t->s_axis_tkeep));
        for (unsigned c = 0; c < FERRY_NUM_CHANNELS; c++) {
            img_put_bits(img, c * db, db, in->s[c].keep);
        }
        port_put(t->s_axis_tkeep, img);
        memset(img, 0, sizeof(t->s_axis_tuser));
        for (unsigned c = 0; c < FERRY_NUM_CHANNELS; c++) {
            img[c] = in->s[c].user;
        }
        port_put(t->s_axis_tuser, img);
        memset(img, 0, sizeof(t->s_axis_tid));
        for (unsigned c = 0; c < FERRY_NUM_CHANNELS; c++) {
            img[c] = in->s[c].id;
        }
        port_put(t->s_axis_tid, img);
        uint64_t last = 0, valid = 0;
        for (unsigned c = 0; c < FERRY_NUM_CHANNELS; c++) {
            last |= (uint64_t)(in->s[c].last & 1u) << c;
            valid |= (uint64_t)(in->s[c].valid & 1u) << c;
        }
        put_u(t->s_axis_tlast, last);
        put_u(t->s_axis_tvalid, valid);
        put_u(t->m_axis_tready, (uint64_t)in->m_tready & ((1ull << FERRY_NUM_CHANNELS) - 1));
    } else {
        (void)t;
        (void)in;
    }
}

template <typename T> static void axis_get(const T *t, fm_axis_out_t *out)
{
    memset(out, 0, sizeof(*out));
    if constexpr (has_axis_ports<T>::value) {
        const unsigned db = FERRY_DATA_WIDTH / 8;
        uint8_t img[FM_AXIS_IMG];
        port_get(t->m_axis_tdata, img);
        for (unsigned c = 0; c < FERRY_NUM_CHANNELS; c++) {
            memcpy(out->m[c].data, img + c * db, db);
        }
        port_get(t->m_axis_tkeep, img);
        for (unsigned c = 0; c < FERRY_NUM_CHANNELS; c++) {
            out->m[c].keep = img_bits(img, c * db, db);
        }
        port_get(t->m_axis_tuser, img);
        for (unsigned c = 0; c < FERRY_NUM_CHANNELS; c++) {
            out->m[c].user = img[c];
        }
        port_get(t->m_axis_tid, img);
        for (unsigned c = 0; c < FERRY_NUM_CHANNELS; c++) {
            out->m[c].id = img[c];
        }
        uint64_t last = get_u(t->m_axis_tlast), valid = get_u(t->m_axis_tvalid);
        for (unsigned c = 0; c < FERRY_NUM_CHANNELS; c++) {
            out->m[c].last = (uint8_t)((last >> c) & 1u);
            out->m[c].valid = (uint8_t)((valid >> c) & 1u);
        }
        out->s_tready = (uint32_t)get_u(t->s_axis_tready);
    } else {
        (void)t;
    }
}

extern "C" int fm_has_axis(void) { return has_axis_ports<Vferry_top>::value ? 1 : 0; }
extern "C" void fm_set_axis(fm_t *fm, const fm_axis_in_t *in) { axis_set(fm->top, in); }
extern "C" void fm_get_axis(const fm_t *fm, fm_axis_out_t *out) { axis_get(fm->top, out); }
