/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_port_linux: the Linux userspace port (sw/port/linux) without a card.
 *
 * - BDF parsing: canonical forms and every kind of bad string.
 * - IOVA allocator: alignment, page rounding, no overlap (a seeded random
 *   alloc/free run checked against a shadow list), exhaustion, reuse after
 *   free, bad frees, a window that ends at 2^64.
 * - Opening: every missing file gives its status and a message naming it,
 *   never a crash or a hang. Fake sysfs and /dev trees in a temporary
 *   directory stand in for the kernel's (struct ferry_linux_opts); the real
 *   /sys is only stat()ed for a BDF that cannot exist.
 * - The sysfs port on a fake tree whose resource0 is a plain file: BAR0
 *   reads and writes land in the file, ferry_probe() works on it, accesses
 *   outside BAR0 read all-ones, bus mastering is set in config, wait_irq
 *   through a fake uio is bounded.
 * - pagemap translation from a fake pagemap file.
 *
 * SEED (env) seeds the random allocator run.
 */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ferry/ferry.h"
#include "ferry/ferry_regs.h"
#include "ferry_port_vfio.h"
#include "unit.h"

#define TEST_TIMEOUT_S 30
#define PAGE FERRY_LINUX_PAGE
#define BDF "0000:01:00.0"
#define LX_CMD 4 /* PCI command register (low byte) in config */

static uint64_t g_seed = 1;

/* ---- fake trees ---- */

struct tree {
    char root[256];
    char sys[300];
    char dev[300];
    char devdir[340]; /* sys/BDF */
};

static void must(bool ok, const char *what)
{
    ck_assert_msg(ok, "%s: %s", what, strerror(errno));
}

static void put_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    must(f != NULL, path);
    if (len > 0U) {
        must(fwrite(data, 1, len, f) == len, path);
    }
    fclose(f);
}

static void tree_new(struct tree *t, bool with_device)
{
    memset(t, 0, sizeof(*t));
    snprintf(t->root, sizeof(t->root), "/tmp/ferry_port_linux_XXXXXX");
    must(mkdtemp(t->root) != NULL, "mkdtemp");
    snprintf(t->sys, sizeof(t->sys), "%s/sys", t->root);
    snprintf(t->dev, sizeof(t->dev), "%s/dev", t->root);
    snprintf(t->devdir, sizeof(t->devdir), "%s/%s", t->sys, BDF);
    must(mkdir(t->sys, 0700) == 0, t->sys);
    must(mkdir(t->dev, 0700) == 0, t->dev);
    if (with_device) {
        must(mkdir(t->devdir, 0700) == 0, t->devdir);
    }
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void tree_free(struct tree *t)
{
    (void)nftw(t->root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void tree_file(const struct tree *t, const char *rel, const void *data, size_t len)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", t->root, rel);
    put_file(path, data, len);
}

static void tree_dir(const struct tree *t, const char *rel)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", t->root, rel);
    must(mkdir(path, 0700) == 0, path);
}

static void tree_link(const struct tree *t, const char *rel, const char *target)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", t->root, rel);
    must(symlink(target, path) == 0, path);
}

static struct ferry_linux_opts tree_opts(const struct tree *t)
{
    struct ferry_linux_opts o;
    memset(&o, 0, sizeof(o));
    o.sysfs_root = t->sys;
    o.dev_root = t->dev;
    return o;
}

static void put_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static uint32_t get_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* A BAR0 image of a ferry with 4 channels, 64-bit data and addresses. */
static void fake_bar(uint8_t *bar, size_t len, uint32_t id)
{
    memset(bar, 0, len);
    put_le32(bar + FERRY_REG_ID, id);
    put_le32(bar + FERRY_REG_IF_VERSION, FERRY_IF_VERSION_MAJOR << FERRY_IF_VERSION_MAJOR_SHIFT);
    put_le32(bar + FERRY_REG_CAP0, FERRY_FIELD_PREP(FERRY_CAP0_CHANNELS, 4U) | FERRY_FIELD_PREP(FERRY_CAP0_DATA_BYTES, 8U) |
                                       FERRY_FIELD_PREP(FERRY_CAP0_ADDR_WIDTH, 64U));
    put_le32(bar + FERRY_REG_CAP1, FERRY_FIELD_PREP(FERRY_CAP1_MAX_BURST, 64U) | FERRY_CAP1_DIRECT_MASK);
}

/* A complete fake sysfs device: resource0 (FERRY_BAR_SIZE), config, enable. */
static void fake_sysfs_device(const struct tree *t)
{
    static uint8_t bar[FERRY_BAR_SIZE];
    uint8_t cfg[256];

    fake_bar(bar, sizeof(bar), FERRY_MAGIC);
    memset(cfg, 0, sizeof(cfg));
    tree_file(t, "sys/" BDF "/resource0", bar, sizeof(bar));
    tree_file(t, "sys/" BDF "/config", cfg, sizeof(cfg));
    tree_file(t, "sys/" BDF "/enable", "0", 1);
}

/* A fake sysfs device with uio3 bound (its INTx), opened through the sysfs port. */
static struct ferry_linux *open_fake_uio(struct tree *t)
{
    struct ferry_linux_opts o;
    struct ferry_linux *p = NULL;
    char err[512];

    tree_new(t, true);
    fake_sysfs_device(t);
    tree_dir(t, "sys/" BDF "/uio");
    tree_dir(t, "sys/" BDF "/uio/uio3");
    tree_file(t, "dev/uio3", "", 0);
    o = tree_opts(t);
    ck_assert_msg(ferry_sysfs_open(BDF, &o, &p, err, sizeof(err)) == FERRY_OK, "%s", err);
    return p;
}

static uint64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000U + (uint64_t)ts.tv_nsec / 1000000U;
}

/* ---- BDF ---- */

START_TEST(test_bdf_good)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"0000:01:00.0", "0000:01:00.0"}, {"01:00.0", "0000:01:00.0"},   {"0000:AF:1F.7", "0000:af:1f.7"},
        {"1:2.3", "0000:01:02.3"},        {"10000:e1:00.0", "10000:e1:00.0"}, {"ffff:ff:1f.7", "ffff:ff:1f.7"},
        {"0:0:0.0", "0000:00:00.0"},
    };
    char out[FERRY_LINUX_BDF_LEN];

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        ck_assert_msg(ferry_linux_parse_bdf(cases[i].in, out) == FERRY_OK, "\"%s\" rejected", cases[i].in);
        ck_assert_str_eq(out, cases[i].out);
    }
}
END_TEST

START_TEST(test_bdf_bad)
{
    static const char *const bad[] = {
        "",              "0",            "01",           "01:00",         "01:00.",      "01:00.8",
        "01:20.0",       "01:00.0x",     "01:00.0 ",     " 01:00.0",      "0000:01:00",  "0000:01:00:0",
        "g0:00.0",       "100:00.0",     "0000:100:00.0", "0000:01:000.0", "123456789:01:00.0",
        "../../etc:00.0", "01:00.0/..", "0000:01:00.0.0", "-1:00.0",       "0x1:00.0",    "01:-0.0",
        "0000:01:00.00", "::.",          "01::00.0",      "0000:01:00.0\n",
    };
    char out[FERRY_LINUX_BDF_LEN];

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        strcpy(out, "junk");
        ck_assert_msg(ferry_linux_parse_bdf(bad[i], out) == FERRY_E_INVAL, "\"%s\" accepted", bad[i]);
        ck_assert_msg(out[0] == '\0', "out not emptied for \"%s\"", bad[i]);
    }
    ck_assert_int_eq(ferry_linux_parse_bdf(NULL, out), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_linux_parse_bdf("01:00.0", NULL), FERRY_E_INVAL);
    {
        char longs[200];
        memset(longs, '0', sizeof(longs) - 1U);
        longs[sizeof(longs) - 1U] = '\0';
        ck_assert_int_eq(ferry_linux_parse_bdf(longs, out), FERRY_E_INVAL);
    }
}
END_TEST

/* ---- IOVA allocator ---- */

START_TEST(test_iova_init_args)
{
    struct ferry_iova a;

    ck_assert_int_eq(ferry_iova_init(NULL, 0, PAGE), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_iova_init(&a, 0, 0), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_iova_init(&a, 1, PAGE), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_iova_init(&a, 0, PAGE + 1U), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_iova_init(&a, UINT64_MAX - PAGE + 1U, 2U * PAGE), FERRY_E_INVAL); /* wraps */
    ck_assert_int_eq(ferry_iova_init(&a, UINT64_MAX - PAGE + 1U, PAGE), FERRY_OK);            /* ends at 2^64 */
    ferry_iova_fini(&a);
    ck_assert_int_eq(ferry_iova_init(&a, FERRY_LINUX_IOVA_BASE, FERRY_LINUX_IOVA_SIZE), FERRY_OK);
    ck_assert_uint_eq(ferry_iova_used(&a), 0U);
    ferry_iova_fini(&a);
    ferry_iova_fini(NULL);
}
END_TEST

START_TEST(test_iova_alloc_args)
{
    struct ferry_iova a;
    uint64_t iova = 0;

    ck_assert_int_eq(ferry_iova_init(&a, 0x100000U, 16U * PAGE), FERRY_OK);
    ck_assert_int_eq(ferry_iova_alloc(&a, 0, 0, &iova), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_iova_alloc(&a, PAGE, 3, &iova), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_iova_alloc(&a, PAGE, 0x3000, &iova), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_iova_alloc(&a, PAGE, 0, NULL), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_iova_alloc(NULL, PAGE, 0, &iova), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_iova_alloc(&a, 17U * PAGE, 0, &iova), FERRY_E_NOMEM);
    ck_assert_int_eq(ferry_iova_alloc(&a, UINT64_MAX, 0, &iova), FERRY_E_NOMEM);
    ck_assert_int_eq(ferry_iova_free(&a, 0x100000U), FERRY_E_INVAL); /* nothing allocated */
    ck_assert_int_eq(ferry_iova_free(NULL, 0x100000U), FERRY_E_INVAL);
    ck_assert_uint_eq(ferry_iova_used(&a), 0U);
    ferry_iova_fini(&a);
}
END_TEST

START_TEST(test_iova_alignment_and_rounding)
{
    struct ferry_iova a;
    uint64_t x, y, z;

    ck_assert_int_eq(ferry_iova_init(&a, 0x40001000U, 0x1000000U), FERRY_OK);
    ck_assert_int_eq(ferry_iova_alloc(&a, 1, 0, &x), FERRY_OK);
    ck_assert_uint_eq(x, 0x40001000U); /* first fit at the base */
    ck_assert_uint_eq(ferry_iova_used(&a), PAGE); /* one byte takes a page */
    ck_assert_int_eq(ferry_iova_alloc(&a, 100, 0x10000U, &y), FERRY_OK);
    ck_assert_uint_eq(y % 0x10000U, 0U);
    ck_assert_uint_eq(y, 0x40010000U);
    ck_assert_int_eq(ferry_iova_alloc(&a, PAGE + 1U, 16, &z), FERRY_OK); /* small align means a page */
    ck_assert_uint_eq(z % PAGE, 0U);
    ck_assert_uint_eq(z, 0x40002000U); /* fits in the gap left by the 64 KiB alignment */
    ck_assert_uint_eq(ferry_iova_used(&a), 4U * PAGE);
    /* an alignment larger than the window cannot be met above its base */
    ck_assert_int_eq(ferry_iova_alloc(&a, PAGE, UINT64_C(1) << 40, &x), FERRY_E_NOMEM);
    ferry_iova_fini(&a);
}
END_TEST

START_TEST(test_iova_exhaustion_and_reuse)
{
    struct ferry_iova a;
    uint64_t r[16], x;

    ck_assert_int_eq(ferry_iova_init(&a, 0x200000U, 16U * PAGE), FERRY_OK);
    for (unsigned i = 0; i < 16U; i++) {
        ck_assert_int_eq(ferry_iova_alloc(&a, PAGE, 0, &r[i]), FERRY_OK);
        ck_assert_uint_eq(r[i], 0x200000U + i * PAGE);
    }
    ck_assert_int_eq(ferry_iova_alloc(&a, 1, 0, &x), FERRY_E_NOMEM); /* exhausted */
    ck_assert_uint_eq(ferry_iova_used(&a), 16U * PAGE);
    /* free two pages that are not adjacent: a 2-page request still fails */
    ck_assert_int_eq(ferry_iova_free(&a, r[5]), FERRY_OK);
    ck_assert_int_eq(ferry_iova_free(&a, r[9]), FERRY_OK);
    ck_assert_int_eq(ferry_iova_free(&a, r[9]), FERRY_E_INVAL); /* double free */
    ck_assert_int_eq(ferry_iova_free(&a, r[4] + 1U), FERRY_E_INVAL); /* not a start */
    ck_assert_int_eq(ferry_iova_alloc(&a, 2U * PAGE, 0, &x), FERRY_E_NOMEM);
    /* one page comes back exactly where it was freed, first fit */
    ck_assert_int_eq(ferry_iova_alloc(&a, PAGE, 0, &x), FERRY_OK);
    ck_assert_uint_eq(x, r[5]);
    ck_assert_int_eq(ferry_iova_alloc(&a, PAGE, 0, &x), FERRY_OK);
    ck_assert_uint_eq(x, r[9]);
    /* free everything, then the whole window is one range again */
    for (unsigned i = 0; i < 16U; i++) {
        ck_assert_int_eq(ferry_iova_free(&a, r[i]), FERRY_OK);
    }
    ck_assert_uint_eq(ferry_iova_used(&a), 0U);
    ck_assert_int_eq(ferry_iova_alloc(&a, PAGE, 0x400000U, &x), FERRY_E_NOMEM); /* no 4 MiB boundary inside */
    ck_assert_int_eq(ferry_iova_alloc(&a, 16U * PAGE, 0, &x), FERRY_OK);
    ck_assert_uint_eq(x, 0x200000U);
    ferry_iova_fini(&a);
}
END_TEST

START_TEST(test_iova_top_of_space)
{
    struct ferry_iova a;
    const uint64_t base = UINT64_MAX - 8U * PAGE + 1U; /* last 8 pages of the 64-bit space */
    uint64_t x, y;

    ck_assert_int_eq(ferry_iova_init(&a, base, 8U * PAGE), FERRY_OK);
    ck_assert_int_eq(ferry_iova_alloc(&a, 4U * PAGE, 0, &x), FERRY_OK);
    ck_assert_uint_eq(x, base);
    ck_assert_int_eq(ferry_iova_alloc(&a, 4U * PAGE, 0, &y), FERRY_OK);
    ck_assert_uint_eq(y, base + 4U * PAGE);
    ck_assert_int_eq(ferry_iova_alloc(&a, PAGE, 0, &x), FERRY_E_NOMEM);
    ck_assert_int_eq(ferry_iova_alloc(&a, PAGE, UINT64_C(1) << 63, &x), FERRY_E_NOMEM);
    ck_assert_int_eq(ferry_iova_free(&a, y), FERRY_OK);
    ck_assert_int_eq(ferry_iova_alloc(&a, 4U * PAGE, 4U * PAGE, &x), FERRY_OK);
    ck_assert_uint_eq(x, base + 4U * PAGE);
    ferry_iova_fini(&a);
}
END_TEST

static uint64_t xs(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *s = x;
    return x;
}

/* Random allocs and frees; after each step the live ranges are aligned,
 * inside the window and pairwise disjoint, and the used count adds up. */
START_TEST(test_iova_random_no_overlap)
{
    enum { LIVE = 64, STEPS = 4000 };
    const uint64_t base = 0x10000000U, size = 512U * PAGE;
    struct {
        uint64_t start, len, align;
        bool used;
    } live[LIVE];
    struct ferry_iova a;
    uint64_t s = g_seed * 0x9E3779B97F4A7C15ULL + 7U;
    unsigned nomem = 0, allocs = 0;

    memset(live, 0, sizeof(live));
    ck_assert_int_eq(ferry_iova_init(&a, base, size), FERRY_OK);
    for (unsigned step = 0; step < STEPS; step++) {
        unsigned k = (unsigned)(xs(&s) % LIVE);
        if (live[k].used) {
            if (ferry_iova_free(&a, live[k].start) != FERRY_OK) {
                ck_abort_msg("step %u: free of 0x%" PRIx64 " refused", step, live[k].start);
            }
            live[k].used = false;
        } else {
            uint64_t len = 1U + xs(&s) % (24U * PAGE);
            uint64_t align = UINT64_C(1) << (xs(&s) % 17U); /* 1 .. 64 KiB */
            uint64_t iova;
            ferry_status st = ferry_iova_alloc(&a, len, align, &iova);
            if (st == FERRY_E_NOMEM) {
                nomem++;
                continue;
            }
            if (st != FERRY_OK) {
                ck_abort_msg("step %u: alloc: %s", step, ferry_status_str(st));
            }
            allocs++;
            live[k].start = iova;
            live[k].len = (len + PAGE - 1U) / PAGE * PAGE;
            live[k].align = align < PAGE ? PAGE : align;
            live[k].used = true;
        }
        {
            /* checked in plain C: a Check assertion per pair would cost a pipe write each */
            uint64_t used = 0;
            for (unsigned i = 0; i < LIVE; i++) {
                if (!live[i].used) {
                    continue;
                }
                used += live[i].len;
                if (live[i].start % live[i].align != 0U) {
                    ck_abort_msg("seed %" PRIu64 ": 0x%" PRIx64 " not aligned to 0x%" PRIx64, g_seed, live[i].start,
                                 live[i].align);
                }
                if (live[i].start < base || live[i].start + live[i].len > base + size) {
                    ck_abort_msg("seed %" PRIu64 ": 0x%" PRIx64 " outside the window", g_seed, live[i].start);
                }
                for (unsigned j = i + 1U; j < LIVE; j++) {
                    if (live[j].used && live[i].start + live[i].len > live[j].start &&
                        live[j].start + live[j].len > live[i].start) {
                        ck_abort_msg("seed %" PRIu64 ": step %u: [0x%" PRIx64 ",+0x%" PRIx64 ") overlaps [0x%" PRIx64
                                     ",+0x%" PRIx64 ")",
                                     g_seed, step, live[i].start, live[i].len, live[j].start, live[j].len);
                    }
                }
            }
            if (ferry_iova_used(&a) != used) {
                ck_abort_msg("step %u: used %" PRIu64 ", want %" PRIu64, step, ferry_iova_used(&a), used);
            }
        }
    }
    ck_assert_msg(allocs > 1000U && nomem > 0U, "%u allocations succeeded, %u ran out: the run missed a case",
                  allocs, nomem);
    ferry_iova_fini(&a);
}
END_TEST

/* ---- opening: error paths ---- */

START_TEST(test_open_args)
{
    struct ferry_linux *p = (struct ferry_linux *)1;
    char err[256];

    ck_assert_int_eq(ferry_vfio_open(BDF, NULL, NULL, err, sizeof(err)), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_sysfs_open(BDF, NULL, NULL, err, sizeof(err)), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_vfio_open("01:00.9", NULL, &p, err, sizeof(err)), FERRY_E_INVAL);
    ck_assert_ptr_null(p);
    ck_assert_msg(strstr(err, "01:00.9") != NULL, "message does not name the BDF: %s", err);
    p = (struct ferry_linux *)1;
    ck_assert_int_eq(ferry_sysfs_open(NULL, NULL, &p, err, sizeof(err)), FERRY_E_INVAL);
    ck_assert_ptr_null(p);
    /* a NULL or tiny err buffer is fine */
    ck_assert_int_eq(ferry_vfio_open("x", NULL, &p, NULL, 0), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_vfio_open("x", NULL, &p, err, 1), FERRY_E_INVAL);
    ck_assert_str_eq(err, "");
    /* NULL handles everywhere */
    ck_assert_int_eq(ferry_linux_close(NULL, NULL, 0), FERRY_OK);
    ck_assert_ptr_null(ferry_linux_platform(NULL));
    ck_assert_str_eq(ferry_linux_last_error(NULL), "");
    {
        struct ferry_linux_info li;
        ferry_linux_get_info(NULL, &li);
        ck_assert_int_eq(li.iommu_group, -1);
    }
}
END_TEST

/* The real /sys, a BDF no machine has: NODEV, read-only. */
START_TEST(test_open_real_sysfs_missing)
{
    struct ferry_linux *p = NULL;
    char err[512];

    ck_assert_int_eq(ferry_vfio_open("ffff:ff:1f.7", NULL, &p, err, sizeof(err)), FERRY_E_NODEV);
    ck_assert_ptr_null(p);
    ck_assert_msg(strstr(err, "ffff:ff:1f.7") != NULL, "%s", err);
    ck_assert_int_eq(ferry_sysfs_open("ffff:ff:1f.7", NULL, &p, err, sizeof(err)), FERRY_E_NODEV);
    ck_assert_ptr_null(p);
}
END_TEST

START_TEST(test_vfio_missing_device)
{
    struct tree t;
    struct ferry_linux_opts o;
    struct ferry_linux *p = NULL;
    char err[512];

    tree_new(&t, false);
    o = tree_opts(&t);
    ck_assert_int_eq(ferry_vfio_open(BDF, &o, &p, err, sizeof(err)), FERRY_E_NODEV);
    ck_assert_ptr_null(p);
    ck_assert_msg(strstr(err, "no PCI device " BDF) != NULL && strstr(err, t.sys) != NULL, "%s", err);
    tree_free(&t);
}
END_TEST

START_TEST(test_vfio_missing_group)
{
    struct tree t;
    struct ferry_linux_opts o;
    struct ferry_linux *p = NULL;
    char err[512];

    tree_new(&t, true);
    o = tree_opts(&t);
    ck_assert_int_eq(ferry_vfio_open(BDF, &o, &p, err, sizeof(err)), FERRY_E_NODEV);
    ck_assert_ptr_null(p);
    ck_assert_msg(strstr(err, "no IOMMU group") != NULL && strstr(err, "iommu_group") != NULL, "%s", err);
    /* a group link that names no number */
    tree_link(&t, "sys/" BDF "/iommu_group", "../../kernel/iommu_groups/abc");
    ck_assert_int_eq(ferry_vfio_open(BDF, &o, &p, err, sizeof(err)), FERRY_E_NODEV);
    ck_assert_msg(strstr(err, "not an IOMMU group number") != NULL, "%s", err);
    tree_free(&t);
}
END_TEST

START_TEST(test_vfio_missing_container)
{
    struct tree t;
    struct ferry_linux_opts o;
    struct ferry_linux *p = NULL;
    char err[512];

    tree_new(&t, true);
    tree_link(&t, "sys/" BDF "/iommu_group", "../../../kernel/iommu_groups/7");
    tree_link(&t, "sys/" BDF "/driver", "../../../bus/pci/drivers/xdma");
    o = tree_opts(&t);
    ck_assert_int_eq(ferry_vfio_open(BDF, &o, &p, err, sizeof(err)), FERRY_E_NODEV);
    ck_assert_ptr_null(p);
    ck_assert_msg(strstr(err, "vfio/vfio") != NULL && strstr(err, "modprobe vfio-pci") != NULL, "%s", err);
    /* a container that is a plain file: the ioctl fails, nothing crashes */
    tree_dir(&t, "dev/vfio");
    tree_file(&t, "dev/vfio/vfio", "", 0);
    ck_assert_int_eq(ferry_vfio_open(BDF, &o, &p, err, sizeof(err)), FERRY_E_NODEV);
    ck_assert_ptr_null(p);
    ck_assert_msg(strstr(err, "not a VFIO container") != NULL, "%s", err);
    tree_free(&t);
}
END_TEST

START_TEST(test_sysfs_missing_files)
{
    static uint8_t bar[FERRY_BAR_SIZE];
    struct tree t;
    struct ferry_linux_opts o;
    struct ferry_linux *p = NULL;
    char err[512];
    uint8_t cfg[64];

    memset(cfg, 0, sizeof(cfg));
    tree_new(&t, true);
    o = tree_opts(&t);
    /* no config */
    ck_assert_int_eq(ferry_sysfs_open(BDF, &o, &p, err, sizeof(err)), FERRY_E_NODEV);
    ck_assert_ptr_null(p);
    ck_assert_msg(strstr(err, "config") != NULL, "%s", err);
    /* config too short to hold the command register */
    tree_file(&t, "sys/" BDF "/config", cfg, 2);
    ck_assert_int_eq(ferry_sysfs_open(BDF, &o, &p, err, sizeof(err)), FERRY_E_NODEV);
    ck_assert_msg(strstr(err, "command register") != NULL, "%s", err);
    /* no resource0 */
    tree_file(&t, "sys/" BDF "/config", cfg, sizeof(cfg));
    ck_assert_int_eq(ferry_sysfs_open(BDF, &o, &p, err, sizeof(err)), FERRY_E_NODEV);
    ck_assert_msg(strstr(err, "resource0") != NULL, "%s", err);
    /* empty resource0 */
    tree_file(&t, "sys/" BDF "/resource0", "", 0);
    ck_assert_int_eq(ferry_sysfs_open(BDF, &o, &p, err, sizeof(err)), FERRY_E_NODEV);
    ck_assert_msg(strstr(err, "empty") != NULL, "%s", err);
    ck_assert_ptr_null(p);
    /* and with resource0 it opens */
    fake_bar(bar, sizeof(bar), FERRY_MAGIC);
    tree_file(&t, "sys/" BDF "/resource0", bar, sizeof(bar));
    ck_assert_int_eq(ferry_sysfs_open(BDF, &o, &p, err, sizeof(err)), FERRY_OK);
    ck_assert_ptr_nonnull(p);
    ck_assert_int_eq(ferry_linux_close(p, NULL, 0), FERRY_OK);
    tree_free(&t);
}
END_TEST

/* ---- the sysfs port on a fake BAR ---- */

START_TEST(test_sysfs_fake_bar)
{
    struct tree t;
    struct ferry_linux_opts o;
    struct ferry_linux *p = NULL;
    const struct ferry_platform *pl;
    struct ferry_linux_info li;
    struct ferry_dev dev;
    char err[512], path[512];
    uint8_t buf[FERRY_BAR_SIZE];
    int fd;

    tree_new(&t, true);
    fake_sysfs_device(&t);
    o = tree_opts(&t);
    ck_assert_msg(ferry_sysfs_open("01:00.0", &o, &p, err, sizeof(err)) == FERRY_OK, "%s", err);
    pl = ferry_linux_platform(p);
    ferry_linux_get_info(p, &li);
    ck_assert_int_eq(li.kind, FERRY_LINUX_SYSFS);
    ck_assert_str_eq(li.bdf, BDF);
    ck_assert_uint_eq(li.bar_size, FERRY_BAR_SIZE);
    ck_assert(li.bar_mmapped);
    ck_assert_str_eq(li.irq_kind, "none");
    ck_assert_ptr_null(pl->wait_irq); /* no uio: the core polls */
    ck_assert_ptr_nonnull(pl->now_us);
    ck_assert_ptr_nonnull(pl->delay_us);

    /* the driver core probes the fake BAR */
    ck_assert_int_eq(ferry_probe(&dev, pl), FERRY_OK);
    ck_assert_uint_eq(ferry_caps(&dev)->channels, 4U);
    ck_assert_uint_eq(ferry_caps(&dev)->data_bytes, 8U);

    /* writes land in the file, little-endian, at the offset */
    pl->reg_write(pl->ctx, FERRY_REG_SCRATCH, 0x11223344U);
    pl->reg_write(pl->ctx, FERRY_CH_REG(3, FERRY_CH_LEN), 0xCAFEF00DU);
    ck_assert_uint_eq(pl->reg_read(pl->ctx, FERRY_REG_SCRATCH), 0x11223344U);
    snprintf(path, sizeof(path), "%s/resource0", t.devdir);
    fd = open(path, O_RDONLY);
    must(fd >= 0, path);
    must(pread(fd, buf, sizeof(buf), 0) == (ssize_t)sizeof(buf), path);
    close(fd);
    ck_assert_uint_eq(get_le32(buf + FERRY_REG_SCRATCH), 0x11223344U);
    ck_assert_uint_eq(get_le32(buf + FERRY_CH_REG(3, FERRY_CH_LEN)), 0xCAFEF00DU);

    /* outside BAR0 or unaligned: all ones, nothing written, counted */
    ck_assert_uint_eq(ferry_linux_bad_access_count(p), 0U);
    ck_assert_uint_eq(pl->reg_read(pl->ctx, FERRY_BAR_SIZE), 0xFFFFFFFFU);
    ck_assert_uint_eq(pl->reg_read(pl->ctx, FERRY_BAR_SIZE - 2U), 0xFFFFFFFFU);
    ck_assert_uint_eq(pl->reg_read(pl->ctx, 0xFFFFFFFCU), 0xFFFFFFFFU);
    ck_assert_uint_eq(pl->reg_read(pl->ctx, 2), 0xFFFFFFFFU);
    pl->reg_write(pl->ctx, FERRY_BAR_SIZE, 1);
    pl->reg_write(pl->ctx, 0x11, 1);
    ck_assert_uint_eq(ferry_linux_bad_access_count(p), 6U);
    ck_assert_uint_eq(pl->reg_read(pl->ctx, 0x10), 0x11223344U);

    /* bus mastering and memory decoding set in config; enable written */
    snprintf(path, sizeof(path), "%s/config", t.devdir);
    fd = open(path, O_RDONLY);
    must(fd >= 0, path);
    must(pread(fd, buf, 2, 4) == 2, path);
    close(fd);
    ck_assert_uint_eq(buf[0] & 0x06U, 0x06U);
    snprintf(path, sizeof(path), "%s/enable", t.devdir);
    fd = open(path, O_RDONLY);
    must(fd >= 0, path);
    must(read(fd, buf, 1) == 1, path);
    close(fd);
    ck_assert_int_eq(buf[0], '1');

    /* time moves forward, delays are real */
    {
        uint64_t t0 = pl->now_us(pl->ctx);
        pl->delay_us(pl->ctx, 2000);
        ck_assert_uint_ge(pl->now_us(pl->ctx) - t0, 2000U);
    }
    ck_assert_int_eq(ferry_linux_close(p, NULL, 0), FERRY_OK);
    tree_free(&t);
}
END_TEST

/* DMA memory on the sysfs port needs huge pages and root: either it works
 * (bus address from pagemap, zeroed, aligned) or it fails with a message. */
START_TEST(test_sysfs_dma)
{
    struct tree t;
    struct ferry_linux_opts o;
    struct ferry_linux *p = NULL;
    const struct ferry_platform *pl;
    struct ferry_dma_mem m;
    char err[512];

    tree_new(&t, true);
    fake_sysfs_device(&t);
    o = tree_opts(&t);
    ck_assert_msg(ferry_sysfs_open(BDF, &o, &p, err, sizeof(err)) == FERRY_OK, "%s", err);
    pl = ferry_linux_platform(p);
    ck_assert_int_ne(pl->dma_alloc(pl->ctx, 0, 0, &m), 0);
    ck_assert_int_ne(pl->dma_alloc(pl->ctx, 4096, 3, &m), 0);
    ck_assert_int_ne(pl->dma_alloc(pl->ctx, 4096, 0, NULL), 0);
    if (pl->dma_alloc(pl->ctx, 8192, 4096, &m) == 0) {
        ck_assert_ptr_nonnull(m.cpu);
        ck_assert_uint_ne(m.bus, 0U);
        ck_assert_uint_eq(m.bus % FERRY_LINUX_HUGEPAGE, 0U);
        ck_assert_uint_eq(((uint8_t *)m.cpu)[8191], 0U);
        pl->dma_free(pl->ctx, &m);
        ck_assert_ptr_null(m.cpu);
    } else {
        ck_assert_msg(strstr(ferry_linux_last_error(p), "dma_alloc") != NULL, "no message: '%s'",
                      ferry_linux_last_error(p));
        printf("test_sysfs_dma: no huge pages here (%s)\n", ferry_linux_last_error(p));
    }
    pl->dma_free(pl->ctx, NULL); /* harmless */
    ck_assert_int_eq(ferry_linux_close(p, NULL, 0), FERRY_OK);
    tree_free(&t);
}
END_TEST

/* A fake uio: wait_irq exists, reports a set IRQ_STATUS bit at once, and a
 * clear one only when its budget is spent (even though the fake fd is
 * always readable). */
START_TEST(test_sysfs_uio_wait_bounded)
{
    struct tree t;
    struct ferry_linux_opts o;
    struct ferry_linux *p = NULL;
    const struct ferry_platform *pl;
    struct ferry_linux_info li;
    char err[512];
    uint64_t t0, ms;

    p = open_fake_uio(&t);
    pl = ferry_linux_platform(p);
    ferry_linux_get_info(p, &li);
    ck_assert_str_eq(li.irq_kind, "UIO INTx");
    ck_assert_uint_eq(li.irq_vectors, 1U);
    ck_assert_ptr_nonnull(pl->wait_irq);

    t0 = mono_ms();
    ck_assert_int_eq(pl->wait_irq(pl->ctx, 1U, 30000), FERRY_PLAT_IRQ_TIMEOUT);
    ms = mono_ms() - t0;
    ck_assert_msg(ms >= 29U && ms < 2000U, "30 ms budget took %" PRIu64 " ms", ms);

    pl->reg_write(pl->ctx, FERRY_REG_IRQ_STATUS, 0x4U); /* a plain file: this sets the "line" */
    t0 = mono_ms();
    ck_assert_int_eq(pl->wait_irq(pl->ctx, 0x4U, 5000000U), FERRY_PLAT_IRQ_FIRED);
    ck_assert_uint_lt(mono_ms() - t0, 1000U);
    t0 = mono_ms();
    ck_assert_int_eq(pl->wait_irq(pl->ctx, 0x3U, 10000U), FERRY_PLAT_IRQ_TIMEOUT); /* other channels */
    ck_assert_uint_lt(mono_ms() - t0, 2000U);
    ck_assert_int_eq(pl->wait_irq(pl->ctx, 0x4U, 0), FERRY_PLAT_IRQ_FIRED); /* zero budget still looks */
    ck_assert_int_eq(ferry_linux_close(p, NULL, 0), FERRY_OK);

    /* no_irq leaves it out */
    o = tree_opts(&t);
    o.no_irq = true;
    ck_assert_msg(ferry_sysfs_open(BDF, &o, &p, err, sizeof(err)) == FERRY_OK, "%s", err);
    ck_assert_ptr_null(ferry_linux_platform(p)->wait_irq);
    ck_assert_int_eq(ferry_linux_close(p, NULL, 0), FERRY_OK);
    tree_free(&t);
}
END_TEST

/* Unmask writes the port made to the fake /dev/uioN (4 bytes each; the
 * fake fd is a regular file, always readable: an INTx that signals again
 * at once after every unmask, as a line held high does). */
static uint64_t uio_unmasks(const struct tree *t)
{
    char path[512];
    struct stat sb;

    snprintf(path, sizeof(path), "%s/dev/uio3", t->root);
    must(stat(path, &sb) == 0, path);
    return (uint64_t)sb.st_size / 4U;
}

/* INTx never spins. A line held high by another channel of ferry (not
 * ours to clear): the wait leaves INTx masked and reads IRQ_STATUS every
 * millisecond, no unmask at all. IRQ_STATUS 0 while the fd keeps
 * signalling (someone else's interrupt on a shared line): an unmask per
 * signal, after the first at most one per millisecond. The old loop
 * unmasked and woke up thousands of times in either case. The same loop
 * serves VFIO INTx, whose unmask is an ioctl no test here can run. */
START_TEST(test_uio_intx_no_spin)
{
    struct tree t;
    struct ferry_linux *p = NULL;
    const struct ferry_platform *pl;
    uint64_t t0, ms, u0, u;

    p = open_fake_uio(&t);
    pl = ferry_linux_platform(p);

    /* channel 2's line held high, waiting for channels 0 and 1 */
    pl->reg_write(pl->ctx, FERRY_REG_IRQ_STATUS, 0x4U);
    u0 = uio_unmasks(&t);
    t0 = mono_ms();
    ck_assert_int_eq(pl->wait_irq(pl->ctx, 0x3U, 50000U), FERRY_PLAT_IRQ_TIMEOUT);
    ms = mono_ms() - t0;
    u = uio_unmasks(&t) - u0;
    ck_assert_msg(ms >= 49U && ms < 2000U, "50 ms budget took %" PRIu64 " ms", ms);
    ck_assert_msg(u == 0U, "%" PRIu64 " INTx unmasks while another channel's line was high", u);
    /* ... and a line of ours rising meanwhile is seen within a millisecond or so */
    pl->reg_write(pl->ctx, FERRY_REG_IRQ_STATUS, 0x6U);
    ck_assert_int_eq(pl->wait_irq(pl->ctx, 0x3U, 50000U), FERRY_PLAT_IRQ_FIRED);

    /* nothing pending at ferry, the fd signals again after every unmask */
    pl->reg_write(pl->ctx, FERRY_REG_IRQ_STATUS, 0);
    u0 = uio_unmasks(&t);
    t0 = mono_ms();
    ck_assert_int_eq(pl->wait_irq(pl->ctx, 0x1U, 50000U), FERRY_PLAT_IRQ_TIMEOUT);
    ms = mono_ms() - t0;
    u = uio_unmasks(&t) - u0;
    ck_assert_msg(ms >= 49U && ms < 2000U, "50 ms budget took %" PRIu64 " ms", ms);
    ck_assert_msg(u >= 1U && u <= 60U, "%" PRIu64 " INTx unmasks in 50 ms with ferry silent (want 1..60)", u);

    /* our line: FIRED at once */
    pl->reg_write(pl->ctx, FERRY_REG_IRQ_STATUS, 0x1U);
    t0 = mono_ms();
    ck_assert_int_eq(pl->wait_irq(pl->ctx, 0x1U, 5000000U), FERRY_PLAT_IRQ_FIRED);
    ck_assert_uint_lt(mono_ms() - t0, 1000U);
    ck_assert_int_eq(ferry_linux_close(p, NULL, 0), FERRY_OK);
    tree_free(&t);
}
END_TEST

/* ---- close: stop the channels before the DMA memory goes ---- */

/* Opens the fake sysfs device with test DMA memory (ordinary pages). */
static struct ferry_linux *open_test_dma(const struct tree *t, uint64_t stop_us)
{
    struct ferry_linux_opts o = tree_opts(t);
    struct ferry_linux *p = NULL;
    char err[512];

    o.test_dma = true;
    o.stop_us = stop_us;
    ck_assert_msg(ferry_sysfs_open(BDF, &o, &p, err, sizeof(err)) == FERRY_OK, "%s", err);
    return p;
}

static struct ferry_dma_mem test_alloc(struct ferry_linux *p, size_t size, uint8_t pattern)
{
    const struct ferry_platform *pl = ferry_linux_platform(p);
    struct ferry_dma_mem m;

    ck_assert_msg(pl->dma_alloc(pl->ctx, size, 0, &m) == 0, "test dma_alloc: %s", ferry_linux_last_error(p));
    memset(m.cpu, pattern, size);
    return m;
}

/* Is [addr, addr + len) still mapped in this process? (mincore: ENOMEM if not) */
static bool mapped(const void *addr, size_t len)
{
    unsigned char vec[64];

    ck_assert_uint_le((len + PAGE - 1U) / PAGE, sizeof(vec));
    if (mincore((void *)(uintptr_t)addr, len, vec) == 0) {
        return true;
    }
    ck_assert_int_eq(errno, ENOMEM);
    return false;
}

/* The fake device's resource0, mapped shared: what the port's BAR0 sees. */
struct fake_bar_map {
    int fd;
    volatile uint32_t *regs;
};

static void bar_map(const struct tree *t, struct fake_bar_map *m)
{
    char path[512];
    void *a;

    snprintf(path, sizeof(path), "%s/resource0", t->devdir);
    m->fd = open(path, O_RDWR);
    must(m->fd >= 0, path);
    a = mmap(NULL, FERRY_BAR_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, m->fd, 0);
    must(a != MAP_FAILED, "mmap resource0");
    m->regs = a;
}

static void bar_unmap(struct fake_bar_map *m)
{
    munmap((void *)(uintptr_t)m->regs, FERRY_BAR_SIZE);
    close(m->fd);
}

static uint32_t bar_get(const struct fake_bar_map *m, uint32_t off)
{
    return __atomic_load_n(&m->regs[off / 4U], __ATOMIC_SEQ_CST);
}

static void bar_set(const struct fake_bar_map *m, uint32_t off, uint32_t v)
{
    __atomic_store_n(&m->regs[off / 4U], v, __ATOMIC_SEQ_CST);
}

static void read_file(const char *path, void *buf, size_t len)
{
    int fd = open(path, O_RDONLY);
    must(fd >= 0, path);
    must(pread(fd, buf, len, 0) == (ssize_t)len, path);
    close(fd);
}

/* A handle that holds no DMA memory leaves the channels alone (under sysfs
 * another process may own them): a busy channel gets no write. One that
 * holds memory while every channel is idle frees it and writes nothing. */
START_TEST(test_close_idle)
{
    static uint8_t before[FERRY_BAR_SIZE], after[FERRY_BAR_SIZE];
    struct tree t;
    struct fake_bar_map bm;
    struct ferry_linux *p;
    struct ferry_dma_mem m;
    char err[512], path[512];

    tree_new(&t, true);
    fake_sysfs_device(&t);
    snprintf(path, sizeof(path), "%s/resource0", t.devdir);
    bar_map(&t, &bm);
    bar_set(&bm, FERRY_CH_REG(1, FERRY_CH_STATUS), FERRY_STATUS_BUSY_MASK);
    p = open_test_dma(&t, 20000);
    read_file(path, before, sizeof(before));
    ck_assert_int_eq(ferry_linux_close(p, err, sizeof(err)), FERRY_OK);
    ck_assert_str_eq(err, "");
    read_file(path, after, sizeof(after));
    ck_assert_msg(memcmp(before, after, sizeof(before)) == 0, "close without DMA memory wrote to BAR0");

    bar_set(&bm, FERRY_CH_REG(1, FERRY_CH_STATUS), 0);
    p = open_test_dma(&t, 20000);
    m = test_alloc(p, 3 * PAGE + 5U, 0x5A);
    ck_assert(mapped(m.cpu, m.size));
    read_file(path, before, sizeof(before));
    ck_assert_int_eq(ferry_linux_close(p, err, sizeof(err)), FERRY_OK);
    ck_assert_str_eq(err, "");
    ck_assert_msg(!mapped(m.cpu, m.size), "the DMA memory is still mapped after a clean close");
    read_file(path, after, sizeof(after));
    ck_assert_msg(memcmp(before, after, sizeof(before)) == 0, "close wrote to idle channels");
    bar_unmap(&bm);
    tree_free(&t);
}
END_TEST

/* The fake card of test_close_stops_first: channel 1 runs a copy (BUSY),
 * channel 2 has an idle ring (RING_ACTIVE). When the port writes
 * CTRL.ABORT to channel 1 and RING_CTRL = 0 to channel 2, the "card"
 * notes whether the DMA memory is still mapped at that moment, then lets
 * the channel go idle. */
struct fake_card {
    struct fake_bar_map *bm;
    const void *buf;
    size_t len;
    bool saw_abort, saw_ring_off;
    bool mapped_at_abort, mapped_at_ring_off;
};

static void *fake_card_run(void *arg)
{
    struct fake_card *c = arg;
    const uint64_t t0 = mono_ms();

    while ((!c->saw_abort || !c->saw_ring_off) && mono_ms() - t0 < 5000U) {
        if (!c->saw_abort && (bar_get(c->bm, FERRY_CH_REG(1, FERRY_CH_CTRL)) & FERRY_CTRL_ABORT_MASK) != 0U) {
            c->mapped_at_abort = mincore((void *)(uintptr_t)c->buf, c->len, (unsigned char[64]){0}) == 0;
            c->saw_abort = true;
            bar_set(c->bm, FERRY_CH_REG(1, FERRY_CH_STATUS),
                    FERRY_STATUS_ERROR_MASK | FERRY_FIELD_PREP(FERRY_STATUS_ERR_CODE, FERRY_ERR_ABORTED));
        }
        if (!c->saw_ring_off && bar_get(c->bm, FERRY_CH_REG(2, FERRY_CH_RING_CTRL)) == 0U) {
            c->mapped_at_ring_off = mincore((void *)(uintptr_t)c->buf, c->len, (unsigned char[64]){0}) == 0;
            c->saw_ring_off = true;
            bar_set(c->bm, FERRY_CH_REG(2, FERRY_CH_STATUS), 0);
        }
        usleep(100);
    }
    return NULL;
}

/* A running copy and an enabled ring: close stops both (ABORT, RING_CTRL =
 * 0), waits until they read idle, and only then frees the memory. */
START_TEST(test_close_stops_first)
{
    struct tree t;
    struct fake_bar_map bm;
    struct fake_card card;
    struct ferry_linux *p;
    struct ferry_dma_mem m;
    pthread_t th;
    char err[512];

    tree_new(&t, true);
    fake_sysfs_device(&t);
    bar_map(&t, &bm);
    bar_set(&bm, FERRY_CH_REG(1, FERRY_CH_STATUS), FERRY_STATUS_BUSY_MASK);
    bar_set(&bm, FERRY_CH_REG(2, FERRY_CH_RING_CTRL),
            FERRY_RING_CTRL_ENABLE_MASK | FERRY_FIELD_PREP(FERRY_RING_CTRL_LOG2_SIZE, 4U));
    bar_set(&bm, FERRY_CH_REG(2, FERRY_CH_STATUS), FERRY_STATUS_RING_ACTIVE_MASK);
    p = open_test_dma(&t, 10000000U);
    m = test_alloc(p, 2 * PAGE, 0x3C);
    memset(&card, 0, sizeof(card));
    card.bm = &bm;
    card.buf = m.cpu;
    card.len = m.size;
    ck_assert_int_eq(pthread_create(&th, NULL, fake_card_run, &card), 0);
    ck_assert_int_eq(ferry_linux_close(p, err, sizeof(err)), FERRY_OK);
    ck_assert_int_eq(pthread_join(th, NULL), 0);
    ck_assert_msg(card.saw_abort, "close never wrote CTRL.ABORT to the busy channel");
    ck_assert_msg(card.saw_ring_off, "close never wrote RING_CTRL = 0 to the channel with a ring");
    ck_assert_msg(card.mapped_at_abort && card.mapped_at_ring_off, "the DMA memory was gone before the stop");
    ck_assert_msg(!mapped(m.cpu, m.size), "the DMA memory is still mapped after the channels stopped");
    ck_assert_str_eq(err, "");
    bar_unmap(&bm);
    tree_free(&t);
}
END_TEST

/* A channel that never stops (BUSY for ever, as behind a bus response that
 * never comes): close gives up after opts.stop_us, keeps the memory mapped
 * and untouched, switches bus mastering off (memory decoding stays), and
 * returns FERRY_E_TIMEOUT with a message naming the channel; with err NULL
 * the message goes to stderr. A BAR0 that no longer probes as ferry (ID all
 * ones: the card went away) keeps the memory too. */
START_TEST(test_close_keeps_memory_when_stuck)
{
    struct tree t;
    struct fake_bar_map bm;
    struct ferry_linux *p;
    struct ferry_dma_mem m;
    char err[512], path[512], cfgpath[512], text[1024];
    uint8_t cfg[8];
    uint64_t t0, ms;
    int saved, fd;
    ssize_t n;

    tree_new(&t, true);
    fake_sysfs_device(&t);
    snprintf(cfgpath, sizeof(cfgpath), "%s/config", t.devdir);
    bar_map(&t, &bm);
    bar_set(&bm, FERRY_CH_REG(2, FERRY_CH_STATUS), FERRY_STATUS_BUSY_MASK | FERRY_STATUS_STOPPING_MASK);
    p = open_test_dma(&t, 20000);
    read_file(cfgpath, cfg, sizeof(cfg));
    ck_assert_uint_eq(cfg[LX_CMD] & 0x06U, 0x06U); /* memory and master on after open */
    m = test_alloc(p, PAGE + 1U, 0xC3);
    t0 = mono_ms();
    ck_assert_int_eq(ferry_linux_close(p, err, sizeof(err)), FERRY_E_TIMEOUT);
    ms = mono_ms() - t0;
    ck_assert_msg(ms >= 19U && ms < 2000U, "a 20 ms stop budget took %" PRIu64 " ms", ms);
    ck_assert_msg(strstr(err, BDF) != NULL && strstr(err, "channel 2 did not stop") != NULL &&
                      strstr(err, "its 8192 bytes of DMA memory stay mapped") != NULL &&
                      strstr(err, "bus mastering switched off") != NULL,
                  "%s", err);
    ck_assert_msg(mapped(m.cpu, m.size), "the DMA memory of a channel that did not stop was unmapped");
    for (size_t i = 0; i < m.size; i++) {
        ck_assert_uint_eq(((const uint8_t *)m.cpu)[i], 0xC3U);
    }
    ck_assert_uint_ne(bar_get(&bm, FERRY_CH_REG(2, FERRY_CH_CTRL)) & FERRY_CTRL_ABORT_MASK, 0U);
    read_file(cfgpath, cfg, sizeof(cfg));
    ck_assert_uint_eq(cfg[LX_CMD] & 0x06U, 0x02U); /* master off, memory decoding on */
    munmap(m.cpu, 2U * PAGE);

    /* err NULL: the message on stderr */
    p = open_test_dma(&t, 1000);
    m = test_alloc(p, 64, 1);
    snprintf(path, sizeof(path), "%s/stderr", t.root);
    fflush(stderr);
    saved = dup(2);
    fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    must(saved >= 0 && fd >= 0, path);
    dup2(fd, 2);
    ck_assert_int_eq(ferry_linux_close(p, NULL, 0), FERRY_E_TIMEOUT);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    n = pread(fd, text, sizeof(text) - 1U, 0);
    close(fd);
    must(n > 0, path);
    text[n] = '\0';
    ck_assert_msg(strstr(text, "ferry_linux_close: " BDF ": channel 2 did not stop") != NULL, "stderr: %s", text);
    ck_assert(mapped(m.cpu, m.size));
    munmap(m.cpu, PAGE);

    /* the card does not answer: nothing is known, the memory stays */
    bar_set(&bm, FERRY_CH_REG(2, FERRY_CH_STATUS), 0);
    p = open_test_dma(&t, 1000);
    m = test_alloc(p, 64, 2);
    bar_set(&bm, FERRY_REG_ID, 0xFFFFFFFFU);
    ck_assert_int_eq(ferry_linux_close(p, err, sizeof(err)), FERRY_E_NODEV);
    ck_assert_msg(strstr(err, "does not probe as a ferry") != NULL, "%s", err);
    ck_assert(mapped(m.cpu, m.size));
    munmap(m.cpu, PAGE);
    bar_unmap(&bm);
    tree_free(&t);
}
END_TEST

/* ---- pagemap and time helpers ---- */

START_TEST(test_pagemap)
{
    const uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
    struct tree t;
    char path[512];
    uint8_t ents[4 * 8];
    uint64_t pa = 0;

    tree_new(&t, false);
    memset(ents, 0, sizeof(ents));
    /* page 0: present, PFN 0x12345; page 1: not present; page 2: present, PFN hidden (0); page 3: swapped */
    {
        uint64_t e0 = (UINT64_C(1) << 63) | 0x12345U;
        uint64_t e2 = UINT64_C(1) << 63;
        uint64_t e3 = (UINT64_C(1) << 62) | 0x777U;
        for (unsigned b = 0; b < 8U; b++) {
            ents[0 * 8 + b] = (uint8_t)(e0 >> (8U * b));
            ents[2 * 8 + b] = (uint8_t)(e2 >> (8U * b));
            ents[3 * 8 + b] = (uint8_t)(e3 >> (8U * b));
        }
    }
    tree_file(&t, "pagemap", ents, sizeof(ents));
    snprintf(path, sizeof(path), "%s/pagemap", t.root);
    ck_assert_int_eq(ferry_linux_pagemap_phys(path, 0x123U, &pa), FERRY_OK);
    ck_assert_uint_eq(pa, 0x12345U * page + 0x123U);
    ck_assert_int_eq(ferry_linux_pagemap_phys(path, page + 5U, &pa), FERRY_E_NOMEM);
    ck_assert_int_eq(ferry_linux_pagemap_phys(path, 2U * page, &pa), FERRY_E_NOMEM);
    ck_assert_int_eq(ferry_linux_pagemap_phys(path, 3U * page, &pa), FERRY_E_NOMEM);
    ck_assert_int_eq(ferry_linux_pagemap_phys(path, 4U * page, &pa), FERRY_E_NODEV); /* past the file */
    ck_assert_int_eq(ferry_linux_pagemap_phys("/nonexistent/pagemap", 0, &pa), FERRY_E_NODEV);
    ck_assert_int_eq(ferry_linux_pagemap_phys(NULL, 0, &pa), FERRY_E_INVAL);
    ck_assert_int_eq(ferry_linux_pagemap_phys(path, 0, NULL), FERRY_E_INVAL);
    tree_free(&t);
}
END_TEST

START_TEST(test_timespec)
{
    long long s;
    long ns;

    ferry_linux_us_to_timespec(0, &s, &ns);
    ck_assert(s == 0 && ns == 0);
    ferry_linux_us_to_timespec(1, &s, &ns);
    ck_assert(s == 0 && ns == 1000);
    ferry_linux_us_to_timespec(2500001U, &s, &ns);
    ck_assert(s == 2 && ns == 500001000L);
    ferry_linux_us_to_timespec(UINT64_MAX, &s, &ns);
    ck_assert(s == INT32_MAX && ns == 999999999L);
}
END_TEST

static Suite *port_linux_suite(void)
{
    Suite *s = suite_create("port_linux");
    TCase *tc = tcase_create("port_linux");

    tcase_set_timeout(tc, TEST_TIMEOUT_S);
    UNIT_ADD_TEST(tc, test_bdf_good);
    UNIT_ADD_TEST(tc, test_bdf_bad);
    UNIT_ADD_TEST(tc, test_iova_init_args);
    UNIT_ADD_TEST(tc, test_iova_alloc_args);
    UNIT_ADD_TEST(tc, test_iova_alignment_and_rounding);
    UNIT_ADD_TEST(tc, test_iova_exhaustion_and_reuse);
    UNIT_ADD_TEST(tc, test_iova_top_of_space);
    UNIT_ADD_TEST(tc, test_iova_random_no_overlap);
    UNIT_ADD_TEST(tc, test_open_args);
    UNIT_ADD_TEST(tc, test_open_real_sysfs_missing);
    UNIT_ADD_TEST(tc, test_vfio_missing_device);
    UNIT_ADD_TEST(tc, test_vfio_missing_group);
    UNIT_ADD_TEST(tc, test_vfio_missing_container);
    UNIT_ADD_TEST(tc, test_sysfs_missing_files);
    UNIT_ADD_TEST(tc, test_sysfs_fake_bar);
    UNIT_ADD_TEST(tc, test_sysfs_dma);
    UNIT_ADD_TEST(tc, test_sysfs_uio_wait_bounded);
    UNIT_ADD_TEST(tc, test_uio_intx_no_spin);
    UNIT_ADD_TEST(tc, test_close_idle);
    UNIT_ADD_TEST(tc, test_close_stops_first);
    UNIT_ADD_TEST(tc, test_close_keeps_memory_when_stuck);
    UNIT_ADD_TEST(tc, test_pagemap);
    UNIT_ADD_TEST(tc, test_timespec);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    g_seed = unit_seed();
    return unit_run("test_port_linux", port_linux_suite());
}
