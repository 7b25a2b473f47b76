/*
 * harness.h - the unit-test harness.
 *
 * Contract: each tests/unit/test_<name>.c defines
 *     void tests_<name>(struct test_ctx *t)
 * which calls RUN(t, fn) for each case `static void fn(struct test_ctx *t)`.
 * CHECK* macros record a failure (file:line and the expression) and let
 * the case go on. RUN prints `PASS name` or `FAIL name`; main.c prints
 * `unit: N passed, N failed`.
 */
#ifndef HOTMEM_TEST_HARNESS_H
#define HOTMEM_TEST_HARNESS_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

struct test_ctx {
	unsigned int passed, failed;
	unsigned int case_failures;
};

#define RUN(t, fn)                                                     \
	do {                                                           \
		(t)->case_failures = 0;                                \
		fn(t);                                                 \
		if ((t)->case_failures) {                              \
			(t)->failed++;                                 \
			printf("FAIL %s\n", #fn);                      \
		} else {                                               \
			(t)->passed++;                                 \
			printf("PASS %s\n", #fn);                      \
		}                                                      \
	} while (0)

#define CHECK(t, cond)                                                 \
	do {                                                           \
		if (!(cond)) {                                         \
			(t)->case_failures++;                          \
			printf("  %s:%d: check failed: %s\n", __FILE__,\
			       __LINE__, #cond);                       \
		}                                                      \
	} while (0)

#define CHECK_EQ_U64(t, a, b)                                          \
	do {                                                           \
		uint64_t a_ = (uint64_t)(a), b_ = (uint64_t)(b);       \
		if (a_ != b_) {                                        \
			(t)->case_failures++;                          \
			printf("  %s:%d: %s == %s: %" PRIu64           \
			       " != %" PRIu64 "\n", __FILE__, __LINE__,\
			       #a, #b, a_, b_);                        \
		}                                                      \
	} while (0)

#define CHECK_EQ_INT(t, a, b)                                          \
	do {                                                           \
		long long a_ = (long long)(a), b_ = (long long)(b);    \
		if (a_ != b_) {                                        \
			(t)->case_failures++;                          \
			printf("  %s:%d: %s == %s: %lld != %lld\n",    \
			       __FILE__, __LINE__, #a, #b, a_, b_);    \
		}                                                      \
	} while (0)

#define CHECK_STR(t, a, b)                                             \
	do {                                                           \
		const char *a_ = (a), *b_ = (b);                       \
		if (!a_ || !b_ || strcmp(a_, b_) != 0) {               \
			(t)->case_failures++;                          \
			printf("  %s:%d: %s == %s:\n    got:  \"%s\"\n"\
			       "    want: \"%s\"\n", __FILE__, __LINE__,   \
			       #a, #b, a_ ? a_ : "(null)",             \
			       b_ ? b_ : "(null)");                    \
		}                                                      \
	} while (0)

#endif
