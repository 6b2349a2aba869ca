/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_log.h: the violation log of the protocol checkers (axi_check.c,
 * axil_check.c): how many violations, the first in words with its cycle,
 * and the latest. Messages read "cycle N: <bus>: <rule>: <details>".
 */
#ifndef FERRY_CHECK_LOG_H
#define FERRY_CHECK_LOG_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define CHECK_LOG_LEN 320

typedef struct check_log {
    unsigned n;
    uint64_t first_cycle;
    char first[CHECK_LOG_LEN];
    char last[CHECK_LOG_LEN];
} check_log_t;

static inline void check_log_vadd(check_log_t *l, uint64_t cycle, const char *bus, const char *fmt, va_list ap)
{
    char *dst = l->n == 0 ? l->first : l->last;
    int n = snprintf(dst, CHECK_LOG_LEN, "cycle %llu: %s: ", (unsigned long long)cycle, bus);
    vsnprintf(dst + n, CHECK_LOG_LEN - (size_t)n, fmt, ap);
    if (l->n == 0) {
        l->first_cycle = cycle;
        memcpy(l->last, l->first, CHECK_LOG_LEN);
    }
    l->n++;
}

/* First violation or NULL; its cycle in *cycle if non-NULL. */
static inline const char *check_log_first(const check_log_t *l, uint64_t *cycle)
{
    if (l->n == 0) {
        return NULL;
    }
    if (cycle) {
        *cycle = l->first_cycle;
    }
    return l->first;
}

static inline const char *check_log_last(const check_log_t *l) { return l->n ? l->last : NULL; }

#endif /* FERRY_CHECK_LOG_H */
