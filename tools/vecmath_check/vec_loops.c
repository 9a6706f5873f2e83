/* Vectorization probe: compile with -O3 -fopt-info-vec-optimized. */
#include "../../fastrelu/_vecmath.h"
#define LOOP1(NAME, T, F) \
    void NAME(const T *restrict x, T *restrict o, long n) { \
        for (long i = 0; i < n; i++) o[i] = F(x[i]); }
#define LOOP2(NAME, T, F) \
    void NAME(T a, const T *restrict x, T *restrict o, long n) { \
        for (long i = 0; i < n; i++) o[i] = F(a, x[i]); }
LOOP1(loop_expm1_f, float, fr_vexpm1_f)
LOOP1(loop_exp_f, float, fr_vexp_f)
LOOP1(loop_expm1_d, double, fr_vexpm1_d)
LOOP1(loop_exp_d, double, fr_vexp_d)
LOOP2(loop_sexpm1_f, float, fr_vscaled_expm1_f)
LOOP2(loop_sexp_f, float, fr_vscaled_exp_f)
LOOP2(loop_sexpm1_d, double, fr_vscaled_expm1_d)
LOOP2(loop_sexp_d, double, fr_vscaled_exp_d)
