#!/bin/sh
# fuzz-setup.sh - install what `make fuzz-smoke` needs: clang with
# libFuzzer, from Debian's packages. Run as root (or with sudo) once.
#   sh scripts/fuzz-setup.sh --check [CC]   only tell (exit 0: CC, default
#                                           clang, links -fsanitize=fuzzer)
set -e
if [ "$1" = --check ]; then
	cc=${2:-clang}
	command -v "$cc" >/dev/null 2>&1 || exit 1
	echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n){(void)d;(void)n;return 0;}' |
		"$cc" -x c -fsanitize=fuzzer -o /dev/null - >/dev/null 2>&1
	exit $?
fi
if command -v clang >/dev/null 2>&1 &&
   echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n){(void)d;(void)n;return 0;}' |
   clang -x c -fsanitize=fuzzer -o /dev/null - >/dev/null 2>&1; then
	echo "fuzz-setup: clang with libFuzzer is already there: $(clang --version | head -1)"
	exit 0
fi
echo "fuzz-setup: installing clang from Debian's packages"
apt-get update
apt-get install -y clang
clang --version | head -1
