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

#include <fenv.h>
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
 *   fr_signneg_S(x) 1 if the sign bit is set and x is not NaN (x <= -0)
 *   fr_gt_S(x, c)   1 if x > c  } for a constant c > 0 whose double bit pattern
 *   fr_ge_S(x, c)   1 if x >= c } has a zero low word (0.5, 6, 3, ...); quiet
 *   fr_sel_S(m, a, b)  m ? a : b, branch-free
 *
 * They all work on one signed integer "key" per value: its bit pattern, or
 * on the baseline, for double, a folded 32-bit key (below).  Non-negative
 * floats order like their keys; the sign bit makes keys negative.
 * ------------------------------------------------------------------------- */
FR_INLINE uint32_t fr_bits_f(float x) { uint32_t u; memcpy(&u, &x, sizeof u); return u; }
FR_INLINE float fr_from_bits_f(uint32_t u) { float x; memcpy(&x, &u, sizeof x); return x; }
FR_INLINE uint64_t fr_bits_d(double x) { uint64_t u; memcpy(&u, &x, sizeof u); return u; }
FR_INLINE double fr_from_bits_d(uint64_t u) { double x; memcpy(&x, &u, sizeof x); return x; }

/* Keys.  SSE2 (the x86-64 baseline) has no 64-bit integer compare, so there
 * the double key is the high word (sign, exponent, top 20 mantissa bits)
 * with "low word != 0" folded into bit 0, which keeps every comparison with
 * 0, inf and the constants above exact using 32-bit compares only.
 * Where 64-bit compares exist (AVX2 and later, every 64-bit ARM), the double
 * key is simply its bit pattern: fewer operations, no lane shuffles.
 * Both give the same answers. */
#if defined(__AVX2__) || defined(__aarch64__) || defined(_M_ARM64) || defined(__powerpc64__)
#define FR_WIDE_KEY_d 1
#else
#define FR_WIDE_KEY_d 0
#endif

typedef int32_t fr_key_f_t;
typedef uint32_t fr_ukey_f_t;
#define FR_INF_KEY_f 0x7f800000
#define FR_SIGN_KEY_f 0x80000000u
FR_INLINE int32_t fr_key_f(float x) { return (int32_t)fr_bits_f(x); }

#if FR_WIDE_KEY_d
typedef int64_t fr_key_d_t;
typedef uint64_t fr_ukey_d_t;
#define FR_INF_KEY_d 0x7ff0000000000000ll
#define FR_SIGN_KEY_d 0x8000000000000000ull
FR_INLINE int64_t fr_key_d(double x) { return (int64_t)fr_bits_d(x); }
#else
typedef int32_t fr_key_d_t;
typedef uint32_t fr_ukey_d_t;
#define FR_INF_KEY_d 0x7ff00000
#define FR_SIGN_KEY_d 0x80000000u
FR_INLINE int32_t fr_key_d(double x) {
    uint64_t u = fr_bits_d(x);
    return (int32_t)((uint32_t)(u >> 32) | (uint32_t)((uint32_t)u != 0));
}
#endif

FR_INLINE float fr_sel_f(int m, float a, float b) {
    uint32_t mask = (uint32_t)0 - (uint32_t)m;
    return fr_from_bits_f((fr_bits_f(a) & mask) | (fr_bits_f(b) & ~mask));
}
FR_INLINE double fr_sel_d(int m, double a, double b) {
    uint64_t mask = (uint64_t)0 - (uint64_t)m;
    return fr_from_bits_d((fr_bits_d(a) & mask) | (fr_bits_d(b) & ~mask));
}

#define FR_KEY_PRIMITIVES(S, T)                                                 \
    FR_INLINE int fr_isnan_##S(T x) {                                           \
        return (fr_key_##S##_t)((fr_ukey_##S##_t)fr_key_##S(x) & ~(fr_ukey_##S##_t)FR_SIGN_KEY_##S) \
               > FR_INF_KEY_##S;                                                \
    }                                                                           \
    FR_INLINE int fr_pos_##S(T x) {   /* key in [1, inf] */                     \
        return (fr_ukey_##S##_t)fr_key_##S(x) - 1u < (fr_ukey_##S##_t)FR_INF_KEY_##S; \
    }                                                                           \
    FR_INLINE int fr_neg_##S(T x) {   /* key in [-0 + 1, -inf] */               \
        return (fr_ukey_##S##_t)fr_key_##S(x) - ((fr_ukey_##S##_t)FR_SIGN_KEY_##S + 1u) \
               < (fr_ukey_##S##_t)FR_INF_KEY_##S;                               \
    }                                                                           \
    FR_INLINE int fr_signneg_##S(T x) {                                         \
        return fr_key_##S(x) <= (fr_key_##S##_t)(FR_SIGN_KEY_##S | (fr_ukey_##S##_t)FR_INF_KEY_##S); \
    }                                                                           \
    FR_INLINE int fr_gt_##S(T x, T c) {                                         \
        fr_key_##S##_t k = fr_key_##S(x);                                       \
        return (k > fr_key_##S(c)) & (k <= FR_INF_KEY_##S);                     \
    }                                                                           \
    FR_INLINE int fr_ge_##S(T x, T c) {                                         \
        fr_key_##S##_t k = fr_key_##S(x);                                       \
        return (k >= fr_key_##S(c)) & (k <= FR_INF_KEY_##S);                    \
    }

FR_KEY_PRIMITIVES(f, float)
FR_KEY_PRIMITIVES(d, double)

/* long double: the quiet C99 macros (isgreater & co. never raise on NaN). */
FR_INLINE int fr_isnan_g(long double x) { return isnan(x) != 0; }
FR_INLINE int fr_pos_g(long double x) { return isgreater(x, 0.0L); }
FR_INLINE int fr_neg_g(long double x) { return isless(x, 0.0L); }
FR_INLINE int fr_signneg_g(long double x) { return signbit(x) && !isnan(x); }
FR_INLINE int fr_gt_g(long double x, long double c) { return isgreater(x, c); }
FR_INLINE int fr_ge_g(long double x, long double c) { return isgreaterequal(x, c); }
FR_INLINE long double fr_sel_g(int m, long double a, long double b) { return m ? a : b; }

/* Products with a subnormal result (leaky_relu(-1e-310, 0.01), elu near 0)
 * raise FE_UNDERFLOW, which np.errstate(all="raise") would turn into an error.
 * fastrelu's policy is to raise nothing but true overflow, so loops that do
 * such arithmetic clear that one flag when they finish (once per call, not
 * per element). */
FR_INLINE void fr_clear_underflow(void) { feclearexcept(FE_UNDERFLOW); }

/* alpha * expm1(x) and alpha * exp(x), rounded once to the output type, so
 * ELU stays within 1 ULP of the correctly rounded result for any alpha
 * (two roundings, expm1 then the product, can reach 2 ULP; and exp(x)
 * rounded to a subnormal before the product loses most of its digits).
 * float and double use the branch-free polynomials of _vecmath.h, which the
 * compiler vectorizes (no libm call per element); long double uses libm. */
#include "_vecmath.h"
FR_INLINE float fr_scaled_expm1_f(float a, float x) { return fr_vscaled_expm1_f(a, x); }
FR_INLINE float fr_scaled_exp_f(float a, float x) { return fr_vscaled_exp_f(a, x); }
FR_INLINE double fr_scaled_expm1_d(double a, double x) { return fr_vscaled_expm1_d(a, x); }
FR_INLINE double fr_scaled_exp_d(double a, double x) { return fr_vscaled_exp_d(a, x); }
FR_INLINE long double fr_scaled_expm1_g(long double a, long double x) { return a * expm1l(x); }
FR_INLINE long double fr_scaled_exp_g(long double a, long double x) { return a * expl(x); }

/* ---------------------------------------------------------------------------
 * The activations: one definition each, for every float type S/T.
 * fr_<name>_fwd_S(x, params...) and fr_<name>_grad_S(x, params...).
 * The fused backward is dy * grad, written by the loop generator.
 * ------------------------------------------------------------------------- */
#define FR_FLOAT_KERNELS(S, T)                                                  \
    /* relu: x if x > 0 else +0; NaN passes through, -0 -> +0 */               \
    FR_INLINE T fr_relu_fwd_##S(T x) {                                          \
        return fr_sel_##S(!fr_signneg_##S(x), x, (T)0);                        \
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
 * Integer kernels (relu, relu6).  Suffix = NumPy's type character.
 * Signed: sign-mask form (x >> (bits-1) is 0 or -1; every supported compiler
 * shifts signed values arithmetically), which vectorizes even for int64,
 * where SSE2/AVX2 lack the 64-bit compare that `x > 0 ? x : 0` needs.
 * (6 - r) cannot overflow because r >= 0.
 * ------------------------------------------------------------------------- */
#define FR_SIGNED_INT_KERNELS(S, T)                                             \
    FR_INLINE T fr_relu_fwd_##S(T x) {                                          \
        return (T)(x & ~(x >> (8 * sizeof(T) - 1)));                            \
    }                                                                           \
    FR_INLINE T fr_relu6_fwd_##S(T x) {                                         \
        T r = fr_relu_fwd_##S(x);                                               \
        T over = (T)(((T)6 - r) >> (8 * sizeof(T) - 1)); /* -1 where r > 6 */   \
        return (T)((r & ~over) | ((T)6 & over));                                \
    }
#define FR_UNSIGNED_INT_KERNELS(S, T)                                           \
    FR_INLINE T fr_relu_fwd_##S(T x) { return x; }                              \
    FR_INLINE T fr_relu6_fwd_##S(T x) { return x > (T)6 ? (T)6 : x; }

FR_SIGNED_INT_KERNELS(b, signed char)
FR_UNSIGNED_INT_KERNELS(B, unsigned char)
FR_SIGNED_INT_KERNELS(h, short)
FR_UNSIGNED_INT_KERNELS(H, unsigned short)
FR_SIGNED_INT_KERNELS(i, int)
FR_UNSIGNED_INT_KERNELS(I, unsigned int)
FR_SIGNED_INT_KERNELS(l, long)
FR_UNSIGNED_INT_KERNELS(L, unsigned long)
FR_SIGNED_INT_KERNELS(q, long long)
FR_UNSIGNED_INT_KERNELS(Q, unsigned long long)

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
    if (a >= 0x477ff000u) {        /* >= 65520 rounds to infinity */
        if (a < 0x7f800000u)       /* a finite value overflows: say so, as NumPy does */
            feraiseexcept(FE_OVERFLOW | FE_INEXACT);
        return (uint16_t)(sign | 0x7c00u);
    }
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
