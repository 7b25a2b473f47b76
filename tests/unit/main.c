/*
 * main.c - runs every unit-test file; the last line is
 * `unit: N passed, N failed`.
 */
#include <stdio.h>

#include "harness.h"

void tests_procfs_text(struct test_ctx *t);
void tests_scenario_parse(struct test_ctx *t);
void tests_model(struct test_ctx *t);
void tests_oracle(struct test_ctx *t);
void tests_arch(struct test_ctx *t);
void tests_memremap(struct test_ctx *t);
void tests_devmem(struct test_ctx *t);
void tests_check(struct test_ctx *t);
void tests_procfs_arch(struct test_ctx *t);
void tests_pseries(struct test_ctx *t);
void tests_usertool(struct test_ctx *t);
void tests_agent(struct test_ctx *t);
void tests_qemu_argv(struct test_ctx *t);
void tests_qemu_snapshot(struct test_ctx *t);
void tests_platform_arm64(struct test_ctx *t);
void tests_run_walk(struct test_ctx *t);

int main(void)
{
	struct test_ctx t = { 0, 0, 0 };

	tests_procfs_text(&t);
	tests_scenario_parse(&t);
	tests_model(&t);
	tests_oracle(&t);
	tests_arch(&t);
	tests_memremap(&t);
	tests_devmem(&t);
	tests_check(&t);
	tests_procfs_arch(&t);
	tests_pseries(&t);
	tests_usertool(&t);
	tests_agent(&t);
	tests_qemu_argv(&t);
	tests_qemu_snapshot(&t);
	tests_platform_arm64(&t);
	tests_run_walk(&t);
	printf("unit: %u passed, %u failed\n", t.passed, t.failed);
	return t.failed ? 1 : 0;
}
