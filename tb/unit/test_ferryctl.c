/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_ferryctl: runs the ferryctl binary built next to this test
 * (sim/out/<cfg>/ferryctl) and checks exit status, stdout and stderr:
 *
 * - every subcommand with --sim (info, regs, selftest, copy, bench), with
 *   the figures it prints checked against the build configuration;
 * - a copy that times out (a tiny --timeout-us, or reads the simulated
 *   memory answers late, FERRYCTL_SIM_HOLD_US): its channel is stopped
 *   before the next copy uses the buffers (no FERRY_E_BUSY, no stale bytes
 *   in a later case) and before they are freed (the sim port sees no burst
 *   outstanding to a freed buffer), or, when it cannot stop, the buffers are
 *   kept, no copy uses them again and the channel is named;
 * - a copy ferryctl did not start, running on a channel it wants
 *   (FERRYCTL_SIM_FOREIGN_CH, as another process's on a card): left alone;
 * - usage errors exit 2 with a message naming the problem;
 * - --vfio / --uio failures exit 1 with a message naming the file or the
 *   register value, on fake sysfs trees (FERRYCTL_SYSFS_ROOT,
 *   FERRYCTL_DEV_ROOT) so no real device is ever opened;
 * - info and regs through the --uio port on a fake resource0 file.
 *
 * Each run has a 60 s alarm (times CK_TIMEOUT_MULTIPLIER), so a hung ferryctl fails the test instead of
 * hanging it. SEED (env) is passed on to ferryctl.
 */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <inttypes.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ferry/ferry.h"
#include "ferry/ferry_regs.h"
#include "unit.h"

#ifndef FERRY_NUM_CHANNELS
#define FERRY_NUM_CHANNELS 4
#endif
#ifndef FERRY_DATA_WIDTH
#define FERRY_DATA_WIDTH 64
#endif

#define TEST_TIMEOUT_S 240
#define RUN_ALARM_S 60U
#define OUT_MAX (256U * 1024U)
#define BDF "0000:01:00.0"

static char g_ctl[PATH_MAX];

struct run {
    int status;  /* exit status, or 128 + signal */
    char out[OUT_MAX];
    char err[OUT_MAX];
};

static void read_all(const char *path, char *buf, size_t len)
{
    FILE *f = fopen(path, "rb");
    size_t n = 0;

    buf[0] = '\0';
    if (f != NULL) {
        n = fread(buf, 1, len - 1U, f);
        fclose(f);
    }
    buf[n] = '\0';
}

/* Runs ferryctl with the NULL-terminated arguments; env: "NAME=value"
 * strings added to the environment (NULL for none). */
static void run_env(struct run *r, const char *const *env, ...)
{
    const char *argv[32];
    char outp[] = "/tmp/ferryctl_out_XXXXXX", errp[] = "/tmp/ferryctl_err_XXXXXX";
    int ofd = mkstemp(outp), efd = mkstemp(errp);
    unsigned n = 0;
    va_list ap;
    pid_t pid;
    int st = 0;

    ck_assert_msg(ofd >= 0 && efd >= 0, "mkstemp: %s", strerror(errno));
    argv[n++] = g_ctl;
    va_start(ap, env);
    for (const char *a = va_arg(ap, const char *); a != NULL && n < 31U; a = va_arg(ap, const char *)) {
        argv[n++] = a;
    }
    va_end(ap);
    argv[n] = NULL;
    fflush(stdout);
    pid = fork();
    ck_assert_msg(pid >= 0, "fork: %s", strerror(errno));
    if (pid == 0) {
        dup2(ofd, 1);
        dup2(efd, 2);
        for (unsigned i = 0; env != NULL && env[i] != NULL; i++) {
            putenv((char *)env[i]);
        }
        /* survives exec: a hung ferryctl dies; scaled like Check's own
         * timeouts (CK_TIMEOUT_MULTIPLIER), for slow builds (make coverage) */
        const char *mul = getenv("CK_TIMEOUT_MULTIPLIER");
        unsigned m = mul != NULL ? (unsigned)strtoul(mul, NULL, 10) : 1U;
        alarm(RUN_ALARM_S * (m > 0U ? m : 1U));
        execv(g_ctl, (char *const *)argv);
        _exit(127);
    }
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
    }
    close(ofd);
    close(efd);
    read_all(outp, r->out, sizeof(r->out));
    read_all(errp, r->err, sizeof(r->err));
    unlink(outp);
    unlink(errp);
    r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
}

#define RUN(r, ...) run_env((r), NULL, __VA_ARGS__, (const char *)NULL)

static void expect(const struct run *r, int status, const char *out_has, const char *err_has)
{
    ck_assert_msg(r->status == status, "exit status %d, want %d\n--- stdout:\n%s\n--- stderr:\n%s", r->status, status,
                  r->out, r->err);
    if (out_has != NULL) {
        ck_assert_msg(strstr(r->out, out_has) != NULL, "stdout lacks \"%s\":\n%s\n--- stderr:\n%s", out_has, r->out,
                      r->err);
    }
    if (err_has != NULL) {
        ck_assert_msg(strstr(r->err, err_has) != NULL, "stderr lacks \"%s\":\n%s", err_has, r->err);
    }
    if (status != 0) {
        ck_assert_msg(strncmp(r->err, "ferryctl: ", 10) == 0, "failure without a ferryctl: message:\n%s", r->err);
    }
}

static unsigned count(const char *hay, const char *needle)
{
    unsigned n = 0;
    for (const char *p = strstr(hay, needle); p != NULL; p = strstr(p + 1, needle)) {
        n++;
    }
    return n;
}

/* ---- --sim: every subcommand ---- */

START_TEST(test_sim_info)
{
    static struct run r;
    char want[128];
    const char *clk;
    double mhz = 0.0;

    RUN(&r, "--sim", "info");
    expect(&r, 0, "ID          0x46525259 \"FRRY\"", NULL);
    ck_assert_str_eq(r.err, "");
    snprintf(want, sizeof(want), "IF_VERSION  %u.", FERRY_IF_VERSION_MAJOR);
    expect(&r, 0, want, NULL);
    snprintf(want, sizeof(want), ": %u channel%s, %u-bit data bus", FERRY_NUM_CHANNELS,
             FERRY_NUM_CHANNELS == 1 ? "" : "s", FERRY_DATA_WIDTH);
    expect(&r, 0, want, NULL);
    expect(&r, 0, "port        sim:", NULL);
    expect(&r, 0, "wait_irq    yes", NULL);
    expect(&r, 0, "CYCLE       ", NULL);
    /* the cycle counter against the simulated 250 MHz platform clock */
    clk = strstr(r.out, "clock       ");
    ck_assert_ptr_nonnull(clk);
    ck_assert_int_eq(sscanf(clk, "clock       %lf MHz", &mhz), 1);
    ck_assert_msg(mhz > 249.0 && mhz < 252.0, "clock %.1f MHz, want 250", mhz);
#ifdef FERRY_CH_BYTES_RD_LO
    /* per-channel counters: a header line and one row per channel, all zero on a fresh model */
    expect(&r, 0, "counters    ch     bytes read  bytes written  transfers", NULL);
    snprintf(want, sizeof(want), "            %2u              0              0          0        0",
             FERRY_NUM_CHANNELS - 1);
    expect(&r, 0, want, NULL);
#endif
}
END_TEST

START_TEST(test_sim_regs)
{
    static struct run r;
    char want[64];

    RUN(&r, "--sim", "regs");
    expect(&r, 0, "global registers (BAR0):", NULL);
    ck_assert_str_eq(r.err, "");
    /* every register of the generated table, globals once, the rest per channel */
    for (unsigned i = 0; i < ferry_reg_info_count; i++) {
        char name[48];
        snprintf(name, sizeof(name), " %-12s %s ", ferry_reg_info[i].name, ferry_reg_info[i].access);
        ck_assert_msg(count(r.out, name) == (ferry_reg_info[i].per_channel ? (unsigned)FERRY_NUM_CHANNELS : 1U),
                      "\"%s\" appears %u times", name, count(r.out, name));
    }
    ck_assert_uint_eq(count(r.out, "channel "), FERRY_NUM_CHANNELS);
    expect(&r, 0, "0x0000  ID           ro  0x46525259  \"FRRY\"", NULL);
    snprintf(want, sizeof(want), "CHANNELS=%u", FERRY_NUM_CHANNELS);
    expect(&r, 0, want, NULL);
    expect(&r, 0, "BUSY=0  DONE=0  ERROR=0  DB_OVERRUN=0  CPL=0  RING_ACTIVE=0  HALTED=0  STOPPING=0  ERR_CODE=0 (NONE)",
           NULL);
    expect(&r, 0, "CTRL         wo  (write-only)", NULL);
    /* fields and side effects come from the generated table */
    expect(&r, 0, "CYCLE_LO     ro  0x", NULL);
    expect(&r, 0, "(read latches the counter's bits 63:32 into CYCLE_HI)", NULL);
    expect(&r, 0, "ENABLE=0  LOG2_SIZE=0", NULL);
    snprintf(want, sizeof(want), "IF_VERSION   ro  0x%04X%04X  MINOR=%u  MAJOR=%u", FERRY_IF_VERSION_MAJOR,
             FERRY_IF_VERSION_MINOR, FERRY_IF_VERSION_MINOR, FERRY_IF_VERSION_MAJOR);
    expect(&r, 0, want, NULL); /* the generated interface version */

    /* --ch picks one channel */
    RUN(&r, "--sim", "--ch", "0", "regs");
    expect(&r, 0, "channel 0 (BAR0 + 0x1000):", NULL);
    ck_assert_uint_eq(count(r.out, "channel "), 1U);
}
END_TEST

START_TEST(test_sim_selftest)
{
    static struct run r;
    unsigned copies = 0, irq = 0;
    unsigned long long bytes = 0;
    const char *p;

    RUN(&r, "--sim", "selftest");
    expect(&r, 0, "selftest: PASS", NULL);
    ck_assert_str_eq(r.err, "");
    expect(&r, 0, "selftest: SCRATCH register reads back 36 patterns", NULL);
    expect(&r, 0, "every destination byte and 64 guard bytes each side checked", NULL);
    p = strstr(r.out, " copies, ");
    ck_assert_ptr_nonnull(p);
    while (p > r.out && p[-1] != ' ') {
        p--;
    }
    ck_assert_int_eq(sscanf(p, "%u copies, %llu bytes, %u with interrupts", &copies, &bytes, &irq), 3);
    ck_assert_uint_ge(copies, 800U);
    ck_assert_uint_eq(irq, copies / 2U); /* every other copy waits on the interrupt */
    expect(&r, 0, "checked against the reference model", NULL);
#ifdef FERRY_CH_BYTES_RD_LO
    {
        /* the device's counters agree with what ran */
        char want[160];
        snprintf(want, sizeof(want), "selftest: device counters: %llu bytes read, %llu written, %u transfers, 0 errors",
                 bytes, bytes, copies);
        expect(&r, 0, want, NULL);
    }
#endif
}
END_TEST

START_TEST(test_sim_selftest_irq_quick)
{
    static struct run r;
    char want[96];

    RUN(&r, "--sim", "--irq", "--quick", "--seed", "7", "selftest");
    expect(&r, 0, "selftest: PASS", NULL);
    expect(&r, 0, "84 copies, ", NULL);
    expect(&r, 0, "84 with interrupts", NULL);
    expect(&r, 0, "seed 7", NULL);
    /* one channel only */
    snprintf(want, sizeof(want), "channels %u..%u", FERRY_NUM_CHANNELS - 1, FERRY_NUM_CHANNELS - 1);
    {
        char ch[8];
        snprintf(ch, sizeof(ch), "%u", FERRY_NUM_CHANNELS - 1);
        RUN(&r, "--sim", "--quick", "--quiet-bus", "--ch", ch, "selftest");
    }
    expect(&r, 0, want, NULL);
    expect(&r, 0, "selftest: PASS", NULL);
}
END_TEST

START_TEST(test_sim_copy)
{
    static struct run r;

    RUN(&r, "--sim", "copy", "3", "5", "1000");
    expect(&r, 0, "copy: 1000 bytes on channel 0, bus 0x", NULL);
    expect(&r, 0, "copy: destination matches, 64 guard bytes each side and the source untouched: PASS", NULL);
    ck_assert_str_eq(r.err, "");
    RUN(&r, "--sim", "--irq", "copy", "0x0", "0xFFF", "1");
    expect(&r, 0, "copy: 1 bytes on channel 0 (interrupt)", NULL);
    RUN(&r, "--sim", "--ch", "0", "copy", "4093", "0", "70000");
    expect(&r, 0, "PASS", NULL);
}
END_TEST

START_TEST(test_sim_bench)
{
    static struct run r;
    const double peak = (FERRY_DATA_WIDTH / 8.0) * 250.0; /* bytes/us at the simulated 250 MHz */
    static const unsigned sizes[] = {4096, 65536, 1048576};

    RUN(&r, "--sim", "--quiet-bus", "bench");
    expect(&r, 0, "bench: platform clock is simulated time (quiet bus)", NULL);
    ck_assert_str_eq(r.err, "");
    for (size_t i = 0; i < 3U; i++) {
        char key[32];
        const char *p;
        unsigned bytes = 0, reps = 0;
        unsigned long long us = 0;
        double bpu = 0.0;
        snprintf(key, sizeof(key), "  %10u ", sizes[i]);
        p = strstr(r.out, key);
        ck_assert_msg(p != NULL, "no row for %u bytes:\n%s", sizes[i], r.out);
        ck_assert_int_eq(sscanf(p, "%u %u %llu %lf", &bytes, &reps, &us, &bpu), 4);
        ck_assert_uint_eq(bytes, sizes[i]);
        ck_assert_uint_eq(reps, 8U);
        ck_assert_msg(us > 0U && bpu > 0.0 && bpu <= peak * 1.01, "%u bytes: %.1f bytes/us (peak %.0f)", sizes[i],
                      bpu, peak);
        if (sizes[i] == 1048576U) {
            /* a quiet bus streams a large copy close to the bus peak */
            ck_assert_msg(bpu > peak * 0.5, "1 MiB at %.1f bytes/us, peak %.0f", bpu, peak);
        }
    }
    RUN(&r, "--sim", "--irq", "--quick", "bench");
    expect(&r, 0, "waiting on the interrupt", NULL);
    expect(&r, 0, "2 copies per size", NULL);
    expect(&r, 0, "  1048576      2 ", NULL);
}
END_TEST

/* ---- a copy that times out: its channel stopped before its buffers go ---- */

/* The sim port reports a buffer freed while the memory model still has
 * bursts to it (ferry_port_sim.h): on a card, DMA into freed memory. */
static void expect_no_unsafe_free(const struct run *r)
{
    ck_assert_msg(strstr(r->err, "ferry_sim: DMA buffer") == NULL,
                  "a DMA buffer was freed with bursts to it still outstanding\n--- stderr:\n%s", r->err);
}

/* A failed command: exit 1, err_has in stderr, the last line ferryctl's own. */
static void expect_fail(const struct run *r, const char *err_has)
{
    ck_assert_msg(r->status == 1, "exit status %d, want 1\n--- stdout:\n%s\n--- stderr:\n%s", r->status, r->out,
                  r->err);
    ck_assert_msg(strstr(r->err, err_has) != NULL, "stderr lacks \"%s\":\n%s", err_has, r->err);
}

/* Copies that time out with their channel still BUSY and bursts out: ones
 * far too long for their budget (copy, bench, selftest), and one whose read
 * the memory answers 150 us late (FERRYCTL_SIM_HOLD_US), after its 100 us
 * budget, so a read of the source is certainly outstanding when ferryctl
 * gives up. Each channel must be stopped before the buffers are freed: the
 * sim port finds no burst outstanding to a buffer freed, nothing is kept. */
START_TEST(test_sim_timeout_stops_before_free)
{
    static struct run r;
    const char *hold[] = {"FERRYCTL_SIM_HOLD_US=150", NULL};

    RUN(&r, "--sim", "--quiet-bus", "--timeout-us", "1", "copy", "0", "0", "1048576");
    expect_no_unsafe_free(&r);
    expect_fail(&r, "copy ch 0 len 1048576 src_off 0 dst_off 0: FERRY_E_TIMEOUT (wait budget spent) after 1 us");
    expect_fail(&r, "ferryctl: copy: FAIL (details above)");
    ck_assert_ptr_null(strstr(r.err, "kept"));

    RUN(&r, "--sim", "--quiet-bus", "--quick", "--timeout-us", "5", "bench");
    expect_no_unsafe_free(&r);
    expect_fail(&r, "ferryctl: bench: FAIL: copy of ");
    ck_assert_ptr_null(strstr(r.err, "kept"));

    RUN(&r, "--sim", "--quiet-bus", "--quick", "--timeout-us", "2", "selftest");
    expect_no_unsafe_free(&r);
    expect_fail(&r, "ferryctl: selftest: FAIL: 8 of ");
    ck_assert_ptr_null(strstr(r.err, "kept"));

    /* 64 bytes, one or two bursts on any build: the reads come at 150 us
     * (300 at most), well within the stop's budget of 1000 us */
    run_env(&r, hold, "--sim", "--quiet-bus", "--timeout-us", "100", "copy", "0", "0", "64", (const char *)NULL);
    expect_no_unsafe_free(&r);
    expect_fail(&r, "copy ch 0 len 64 src_off 0 dst_off 0: FERRY_E_TIMEOUT (wait budget spent) after 100 us");
    ck_assert_ptr_null(strstr(r.err, "kept"));
}
END_TEST

/* A selftest whose copies time out, with every read FERRYCTL_SIM_HOLD_US
 * late. All cases share the two buffers, so a channel whose copy timed out
 * must be stopped at once, before the next case fills them; the run then
 * goes on (selftest reports up to 8 failures). Each failure must be that
 * copy's own timeout, followed by its channel's stop: no FERRY_E_BUSY from a
 * channel still running an earlier copy, no byte a stale channel wrote into
 * a later case's span. */
static void expect_timeouts_stopped(const char *hold_env, const char *timeout_us)
{
    static struct run r;
    const char *env[] = {hold_env, NULL};
    const char *p;
    char want[96];
    unsigned failed = 0, copies = 0;

    run_env(&r, env, "--sim", "--quiet-bus", "--quick", "--timeout-us", timeout_us, "selftest", (const char *)NULL);
    expect_no_unsafe_free(&r);
    expect_fail(&r, "ferryctl: selftest: FAIL: ");
    p = strstr(r.err, "ferryctl: selftest: FAIL: ");
    ck_assert_int_eq(sscanf(p, "ferryctl: selftest: FAIL: %u of %u copies wrong", &failed, &copies), 2);
    ck_assert_msg(strstr(r.err, "FERRY_E_BUSY") == NULL && strstr(r.err, "byte at bus") == NULL,
                  "%s, --timeout-us %s: a copy met a channel or bytes left by an earlier copy that timed out\n"
                  "--- stderr:\n%s",
                  hold_env, timeout_us, r.err);
    snprintf(want, sizeof(want), "FERRY_E_TIMEOUT (wait budget spent) after %s us", timeout_us);
    ck_assert_msg(failed > 0U && count(r.err, want) == failed &&
                      count(r.err, " stopped before the buffers are used again or freed (STATUS 0x") == failed,
                  "%s, --timeout-us %s: want %u timeouts, each with its channel stopped\n--- stderr:\n%s", hold_env,
                  timeout_us, failed, r.err);
    ck_assert_ptr_null(strstr(r.err, "kept"));
}

START_TEST(test_sim_timeout_stops_channel_before_next_copy)
{
    /* reads 150 us late, 20 us budgets: every copy times out with its read
     * out; a channel comes round again after 4 copies (80 us) */
    expect_timeouts_stopped("FERRYCTL_SIM_HOLD_US=150", "20");
    /* reads 50 us late, 100 us budgets: the small copies pass, larger ones
     * time out and are followed by cases whose spans they overlap */
    expect_timeouts_stopped("FERRYCTL_SIM_HOLD_US=50", "100");
}
END_TEST

/* Every read held for ever: a copy times out and its channel cannot stop
 * (STOPPING waits for the response). ferryctl stops it right after the
 * timeout; as it does not stop, the buffers are kept, not freed and not used
 * by another copy: ferryctl says which channel and why, and exits 1. */
START_TEST(test_sim_stuck_channel_keeps_buffers)
{
    static struct run r;
    const char *hold[] = {"FERRYCTL_SIM_HOLD_US=forever", NULL};

    run_env(&r, hold, "--sim", "--quiet-bus", "--timeout-us", "20", "copy", "0", "0", "4096", (const char *)NULL);
    expect_fail(&r, "ferryctl: copy: channel 0 did not stop within 1000 us after its copy timed out (still BUSY): "
                    "the two DMA buffers (12288 bytes each) are kept, not freed");
    expect_no_unsafe_free(&r);
    expect_fail(&r, "FERRY_E_TIMEOUT (wait budget spent) after 20 us");
    expect_fail(&r, "ferryctl: copy: FAIL (details above)");
    ck_assert_uint_eq(count(r.err, "did not stop"), 1U); /* said once, not again at the free */

    run_env(&r, hold, "--sim", "--quiet-bus", "--quick", "--timeout-us", "20", "bench", (const char *)NULL);
    expect_fail(&r, "ferryctl: bench: channel 0 did not stop within 1000 us after its copy timed out (still BUSY)");
    expect_fail(&r, "ferryctl: bench: FAIL: copy of 4096 bytes");
    expect_no_unsafe_free(&r);
    ck_assert_uint_eq(count(r.err, "did not stop"), 1U);

    /* the first copy's channel is stuck: the run ends there, no other
     * channel copies into the kept buffers */
    run_env(&r, hold, "--sim", "--quiet-bus", "--quick", "--timeout-us", "20", "selftest", (const char *)NULL);
    expect_fail(&r, "ferryctl: selftest: channel 0 did not stop within 1000 us after its copy timed out (still "
                    "BUSY): the two DMA buffers");
    expect_fail(&r, "are kept, not freed");
    expect_fail(&r, "ferryctl: selftest: FAIL: 1 of 1 copies wrong, stopped there: a channel did not stop");
    ck_assert_uint_eq(count(r.err, "  copy ch "), 1U);
    expect_no_unsafe_free(&r);
}
END_TEST

/* ---- a channel another process uses ---- */

/* The line FERRYCTL_SIM_FOREIGN_CH=0 prints after the command: the foreign
 * copy on channel 0 still runs, untouched, and its interrupt (DONE and
 * ERROR) is still enabled. */
static void expect_foreign_runs(const struct run *r)
{
    ck_assert_msg(strstr(r->err, "ferryctl: FERRYCTL_SIM_FOREIGN_CH: the foreign copy on ch 0 still runs (") != NULL,
                  "ferryctl stopped a copy it did not start\n--- stdout:\n%s\n--- stderr:\n%s", r->out, r->err);
    ck_assert_msg(strstr(r->err, "ERR_CODE NONE), IRQ_ENABLE 0x3\n") != NULL,
                  "ferryctl changed the interrupt enable of a channel it did not start a copy on\n--- stderr:\n%s",
                  r->err);
}

/* Channel 0 runs a copy ferryctl did not start, with its interrupt enabled
 * (FERRYCTL_SIM_FOREIGN_CH: a second driver handle started it, as another
 * process on a card under --uio or --vfio would). ferryctl's copies there
 * get FERRY_E_BUSY, and nothing of it was written; its stop before the
 * free must leave that channel alone, as the channels it never copied on,
 * and a copy waiting on its interrupt must not enable and then disable the
 * channel's: the copy still runs after the command, its IRQ_ENABLE as it
 * was. Its 16 MiB take far longer than these runs. */
START_TEST(test_sim_foreign_copy_left_running)
{
    static struct run r;
    const char *env[] = {"FERRYCTL_SIM_FOREIGN_CH=0", NULL};
    unsigned failed = 0;

    run_env(&r, env, "--sim", "copy", "0", "0", "64", (const char *)NULL);
    expect_fail(&r, "copy ch 0 len 64 src_off 0 dst_off 0: FERRY_E_BUSY (channel busy)");
    expect_foreign_runs(&r);

    run_env(&r, env, "--sim", "--irq", "copy", "0", "0", "64", (const char *)NULL);
    expect_fail(&r, "copy ch 0 len 64 src_off 0 dst_off 0: FERRY_E_BUSY (channel busy)");
    expect_foreign_runs(&r);

    run_env(&r, env, "--sim", "--quick", "bench", (const char *)NULL);
    expect_fail(&r, "ferryctl: bench: FAIL: copy of 4096 bytes");
    expect_foreign_runs(&r);

    /* every channel, every other copy on the interrupt: those on channel 0
     * fail with FERRY_E_BUSY, the others pass (8 failures end the run; with
     * many channels the 84 copies end first) */
    run_env(&r, env, "--sim", "--quick", "selftest", (const char *)NULL);
    expect_fail(&r, "ferryctl: selftest: FAIL: ");
    ck_assert_int_eq(sscanf(strstr(r.err, "selftest: FAIL: "), "selftest: FAIL: %u of", &failed), 1);
    ck_assert_msg(failed > 0U && count(r.err, "  copy ch ") == failed && count(r.err, "  copy ch 0 ") == failed &&
                      count(r.err, "FERRY_E_BUSY") == failed,
                  "want %u failures, each a copy on channel 0 with FERRY_E_BUSY\n--- stderr:\n%s", failed, r.err);
    expect_foreign_runs(&r);

    if (FERRY_NUM_CHANNELS > 1) {
        /* another channel copies beside it */
        char ch[8];
        snprintf(ch, sizeof(ch), "%u", FERRY_NUM_CHANNELS - 1);
        run_env(&r, env, "--sim", "--ch", ch, "copy", "0", "0", "64", (const char *)NULL);
        expect(&r, 0, "PASS", NULL);
        expect_foreign_runs(&r);
    }
}
END_TEST

/* ---- usage errors: exit 2 ---- */

/* abort and reset on an idle channel: nothing to stop, the state printed. */
START_TEST(test_sim_abort_reset)
{
    static struct run r;

    RUN(&r, "--sim", "abort");
    expect(&r, 0, "abort: ch 0 idle", NULL);
    expect(&r, 0, "ch 0: STATUS 0x00000000  BUSY=0 ERROR=0 HALTED=0 STOPPING=0  ERR_CODE=0 (NONE)", NULL);
    expect(&r, 0, "ch 0: ERR_ADDR 0x0000000000000000  ERR_DESC 0  ERR_BYTES 0  RING_CONS 0", NULL);
    ck_assert_str_eq(r.err, "");
    RUN(&r, "--sim", "--ch", "1", "reset");
    expect(&r, 0, "reset: ch 1 idle", NULL);
    ck_assert_str_eq(r.err, "");
}
END_TEST

START_TEST(test_usage_errors)
{
    static struct run r;

    RUN(&r, "--help");
    expect(&r, 0, "usage: ferryctl", NULL);
    run_env(&r, NULL, (const char *)NULL);
    expect(&r, 2, NULL, "no command");
    RUN(&r, "--sim");
    expect(&r, 2, NULL, "no command");
    RUN(&r, "--sim", "frobnicate");
    expect(&r, 2, NULL, "unknown command frobnicate");
    RUN(&r, "--bogus", "info");
    expect(&r, 2, NULL, "unknown option --bogus");
    RUN(&r, "info");
    expect(&r, 2, NULL, "no port");
    RUN(&r, "--sim", "--vfio", BDF, "info");
    expect(&r, 2, NULL, "give only one of");
    RUN(&r, "--vfio");
    expect(&r, 2, NULL, "--vfio needs a PCI address");
    RUN(&r, "--sim", "--ch", "x", "info");
    expect(&r, 2, NULL, "--ch needs an unsigned number, got x");
    RUN(&r, "--sim", "--ch", "16", "info");
    expect(&r, 2, NULL, "channels are 0..15");
    RUN(&r, "--sim", "--timeout-us", "0", "info");
    expect(&r, 2, NULL, "--timeout-us must be at least 1");
    RUN(&r, "--sim", "info", "extra");
    expect(&r, 2, NULL, "info takes no arguments");
    RUN(&r, "--sim", "reset", "1");
    expect(&r, 2, NULL, "reset takes no arguments");
    RUN(&r, "--sim", "resume");
    expect(&r, 2, NULL, "unknown command resume (info, regs, selftest, copy, bench, abort, reset)");
    RUN(&r, "--sim", "copy", "1", "2");
    expect(&r, 2, NULL, "want SRC_OFF DST_OFF LEN, got 2 arguments");
    RUN(&r, "--sim", "copy", "1", "-2", "3");
    expect(&r, 2, NULL, "must be unsigned numbers");
    RUN(&r, "--sim", "copy", "0", "0", "0");
    expect(&r, 2, NULL, "LEN must be 1..");
    RUN(&r, "--sim", "copy", "0", "0", "0x40000000");
    expect(&r, 2, NULL, "LEN must be 1..");
    {
        const char *env[] = {"SEED=abc", NULL};
        run_env(&r, env, "--sim", "info", (const char *)NULL);
        expect(&r, 2, NULL, "SEED=abc is not a number");
    }
    {
        const char *env[] = {"FERRYCTL_SIM_HOLD_US=0", NULL};
        run_env(&r, env, "--sim", "info", (const char *)NULL);
        expect(&r, 2, NULL, "FERRYCTL_SIM_HOLD_US=0: want microseconds (1 or more) or forever");
    }
    {
        const char *env[] = {"FERRYCTL_SIM_FOREIGN_CH=16", NULL};
        run_env(&r, env, "--sim", "info", (const char *)NULL);
        expect(&r, 2, NULL, "FERRYCTL_SIM_FOREIGN_CH=16: want a channel, 0..15");
    }
}
END_TEST

START_TEST(test_sim_channel_out_of_range)
{
    static struct run r;
    char ch[8];

    if (FERRY_NUM_CHANNELS >= FERRY_MAX_CHANNELS) {
        return; /* every channel number ferryctl accepts exists */
    }
    snprintf(ch, sizeof(ch), "%u", FERRY_NUM_CHANNELS);
    RUN(&r, "--sim", "--ch", ch, "copy", "0", "0", "16");
    expect(&r, 1, NULL, "the device has");
}
END_TEST

/* ---- hardware ports on fake trees: exit 1, the problem named ---- */

struct tree {
    char root[128];
    char sys_env[200];
    char dev_env[200];
};

static void tree_new(struct tree *t)
{
    char p[256];

    snprintf(t->root, sizeof(t->root), "/tmp/ferryctl_tree_XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(t->root));
    snprintf(p, sizeof(p), "%s/sys", t->root);
    ck_assert_int_eq(mkdir(p, 0700), 0);
    snprintf(p, sizeof(p), "%s/dev", t->root);
    ck_assert_int_eq(mkdir(p, 0700), 0);
    snprintf(t->sys_env, sizeof(t->sys_env), "FERRYCTL_SYSFS_ROOT=%s/sys", t->root);
    snprintf(t->dev_env, sizeof(t->dev_env), "FERRYCTL_DEV_ROOT=%s/dev", t->root);
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

static void put_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

/* sys/BDF with resource0 (ID id, IF_VERSION major maj, 2 channels), config. */
static void fake_device(const struct tree *t, uint32_t id, uint32_t maj)
{
    static uint8_t bar[FERRY_BAR_SIZE];
    uint8_t cfg[64];
    char p[256];
    FILE *f;

    memset(bar, id == 0xFFFFFFFFU ? 0xFF : 0, sizeof(bar));
    memset(cfg, 0, sizeof(cfg));
    put_le32(bar + FERRY_REG_ID, id);
    if (id != 0xFFFFFFFFU) {
        put_le32(bar + FERRY_REG_IF_VERSION, maj << FERRY_IF_VERSION_MAJOR_SHIFT);
        put_le32(bar + FERRY_REG_CAP0, FERRY_FIELD_PREP(FERRY_CAP0_CHANNELS, 2U) |
                                           FERRY_FIELD_PREP(FERRY_CAP0_DATA_BYTES, 8U) |
                                           FERRY_FIELD_PREP(FERRY_CAP0_ADDR_WIDTH, 64U));
        put_le32(bar + FERRY_REG_CAP1, FERRY_CAP1_DIRECT_MASK | 64U);
    }
    snprintf(p, sizeof(p), "%s/sys/%s", t->root, BDF);
    ck_assert_int_eq(mkdir(p, 0700), 0);
    snprintf(p, sizeof(p), "%s/sys/%s/resource0", t->root, BDF);
    f = fopen(p, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(bar, 1, sizeof(bar), f), sizeof(bar));
    fclose(f);
    snprintf(p, sizeof(p), "%s/sys/%s/config", t->root, BDF);
    f = fopen(p, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(cfg, 1, sizeof(cfg), f), sizeof(cfg));
    fclose(f);
}

START_TEST(test_hw_bad_bdf)
{
    static struct run r;

    RUN(&r, "--vfio", "0000:zz:00.0", "info");
    expect(&r, 1, NULL, "bad PCI address \"0000:zz:00.0\"");
    RUN(&r, "--uio", "01:00.8", "selftest");
    expect(&r, 1, NULL, "bad PCI address \"01:00.8\"");
}
END_TEST

START_TEST(test_hw_missing)
{
    static struct run r;
    struct tree t;

    tree_new(&t);
    {
        const char *env[] = {t.sys_env, t.dev_env, NULL};
        run_env(&r, env, "--vfio", BDF, "info", (const char *)NULL);
        expect(&r, 1, NULL, "no PCI device 0000:01:00.0");
        run_env(&r, env, "--uio", "01:00.0", "regs", (const char *)NULL);
        expect(&r, 1, NULL, "no PCI device 0000:01:00.0");
        fake_device(&t, FERRY_MAGIC, FERRY_IF_VERSION_MAJOR);
        run_env(&r, env, "--vfio", BDF, "selftest", (const char *)NULL);
        expect(&r, 1, NULL, "has no IOMMU group");
    }
    tree_free(&t);
}
END_TEST

START_TEST(test_hw_uio_fake_bar)
{
    static struct run r;
    struct tree t;

    tree_new(&t);
    fake_device(&t, FERRY_MAGIC, FERRY_IF_VERSION_MAJOR);
    {
        const char *env[] = {t.sys_env, t.dev_env, NULL};
        /* regs works on a plain file: that is a register dump */
        run_env(&r, env, "--uio", BDF, "regs", (const char *)NULL);
        expect(&r, 0, "port        uio (sysfs resource0, no IOMMU: unsafe) 0000:01:00.0", NULL);
        expect(&r, 0, "0x0000  ID           ro  0x46525259  \"FRRY\"", NULL);
        expect(&r, 0, "CHANNELS=2", NULL);
        expect(&r, 0, "interrupts  none", NULL);
        ck_assert_uint_eq(count(r.out, "channel "), 2U);
        /* info finds no clock: the counter of a file does not count */
        run_env(&r, env, "--uio", BDF, "info", (const char *)NULL);
        expect(&r, 1, "CAP0        0x", "the cycle counter did not advance");
        /* no interrupts through sysfs without uio */
        run_env(&r, env, "--uio", BDF, "--irq", "copy", "0", "0", "64", (const char *)NULL);
        expect(&r, 1, NULL, "--irq: this port has no interrupts");
    }
    tree_free(&t);
}
END_TEST

START_TEST(test_hw_not_ferry)
{
    static struct run r;
    struct tree t;
    const char *env[3];

    tree_new(&t);
    env[0] = t.sys_env;
    env[1] = t.dev_env;
    env[2] = NULL;
    fake_device(&t, 0x10EE7024U, 1);
    run_env(&r, env, "--uio", BDF, "info", (const char *)NULL);
    expect(&r, 1, NULL, "ID reads 0x10EE7024, not 0x46525259 \"FRRY\"");
    /* regs still dumps the globals, then names the problem */
    run_env(&r, env, "--uio", BDF, "regs", (const char *)NULL);
    expect(&r, 1, "0x0000  ID           ro  0x10EE7024", "not a ferry device");
    tree_free(&t);

    tree_new(&t);
    env[0] = t.sys_env;
    env[1] = t.dev_env;
    fake_device(&t, 0xFFFFFFFFU, 0);
    run_env(&r, env, "--uio", BDF, "selftest", (const char *)NULL);
    expect(&r, 1, NULL, "ID reads 0xFFFFFFFF (all ones)");
    tree_free(&t);

    tree_new(&t);
    env[0] = t.sys_env;
    env[1] = t.dev_env;
    fake_device(&t, FERRY_MAGIC, FERRY_IF_VERSION_MAJOR + 1U);
    run_env(&r, env, "--uio", BDF, "bench", (const char *)NULL);
    expect(&r, 1, NULL, "interface version");
    tree_free(&t);
}
END_TEST

static Suite *ferryctl_suite(void)
{
    Suite *s = suite_create("ferryctl");
    TCase *tc = tcase_create("ferryctl");

    tcase_set_timeout(tc, TEST_TIMEOUT_S);
    UNIT_ADD_TEST(tc, test_sim_info);
    UNIT_ADD_TEST(tc, test_sim_regs);
    UNIT_ADD_TEST(tc, test_sim_selftest);
    UNIT_ADD_TEST(tc, test_sim_selftest_irq_quick);
    UNIT_ADD_TEST(tc, test_sim_copy);
    UNIT_ADD_TEST(tc, test_sim_bench);
    UNIT_ADD_TEST(tc, test_sim_abort_reset);
    UNIT_ADD_TEST(tc, test_sim_timeout_stops_before_free);
    UNIT_ADD_TEST(tc, test_sim_timeout_stops_channel_before_next_copy);
    UNIT_ADD_TEST(tc, test_sim_stuck_channel_keeps_buffers);
    UNIT_ADD_TEST(tc, test_sim_foreign_copy_left_running);
    UNIT_ADD_TEST(tc, test_usage_errors);
    UNIT_ADD_TEST(tc, test_sim_channel_out_of_range);
    UNIT_ADD_TEST(tc, test_hw_bad_bdf);
    UNIT_ADD_TEST(tc, test_hw_missing);
    UNIT_ADD_TEST(tc, test_hw_uio_fake_bar);
    UNIT_ADD_TEST(tc, test_hw_not_ferry);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1U);

    if (n <= 0) {
        fprintf(stderr, "test_ferryctl: cannot find its own path: %s\n", strerror(errno));
        return EXIT_FAILURE;
    }
    self[n] = '\0';
    snprintf(g_ctl, sizeof(g_ctl), "%s/ferryctl", dirname(self));
    if (access(g_ctl, X_OK) != 0) {
        fprintf(stderr, "test_ferryctl: %s: %s (make build builds it)\n", g_ctl, strerror(errno));
        return EXIT_FAILURE;
    }
    return unit_run("test_ferryctl", ferryctl_suite());
}
