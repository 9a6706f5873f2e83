/*
 * Scalar kernels: one forward and one derivative per activation.
 *
 * Every kernel is written once, as a macro over the float type, on top of a
 * handful of primitives (below).  The macros are stamped out for float (f),
 * double (d) and long double (l); float16 loops call the float kernels.
 * Integer kernels (relu, relu6 only) are stamped out per integer type.
 *
 * Why primitives instead of plain `x > 0 ? x : 0`:
 *  - ordered float compares (<, >) raise FE_INVALID on NaN, which NumPy
 *    reports as "invalid value encountered"; under GCC's default
 *    -ftrapping-math they also stop the loop from being vectorized;
 *  - `x > 0 ? x : 0` and fmax drop NaN, `x * (x > 0)` gives -0 and NaN at -inf.
 * For float and double the primitives read the bit pattern (memcpy to an
 * integer) and select with integer masks, which raises nothing and vectorizes
 * on every ISA.  long double (x87 80-bit on x86) has no such integer view, so
 * its primitives use the quiet C99 classification macros instead; its loops
 * are scalar anyway.
 *
 * Arithmetic is only ever fed values that cannot raise a spurious flag: lanes
 * whose result is discarded get a harmless stand-in (-1), never 0 * inf.
 */
#ifndef FASTRELU_KERNELS_H
#define FASTRELU_KERNELS_H

#include <math.h>
#include <stdint.h>
#include <string.h>

#if defined(_MSC_VER)
#define FR_INLINE static __inline
#else
#define FR_INLINE static inline __attribute__((always_inline))
#endif

/* ---------------------------------------------------------------------------
 * Primitives for float (f) and double (d): bit-pattern based.
 *   fr_isnan_S(x)   1 if x is NaN
 *   fr_pos_S(x)     1 if x > 0 (quiet: 0 for NaN and for -0/+0)
 *   fr_neg_S(x)     1 if x < 0 (quiet: 0 for NaN and for -0/+0)
 *   fr_gt_S(x, c)   1 if x > c, for a constant c > +0 (quiet: 0 for NaN)
 *   fr_ge_S(x, c)   1 if x >= c, for a constant c > +0 (quiet: 0 for NaN)
 *   fr_sel_S(m, a, b)  m ? a : b, branch-free
 * ------------------------------------------------------------------------- */
#define FR_BIT_PRIMITIVES(S, T, U, I, SIGN, ABS, INF)                           \
    FR_INLINE U fr_bits_##S(T x) { U u; memcpy(&u, &x, sizeof u); return u; }   \
    FR_INLINE T fr_from_bits_##S(U u) { T x; memcpy(&x, &u, sizeof x); return x; } \
    FR_INLINE int fr_isnan_##S(T x) { return (fr_bits_##S(x) & ABS) > INF; }   \
    FR_INLINE int fr_pos_##S(T x) {                                             \
        U u = fr_bits_##S(x);                                                   \
        return ((u & SIGN) == 0) & (u != 0) & (u <= INF);                       \
    }                                                                           \
    FR_INLINE int fr_neg_##S(T x) {                                             \
        U u = fr_bits_##S(x);                                                   \
        return ((u & SIGN) != 0) & ((u & ABS) != 0) & ((u & ABS) <= INF);      \
    }                                                                           \
    FR_INLINE int fr_gt_##S(T x, T c) {                                         \
        /* non-negative floats order like their bit patterns as signed ints */  \
        U u = fr_bits_##S(x);                                                   \
        return ((I)u > (I)fr_bits_##S(c)) & ((u & ABS) <= INF);                 \
    }                                                                           \
    FR_INLINE int fr_ge_##S(T x, T c) {                                         \
        U u = fr_bits_##S(x);                                                   \
        return ((I)u >= (I)fr_bits_##S(c)) & ((u & ABS) <= INF);                \
    }                                                                           \
    FR_INLINE T fr_sel_##S(int m, T a, T b) {                                   \
        U mask = (U)0 - (U)m;                                                   \
        return fr_from_bits_##S((fr_bits_##S(a) & mask) | (fr_bits_##S(b) & ~mask)); \
    }

FR_BIT_PRIMITIVES(f, float, uint32_t, int32_t, 0x80000000u, 0x7fffffffu, 0x7f800000u)
FR_BIT_PRIMITIVES(d, double, uint64_t, int64_t, 0x8000000000000000ull,
                  0x7fffffffffffffffull, 0x7ff0000000000000ull)

/* long double: the quiet C99 macros (isgreater & co. never raise on NaN). */
FR_INLINE int fr_isnan_g(long double x) { return isnan(x) != 0; }
FR_INLINE int fr_pos_g(long double x) { return isgreater(x, 0.0L); }
FR_INLINE int fr_neg_g(long double x) { return isless(x, 0.0L); }
FR_INLINE int fr_gt_g(long double x, long double c) { return isgreater(x, c); }
FR_INLINE int fr_ge_g(long double x, long double c) { return isgreaterequal(x, c); }
FR_INLINE long double fr_sel_g(int m, long double a, long double b) { return m ? a : b; }

/* expm1 and exp per type.  float goes through double: the double result
 * rounded once to float is within 1 ULP (the speed issue replaces these calls
 * with vectorized polynomials). */
FR_INLINE float fr_expm1_f(float x) { return (float)expm1((double)x); }
FR_INLINE double fr_expm1_d(double x) { return expm1(x); }
FR_INLINE long double fr_expm1_g(long double x) { return expm1l(x); }
FR_INLINE float fr_exp_f(float x) { return (float)exp((double)x); }
FR_INLINE double fr_exp_d(double x) { return exp(x); }
FR_INLINE long double fr_exp_g(long double x) { return expl(x); }
/* alpha * expm1(x) for float, computed in double and rounded once */
FR_INLINE float fr_scaled_expm1_f(float a, float x) { return (float)((double)a * expm1((double)x)); }
FR_INLINE double fr_scaled_expm1_d(double a, double x) { return a * expm1(x); }
FR_INLINE long double fr_scaled_expm1_g(long double a, long double x) { return a * expm1l(x); }
FR_INLINE float fr_scaled_exp_f(float a, float x) { return (float)((double)a * exp((double)x)); }
FR_INLINE double fr_scaled_exp_d(double a, double x) { return a * exp(x); }
FR_INLINE long double fr_scaled_exp_g(long double a, long double x) { return a * expl(x); }

/* ---------------------------------------------------------------------------
 * The activations: one definition each, for every float type S/T.
 * fr_<name>_fwd_S(x, params...) and fr_<name>_grad_S(x, params...).
 * The fused backward is dy * grad, written by the loop generator.
 * ------------------------------------------------------------------------- */
#define FR_FLOAT_KERNELS(S, T)                                                  \
    /* relu: x if x > 0 else +0; NaN passes through, -0 -> +0 */               \
    FR_INLINE T fr_relu_fwd_##S(T x) {                                          \
        return fr_sel_##S(fr_pos_##S(x) | fr_isnan_##S(x), x, (T)0);           \
    }                                                                           \
    FR_INLINE T fr_relu_grad_##S(T x) {                                         \
        return fr_sel_##S(fr_isnan_##S(x), x, fr_sel_##S(fr_pos_##S(x), (T)1, (T)0)); \
    }                                                                           \
    /* relu6: min(max(x, 0), 6) */                                              \
    FR_INLINE T fr_relu6_fwd_##S(T x) {                                         \
        T r = fr_relu_fwd_##S(x);                                               \
        return fr_sel_##S(fr_gt_##S(r, (T)6), (T)6, r);                        \
    }                                                                           \
    FR_INLINE T fr_relu6_grad_##S(T x) {                                        \
        int inside = fr_pos_##S(x) & !fr_ge_##S(x, (T)6);                       \
        return fr_sel_##S(fr_isnan_##S(x), x, fr_sel_##S(inside, (T)1, (T)0)); \
    }                                                                           \
    /* leaky_relu / prelu: x if x >= 0 else a*x (so -0 stays -0) */             \
    FR_INLINE T fr_leaky_relu_fwd_##S(T x, T a) {                               \
        int neg = fr_neg_##S(x);                                                \
        T scaled = a * fr_sel_##S(neg, x, (T)-1);                               \
        return fr_sel_##S(neg, scaled, x);                                      \
    }                                                                           \
    FR_INLINE T fr_leaky_relu_grad_##S(T x, T a) {                              \
        return fr_sel_##S(fr_isnan_##S(x), x, fr_sel_##S(fr_pos_##S(x), (T)1, a)); \
    }                                                                           \
    /* elu: x if x > 0 else a*expm1(x) */                                       \
    FR_INLINE T fr_elu_fwd_##S(T x, T a) {                                      \
        int pos = fr_pos_##S(x);                                                \
        T e = fr_scaled_expm1_##S(a, fr_sel_##S(pos, (T)-1, x));                \
        return fr_sel_##S(pos, x, e);                                           \
    }                                                                           \
    FR_INLINE T fr_elu_grad_##S(T x, T a) {                                     \
        int pos = fr_pos_##S(x);                                                \
        T e = fr_scaled_exp_##S(a, fr_sel_##S(pos, (T)-1, x));                  \
        return fr_sel_##S(pos, (T)1, e);                                        \
    }


FR_FLOAT_KERNELS(f, float)
FR_FLOAT_KERNELS(d, double)
FR_FLOAT_KERNELS(g, long double)

/* ---------------------------------------------------------------------------
 * Integer kernels (relu, relu6): plain compares are exact and flag-free here.
 * Suffix = NumPy's type character.
 * ------------------------------------------------------------------------- */
#define FR_INT_KERNELS(S, T)                                                    \
    FR_INLINE T fr_relu_fwd_##S(T x) { return x > (T)0 ? x : (T)0; }           \
    FR_INLINE T fr_relu6_fwd_##S(T x) {                                         \
        T r = fr_relu_fwd_##S(x);                                               \
        return r > (T)6 ? (T)6 : r;                                             \
    }

FR_INT_KERNELS(b, signed char)
FR_INT_KERNELS(B, unsigned char)
FR_INT_KERNELS(h, short)
FR_INT_KERNELS(H, unsigned short)
FR_INT_KERNELS(i, int)
FR_INT_KERNELS(I, unsigned int)
FR_INT_KERNELS(l, long)
FR_INT_KERNELS(L, unsigned long)
FR_INT_KERNELS(q, long long)
FR_INT_KERNELS(Q, unsigned long long)

/* ---------------------------------------------------------------------------
 * float16 <-> float32, round to nearest even, integer-only (no FP flags).
 * float16 loops widen to float32, run the float kernel, round once.
 * ------------------------------------------------------------------------- */
FR_INLINE float fr_half_to_float(uint16_t h) {
    uint32_t sign = (uint32_t)(h & 0x8000u) << 16;
    uint32_t exp = (h >> 10) & 0x1fu;
    uint32_t mant = h & 0x3ffu;
    uint32_t u;
    if (exp == 0x1fu) {            /* inf / NaN: keep the payload */
        u = sign | 0x7f800000u | (mant << 13);
    } else if (exp != 0) {         /* normal: rebias 15 -> 127 */
        u = sign | ((exp + 112u) << 23) | (mant << 13);
    } else if (mant == 0) {        /* signed zero */
        u = sign;
    } else {                       /* subnormal: normalise the mantissa */
        uint32_t e = 113u;
        while ((mant & 0x400u) == 0) { mant <<= 1; e--; }
        u = sign | (e << 23) | ((mant & 0x3ffu) << 13);
    }
    return fr_from_bits_f(u);
}

FR_INLINE uint16_t fr_float_to_half(float f) {
    uint32_t u = fr_bits_f(f);
    uint16_t sign = (uint16_t)((u >> 16) & 0x8000u);
    uint32_t a = u & 0x7fffffffu;
    uint32_t h, rem, halfway;
    int shift;
    if (a > 0x7f800000u)           /* NaN: stays a (quiet) NaN */
        return (uint16_t)(sign | 0x7e00u | ((a >> 13) & 0x3ffu));
    if (a >= 0x477ff000u)          /* >= 65520 rounds to infinity */
        return (uint16_t)(sign | 0x7c00u);
    if (a >= 0x38800000u) {        /* normal half: drop 13 bits, round to even */
        uint32_t rebased = a - 0x38000000u;
        h = rebased >> 13;
        rem = rebased & 0x1fffu;
        if (rem > 0x1000u || (rem == 0x1000u && (h & 1u))) h++;
        return (uint16_t)(sign | h);
    }
    if (a <= 0x33000000u)          /* <= 2**-25 rounds to (signed) zero */
        return sign;
    /* subnormal half: value = m * 2**(e-150), unit 2**-24 */
    shift = 126 - (int)(a >> 23);  /* 14 .. 24 */
    {
        uint32_t m = (a & 0x7fffffu) | 0x800000u;
        h = m >> shift;
        rem = m & ((1u << shift) - 1u);
        halfway = 1u << (shift - 1);
        if (rem > halfway || (rem == halfway && (h & 1u))) h++;
    }
    return (uint16_t)(sign | h);
}

#endif /* FASTRELU_KERNELS_H */
