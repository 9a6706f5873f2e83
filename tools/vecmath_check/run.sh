#!/bin/sh
# Build the checker for the baseline and AVX2+FMA, then run a mode of it:
#   sh tools/vecmath_check/run.sh [flags|double [N]|float|bench [reps]|all]
# Also prints GCC's vectorization report for the loops (and for AVX-512, compile only).
# Binaries go to ${TMPDIR:-/tmp}/vecmath_check.  The float mode takes ~10 min per ISA
# on 2 cores (2^32 inputs x 6 functions, each against libm).
set -e
here=$(cd "$(dirname "$0")" && pwd)
out=${TMPDIR:-/tmp}/vecmath_check
mkdir -p "$out"
for isa in baseline avx2; do
    case $isa in baseline) fl="";; avx2) fl="-mavx2 -mfma";; esac
    echo "== $isa ($fl): vectorization"
    gcc -O3 $fl -fopt-info-vec-optimized -c "$here/vec_loops.c" -o "$out/vec_loops_$isa.o" 2>&1 \
        | grep "loop vectorized" | sed 's/^/   /'
    # the checker itself: OpenMP only splits the exhaustive float32 run over cores
    gcc -O3 $fl -fopenmp -c "$here/vecmath_check.c" -o "$out/check_$isa.o"
    gcc -fopenmp "$out/check_$isa.o" "$out/vec_loops_$isa.o" -lm -o "$out/check_$isa"
done
echo "== avx512 (compile only): vectorization"
gcc -O3 -mavx512f -mavx512dq -mavx512bw -mavx512vl -mavx2 -mfma -fopt-info-vec-optimized \
    -c "$here/vec_loops.c" -o "$out/vec_loops_avx512.o" 2>&1 | grep "loop vectorized" \
    | sed 's/^/   /'
[ $# -eq 0 ] && exit 0
rc=0
for isa in baseline avx2; do
    echo "== $isa: $*"
    "$out/check_$isa" "$@" || rc=1
done
exit $rc
