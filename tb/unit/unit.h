/* SPDX-License-Identifier: Apache-2.0 */
/*
 * unit.h: what every Check suite of the test bench shares.
 *
 *   SEED=N   seed of the random bus stress (default 1), printed at start
 *   TEST=s   only the tests whose function name contains s
 *   CK_VERBOSITY=verbose lists every test (Check's own variable)
 */
#ifndef FERRY_UNIT_H
#define FERRY_UNIT_H

#include <check.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Seed for tb_config_random(): SEED from the environment, default 1. */
static inline uint64_t unit_seed(void)
{
    const char *e = getenv("SEED");
    return (e != NULL && *e != '\0') ? strtoull(e, NULL, 0) : 1U;
}

/* TEST=substr (env) keeps only the tests whose name contains substr. */
static inline bool unit_wanted(const char *name)
{
    const char *t = getenv("TEST");
    return t == NULL || *t == '\0' || strstr(name, t) != NULL;
}

#define UNIT_ADD_TEST(tc, fn)            \
    do {                                 \
        if (unit_wanted(#fn)) {          \
            tcase_add_test((tc), fn);    \
        }                                \
    } while (0)

/* Prints the seed, runs the suite, returns the process exit status. */
static inline int unit_run(const char *prog, Suite *suite)
{
    const uint64_t seed = unit_seed();
    printf("%s: seed %" PRIu64 " (rerun with SEED=%" PRIu64 ")\n", prog, seed, seed);
    fflush(stdout);
    SRunner *sr = srunner_create(suite);
    srunner_run_all(sr, CK_ENV);
    const int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

#endif /* FERRY_UNIT_H */
