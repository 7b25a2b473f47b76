/*
 * fuzz_scenario.c - libFuzzer harness: the scenario parser on arbitrary
 * bytes (docs/fuzzing.md). A parse either succeeds or reports errors;
 * it never crashes, leaks or reads out of bounds, and every error line
 * has the FILE:LINE: error: shape.
 * Expected workload: inputs of up to a few KiB, millions of runs.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../src/scenario/scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf diag;
	struct scenario *sc = NULL;
	int rc;

	sb_init(&diag);
	rc = scenario_parse("f.scn", (const char *)data, size, &sc, &diag);
	if (rc == -EINVAL && (!diag.buf || strncmp(diag.buf, "f.scn:", 6)))
		abort();	/* an error without its FILE:LINE */
	if (rc == 0 && !sc)
		abort();
	scenario_free(sc);
	sb_release(&diag);
	return 0;
}
