/*
 * Branch-free, vectorizable exp and expm1 for float and double (<= 1 ULP).
 *
 *   float  fr_vexpm1_f(float x)            double fr_vexpm1_d(double x)
 *   float  fr_vexp_f(float x)              double fr_vexp_d(double x)
 *   float  fr_vscaled_expm1_f(float a, float x)     a * expm1(x), rounded once
 *   float  fr_vscaled_exp_f(float a, float x)       a * exp(x),   rounded once
 *   double fr_vscaled_expm1_d(double a, double x)   a * expm1(x), rounded once (*)
 *   double fr_vscaled_exp_d(double a, double x)     a * exp(x),   rounded once (*)
 *   (*) where expm1(x) / exp(x) is a nonzero finite double, see the functions
 *
 * Measured (tools/vecmath_check, baseline and -mavx2 -mfma builds), max error
 * against the exact value: float forms <= 0.512 ULP on all 2^32 inputs;
 * on 3.5e7 double inputs (random, grids, worst-case regions): expm1_d <= 0.66,
 * exp_d <= 0.67 for normal results (0.76 for subnormal ones), scaled double
 * forms (a = 1, 1.7, 0.3) expm1 <= 0.70, exp <= 0.55 (0.76 subnormal).
 *
 * Written for loops the compiler vectorizes (-O3, no -ffast-math): no libm
 * call, no `if`, no float compare.  Like fastrelu/_kernels.h, every decision
 * is an integer operation on the bit pattern and every choice an
 * integer-mask select, so NaN lanes raise nothing and GCC vectorizes under
 * its default -ftrapping-math (baseline SSE2, AVX2, AVX-512).  The arithmetic
 * only ever sees finite, clamped inputs: NaN/inf lanes compute with 0 and get
 * their answer selected afterwards, so the only flags raised are FE_INEXACT,
 * FE_OVERFLOW when the true result overflows, and FE_UNDERFLOW when the
 * result is subnormal or flushes to 0 (exp of very negative x).
 *
 * Special values: NaN -> NaN (quietened, payload and sign kept, no
 * FE_INVALID even for a signaling NaN); expm1(-inf) = -1, exp(-inf) = +0,
 * (+inf) -> +inf without FE_OVERFLOW; expm1(+-0) = +-0, exp(+-0) = 1.
 *
 * The error bounds hold whether or not the compiler contracts a*b + c into
 * an FMA (GCC does by default on -mfma builds): every step whose exactness
 * they rely on is a product by a power of two, a product of two 26-bit
 * halves, a Sterbenz subtraction or a Fast2Sum/TwoSum, exact either way.
 *
 * Method (both types): x = k*ln2 + r, k = round(x/ln2) by the 1.5*2^52 trick,
 * |r| <= ln2/2, then exp(x) = 2^k * (1 + expm1(r)), with 2^k built in the
 * exponent bits by integer ops.  The polynomials are Remez fits (relative
 * error, on [-1.0005*ln2/2, 1.0005*ln2/2]) made for this file with mpmath.
 *
 * float: computed in double and rounded once.  Reduction with one ln2,
 * expm1(r) = r + r^2 * q(r), q of degree 5 (relative error 2^-28.5): the
 * double result is within ~2^-30 relative, so the float result is the
 * correctly rounded one except in rare near-halfway cases.  A float-only
 * version of the double algorithm below (also <= 0.61 ULP) measured the same
 * speed on AVX2 and SSE2, so the simpler, near-correctly-rounded one is used.
 *
 * double: Cody-Waite with ln2 = L1 + L2 (L1 has 42 bits, so k*L1 is exact)
 * and the correction c of the rounded r (r + c = x - k*ln2).
 *   expm1: expm1(r) = r + rh^2/2 + tail, rh = r with the low 27 bits cleared
 *     (rh^2/2 exact), tail = rl*(r + rh)/2 + r^3 q1(r) + c*(1 + r), q1 of
 *     degree 9 (2^-54.2); then with s = 2^(k-1)
 *     expm1(x) = 2 * ((s - 1/2) + s*r + s*rh^2/2 + s*tail + rounding errors),
 *     the first three terms summed exactly (TwoSum, 2 Fast2Sums).  This
 *     avoids the cancellation of (2^k - 1) + 2^k*expm1(r) at k = +-1 and
 *     reaches 2^1024 for x just below the overflow threshold.
 *   exp: expm1(r) = r + r^2 q(r) + c*(1 + r), q of degree 10 (2^-58.3);
 *     exp(x) = ((1 + r) [Fast2Sum] + h) * 2^floor(k/2) * 2^ceil(k/2), so
 *     subnormal results are rounded once (after one rounding of 1 + expm1(r):
 *     hence the 0.76 ULP there).  The scaled form adds rh^2/2 to 1 + r
 *     exactly as well, since the product by a can double the small part's
 *     rounding errors in ULPs.
 *
 * Clamping (the results are those of the unclamped function): expm1_f to
 * [-18, 89], exp_f to [-104, 89], the scaled float forms to [-200, 200]
 * (a*exp(x) of any finite float a is then 0 / overflows exactly when it
 * should); expm1_d to [-40, 710], exp_d to [-746, 710].  Below the clamp
 * the result is -1 (expm1) or 0 (exp, with FE_UNDERFLOW); above it +inf
 * with FE_OVERFLOW.  Double |x| < 2^-54 returns x (expm1) or 1 (exp)
 * directly, the correctly rounded value, keeping the sign of zero.
 */
#ifndef FASTRELU_VECMATH_H
#define FASTRELU_VECMATH_H

#include <stdint.h>
#include <string.h>

#ifndef FR_INLINE
#if defined(_MSC_VER)
#define FR_INLINE static __inline
#else
#define FR_INLINE static inline __attribute__((always_inline))
#endif
#endif

/* ---- bit helpers (own names: this header does not need _kernels.h) ---- */
FR_INLINE uint32_t fr_vm_bits_f(float x) { uint32_t u; memcpy(&u, &x, sizeof u); return u; }
FR_INLINE float fr_vm_float(uint32_t u) { float x; memcpy(&x, &u, sizeof x); return x; }
FR_INLINE uint64_t fr_vm_bits_d(double x) { uint64_t u; memcpy(&u, &x, sizeof u); return u; }
FR_INLINE double fr_vm_double(uint64_t u) { double x; memcpy(&x, &u, sizeof x); return x; }
FR_INLINE float fr_vm_sel_f(int m, float a, float b) {
    uint32_t mask = (uint32_t)0 - (uint32_t)m;
    return fr_vm_float((fr_vm_bits_f(a) & mask) | (fr_vm_bits_f(b) & ~mask));
}
/* x with the quiet bit set if it is a NaN (isnan_ = 1), else x */
FR_INLINE float fr_vm_quiet_f(float x, int isnan_) {
    return fr_vm_float(fr_vm_bits_f(x) | (((uint32_t)0 - (uint32_t)isnan_) & 0x00400000u));
}

#define FR_VM_MAGIC 6755399441055744.0    /* 1.5*2^52: x + MAGIC rounds x to an integer */
#define FR_VM_MAGIC_BITS 0x4338000000000000ull
#define FR_VM_INVLN2 1.4426950408889634
#define FR_VM_LN2 0.6931471805599453
#define FR_VM_LN2_1 0.6931471805598903  /* 42 significant bits */
#define FR_VM_LN2_2 5.497923018708371e-14

/* ---------------------------------------------------------------------------
 * float, computed in double.  Input: finite double (a float value, clamped).
 * ------------------------------------------------------------------------- */
/* q(r) ~ (expm1(r) - r) / r^2, relative error 2^-28.5 */
#define FR_VM_Q0 0.5000000013419680495438
#define FR_VM_Q1 0.1666666653196654003981
#define FR_VM_Q2 0.04166646512520743439977
#define FR_VM_Q3 0.008333360768239659014306
#define FR_VM_Q4 0.001393364232615602783713
#define FR_VM_Q5 0.0001985781675401287425981

/* s = 2^k (returned) and p = expm1(r) */
FR_INLINE double fr_vm_reduce_fd(double x, double *p) {
    double kd = x * FR_VM_INVLN2 + FR_VM_MAGIC;
    double kf = kd - FR_VM_MAGIC;
    double r = x - kf * FR_VM_LN2;
    double r2 = r * r;
    double q = (FR_VM_Q0 + FR_VM_Q1 * r) + r2 * ((FR_VM_Q2 + FR_VM_Q3 * r)
                                                + r2 * (FR_VM_Q4 + FR_VM_Q5 * r));
    *p = r + r2 * q;
    /* k + 1023 sits in the low bits of kd; shifting drops MAGIC's exponent */
    return fr_vm_double((fr_vm_bits_d(kd) + 1023u) << 52);
}
FR_INLINE double fr_vm_expm1_fd(double x) {
    double p, s = fr_vm_reduce_fd(x, &p);
    return (s - 1.0) + s * p;     /* s - 1 is exact for the k that matter */
}
FR_INLINE double fr_vm_exp_fd(double x) {
    double p, s = fr_vm_reduce_fd(x, &p);
    return s + s * p;
}

/* Lane classification of a float by its bit pattern.
 * lo, hi: clamp bounds (lo < 0 < hi). */
#define FR_VM_F_CLASSIFY(x, lo, hi)                                             \
    uint32_t ux = fr_vm_bits_f(x);                                              \
    uint32_t ax = ux & 0x7fffffffu;                                             \
    int isnan_ = ax > 0x7f800000u;                                              \
    int special = ax >= 0x7f800000u;              /* NaN or +-inf */            \
    int neg = (int)(ux >> 31);                                                  \
    int over = (int32_t)ux > (int32_t)fr_vm_bits_f(hi);    /* x > hi, +inf, +NaN */ \
    int under = ux > fr_vm_bits_f(lo);                     /* x < lo, -inf, -NaN */ \
    float xc = fr_vm_sel_f(over, (hi), fr_vm_sel_f(under, (lo), (x)));         \
    xc = fr_vm_sel_f(special, 0.0f, xc)

FR_INLINE float fr_vexpm1_f(float x) {
    FR_VM_F_CLASSIFY(x, -18.0f, 89.0f);
    /* +-0 must keep its sign: (s - 1) + s*p gives +0 for -0 */
    int zero = ax == 0;
    float e = (float)fr_vm_expm1_fd((double)xc);
    e = fr_vm_sel_f(zero, x, e);
    /* specials: NaN -> quiet NaN, +inf -> +inf, -inf -> -1 */
    return fr_vm_sel_f(special, fr_vm_sel_f(neg & !isnan_, -1.0f, fr_vm_quiet_f(x, isnan_)), e);
}

FR_INLINE float fr_vexp_f(float x) {
    FR_VM_F_CLASSIFY(x, -104.0f, 89.0f);
    float e = (float)fr_vm_exp_fd((double)xc);
    /* specials: NaN -> quiet NaN, +inf -> +inf, -inf -> +0 */
    return fr_vm_sel_f(special, fr_vm_sel_f(neg & !isnan_, 0.0f, fr_vm_quiet_f(x, isnan_)), e);
}

/* a * expm1(x) and a * exp(x), one rounding (the product is done in double).
 * Special and zero x follow the formula: a * (-1), a * (+inf), a * (+-0) ...
 * (computed as a separate product; the other lanes multiply a by 1). */
FR_INLINE float fr_vscaled_expm1_f(float a, float x) {
    FR_VM_F_CLASSIFY(x, -200.0f, 200.0f);
    int plain = special | (ax == 0);
    float v = fr_vm_sel_f(special, fr_vm_sel_f(neg & !isnan_, -1.0f, fr_vm_quiet_f(x, isnan_)), x);
    float pp = (float)((double)a * (double)fr_vm_sel_f(plain, v, 1.0f));
    float prod = (float)((double)a * fr_vm_expm1_fd((double)xc));
    return fr_vm_sel_f(plain, pp, prod);
}
FR_INLINE float fr_vscaled_exp_f(float a, float x) {
    FR_VM_F_CLASSIFY(x, -200.0f, 200.0f);
    float v = fr_vm_sel_f(neg & !isnan_, 0.0f, fr_vm_quiet_f(x, isnan_));
    float pp = (float)((double)a * (double)fr_vm_sel_f(special, v, 1.0f));
    float prod = (float)((double)a * fr_vm_exp_fd((double)xc));
    return fr_vm_sel_f(special, pp, prod);
}

/* ---------------------------------------------------------------------------
 * double.  Input: finite, clamped, |x| >= 2^-54.
 * ------------------------------------------------------------------------- */
/* q1(r) ~ (expm1(r) - r - r^2/2) / r^3, relative error 2^-54.2 */
#define FR_VM_D0 0.1666666666666666745298
#define FR_VM_D1 0.04166666666666665456573
#define FR_VM_D2 0.008333333333330059090012
#define FR_VM_D3 0.001388888888890060042075
#define FR_VM_D4 0.0001984126986307374863128
#define FR_VM_D5 0.00002480158727507576068471
#define FR_VM_D6 0.000002755726842157682963446
#define FR_VM_D7 2.755732962252129560194e-7
#define FR_VM_D8 2.51004063158368590826e-8
#define FR_VM_D9 2.089399263947761066112e-9

/* kd (k in its low bits), r, and expm1(r) - r ~ hh + tail (including the
 * correction of the rounded r); hh = rh^2/2 exact, |tail| < 0.0075 */
FR_INLINE double fr_vm_reduce_d(double x, double *r_out, double *hh_out, double *tail_out) {
    double kd = x * FR_VM_INVLN2 + FR_VM_MAGIC;
    double kf = kd - FR_VM_MAGIC;
    double rhi = x - kf * FR_VM_LN2_1;                /* exact (Sterbenz) */
    double r = rhi - kf * FR_VM_LN2_2;
    double c = (rhi - r) - kf * FR_VM_LN2_2;          /* r + c ~ x - k*ln2 */
    double rh = fr_vm_double(fr_vm_bits_d(r) & 0xfffffffff8000000ull);
    double rl = r - rh;                               /* exact */
    double r2 = r * r, r4 = r2 * r2, r8 = r4 * r4;
    double q = ((FR_VM_D0 + FR_VM_D1 * r) + r2 * (FR_VM_D2 + FR_VM_D3 * r))
             + r4 * ((FR_VM_D4 + FR_VM_D5 * r) + r2 * (FR_VM_D6 + FR_VM_D7 * r))
             + r8 * (FR_VM_D8 + FR_VM_D9 * r);
    double hh = 0.5 * (rh * rh);                      /* exact */
    double tail = (0.5 * rl) * (r + rh) + (r2 * r) * q + (c + c * r);  /* c*e^r */
    *r_out = r;
    *hh_out = hh;
    *tail_out = tail;
    return kd;
}

/* expm1(x) = 2 * (S + L), S the large part (exact Fast2Sum result) */
FR_INLINE void fr_vm_expm1_parts_d(double x, double *S_out, double *L_out) {
    double r, hh, tail;
    double kd = fr_vm_reduce_d(x, &r, &hh, &tail);
    double s = fr_vm_double((fr_vm_bits_d(kd) + 1022u) << 52);   /* 2^(k-1) */
    double A = s - 0.5;                   /* rounds for k >= 54 and k <= -54 */
    double Ab = A - s;                    /* TwoSum: Aerr = s - 1/2 - A exactly */
    double Aerr = (s - (A - Ab)) + (-0.5 - Ab);
    double B = s * r;                     /* exact */
    double S1 = A + B;                    /* Fast2Sum: |A| >= |B| or A == 0 */
    double lo1 = B - (S1 - A);
    double C = s * hh;                    /* exact */
    double S = S1 + C;                    /* Fast2Sum: |S1| >= |C| (|S1| > 0.15,
                                             |C| <= 0.06 s, or k = 0: r/2, r^2/4) */
    double lo2 = C - (S - S1);
    *S_out = S;
    *L_out = (lo1 + lo2) + (Aerr + s * tail);
}

/* q(r) ~ (expm1(r) - r) / r^2, relative error 2^-58.3 (for exp, where the
 * result is >= 0.7 * 2^k, h = r^2 q(r) needs no split) */
#define FR_VM_E0 0.5000000000000000001238
#define FR_VM_E1 0.1666666666666667098392
#define FR_VM_E2 0.0416666666666666182049
#define FR_VM_E3 0.00833333333332613876257
#define FR_VM_E4 0.001388888888891807247902
#define FR_VM_E5 0.0001984126987482123992355
#define FR_VM_E6 0.00002480158724557834530061
#define FR_VM_E7 0.000002755725538674195463602
#define FR_VM_E8 2.755734967712877892404e-7
#define FR_VM_E9 2.510522671446334957907e-8
#define FR_VM_E10 2.088938752130291423712e-9

/* s1 * s2 = 2^k, both normal for k in [-1076, 1024] (s1 = 2^floor(k/2) <= 2^512) */
FR_INLINE void fr_vm_exp_scales_d(double kd, double *s1_out, double *s2_out) {
    uint64_t kb = fr_vm_bits_d(kd) - FR_VM_MAGIC_BITS + 2046u;   /* k + 2046 >= 0 */
    uint64_t e1 = kb >> 1, e2 = kb - e1;
    *s1_out = fr_vm_double(e1 << 52);
    *s2_out = fr_vm_double(e2 << 52);
}

/* exp(x) = (hi + lo) * s1 * s2, hi = 1 + r exact */
FR_INLINE void fr_vm_exp_parts_d(double x, double *hi_out, double *lo_out,
                                 double *s1_out, double *s2_out) {
    double kd = x * FR_VM_INVLN2 + FR_VM_MAGIC;
    double kf = kd - FR_VM_MAGIC;
    double rhi = x - kf * FR_VM_LN2_1;                /* exact (Sterbenz) */
    double r = rhi - kf * FR_VM_LN2_2;
    double c = (rhi - r) - kf * FR_VM_LN2_2;          /* r + c ~ x - k*ln2 */
    double r2 = r * r, r4 = r2 * r2, r8 = r4 * r4;
    double q = ((FR_VM_E0 + FR_VM_E1 * r) + r2 * (FR_VM_E2 + FR_VM_E3 * r))
             + r4 * ((FR_VM_E4 + FR_VM_E5 * r) + r2 * (FR_VM_E6 + FR_VM_E7 * r))
             + r8 * ((FR_VM_E8 + FR_VM_E9 * r) + r2 * FR_VM_E10);
    double h = r2 * q + (c + c * r);                  /* expm1(r + c) - r */
    double hi = 1.0 + r;
    double lo = (1.0 - hi) + r;           /* Fast2Sum, exact */
    *hi_out = hi;
    *lo_out = lo + h;
    fr_vm_exp_scales_d(kd, s1_out, s2_out);
}

/* The same with the small part ~10x smaller (for the scaled form, where the
 * product by a can double the small part's rounding errors in ULPs): the
 * expm1 reduction, then hi = (1 + r) + rh^2/2 by two exact Fast2Sums. */
FR_INLINE void fr_vm_exp_parts_acc_d(double x, double *hi_out, double *lo_out,
                                     double *s1_out, double *s2_out) {
    double r, hh, tail;
    double kd = fr_vm_reduce_d(x, &r, &hh, &tail);
    double hi1 = 1.0 + r;
    double lo1 = (1.0 - hi1) + r;         /* Fast2Sum, exact */
    double hi = hi1 + hh;                 /* Fast2Sum: hi1 >= 0.65 > hh */
    double lo2 = hh - (hi - hi1);
    *hi_out = hi;
    *lo_out = (lo1 + lo2) + tail;
    fr_vm_exp_scales_d(kd, s1_out, s2_out);
}

/* Lane classification for double with 64-bit masks made by subtraction and
 * shift (SSE2 has no 64-bit compare; this keeps every lane 64 bits wide,
 * with no packing to 32 bits and back).  For a, b < 2^63, b - a has its top
 * bit set iff a > b. */
FR_INLINE uint64_t fr_vm_gtm(uint64_t a, uint64_t b) { return (uint64_t)0 - ((b - a) >> 63); }
FR_INLINE double fr_vm_selm_d(uint64_t m, double a, double b) {
    return fr_vm_double((fr_vm_bits_d(a) & m) | (fr_vm_bits_d(b) & ~m));
}
#define FR_VM_ABS 0x7fffffffffffffffull
#define FR_VM_INF 0x7ff0000000000000ull
#define FR_VM_QNAN 0x0008000000000000ull
/* |x| < 2^-54: expm1(x) rounds to x, exp(x) to 1.  The scaled forms use
 * 2^-60 so that a * x and a * 1 stay within 0.5 + 2^-7 ULP. */
#define FR_VM_2M54 0x3c90000000000000ull
#define FR_VM_2M60 0x3c30000000000000ull

/* Declares the masks and xc: x clamped to [lo, hi], 0 in NaN/inf/tiny lanes */
#define FR_VM_D_CLASSIFY(x, lo, hi, tiny_bits)                                  \
    uint64_t ux = fr_vm_bits_d(x);                                              \
    uint64_t ax = ux & FR_VM_ABS;                                               \
    uint64_t m_nan = fr_vm_gtm(ax, FR_VM_INF);                                  \
    uint64_t m_special = fr_vm_gtm(ax, FR_VM_INF - 1);   /* NaN or +-inf */     \
    uint64_t m_tiny = fr_vm_gtm((tiny_bits), ax);                               \
    uint64_t m_neg = (uint64_t)0 - (ux >> 63);                                  \
    uint64_t bound = fr_vm_bits_d(hi)                                           \
        ^ ((fr_vm_bits_d(hi) ^ (fr_vm_bits_d(lo) & FR_VM_ABS)) & m_neg);        \
    uint64_t m_big = fr_vm_gtm(ax, bound);        /* beyond the clamp */        \
    uint64_t xb = (ux & ~m_big) | (((ux & ~FR_VM_ABS) | bound) & m_big);       \
    double xc = fr_vm_double(xb & ~(m_special | m_tiny))

/* result for NaN (quietened) / +inf (+inf) / -inf (neg_inf_value) lanes */
#define FR_VM_D_SPECIAL(neg_inf_value)                                          \
    fr_vm_selm_d(m_neg & ~m_nan, (neg_inf_value),                               \
                 fr_vm_double(ux | (m_nan & FR_VM_QNAN)))

FR_INLINE double fr_vexpm1_d(double x) {
    FR_VM_D_CLASSIFY(x, -40.0, 710.0, FR_VM_2M54);
    double S, L;
    fr_vm_expm1_parts_d(xc, &S, &L);
    double e = 2.0 * (S + L);             /* *2 is exact, or the true overflow */
    e = fr_vm_selm_d(m_tiny, x, e);
    return fr_vm_selm_d(m_special, FR_VM_D_SPECIAL(-1.0), e);
}

FR_INLINE double fr_vexp_d(double x) {
    FR_VM_D_CLASSIFY(x, -746.0, 710.0, FR_VM_2M54);
    double hi, lo, s1, s2;
    fr_vm_exp_parts_d(xc, &hi, &lo, &s1, &s2);
    double e = ((hi + lo) * s1) * s2;     /* one rounding, then exact scaling
                                             (or the rounding to subnormal);
                                             exactly 1 in the tiny lanes (xc = 0) */
    /* NaN -> quiet NaN, +inf -> +inf, -inf -> +0 */
    double spec = fr_vm_double((ux | (m_nan & FR_VM_QNAN)) & ~(m_neg & ~m_nan));
    return fr_vm_selm_d(m_special, spec, e);
}

/* a * (u + v), u + v given as a big part u and a small part v, rounded once
 * up to a tiny error: a = ah + al and u = uh + ul with ah, uh the top 26
 * bits (bit mask, exact), so ah * uh is exact (Dekker's product without
 * relying on FMA).  a must be finite. */
FR_INLINE double fr_vm_hi26(double x) {
    return fr_vm_double(fr_vm_bits_d(x) & 0xfffffffff8000000ull);
}
FR_INLINE double fr_vm_mul_dd(double a, double u, double v) {
    double ah = fr_vm_hi26(a), al = a - ah;
    double uh = fr_vm_hi26(u), ul = u - uh;
    double err = (ah * ul + al * uh) + al * ul;
    return ah * uh + (err + a * v);
}

/* a * expm1(x) and a * exp(x) for double, rounded once (error as for the
 * unscaled functions plus a few hundredths of an ULP) wherever expm1(x) /
 * exp(x) is a nonzero finite double.  Elsewhere, and for non-finite a or
 * special / tiny x, the result is the plain product a * fr_vexpm1_d(x) /
 * a * fr_vexp_d(x): so for x > 709.78 it is a * inf (with FE_OVERFLOW, and
 * NaN for a = 0, like `a * exp(x)` with libm) and for x < -745.13 a * 0,
 * even where a * exp(x) would be representable.  For subnormal a the
 * single rounding is not guaranteed. */
FR_INLINE double fr_vscaled_expm1_d(double a, double x) {
    FR_VM_D_CLASSIFY(x, -40.0, 710.0, FR_VM_2M60);
    uint64_t m_anf = fr_vm_gtm(fr_vm_bits_d(a) & FR_VM_ABS, FR_VM_INF - 1);  /* a not finite */
    double S, L;
    fr_vm_expm1_parts_d(xc, &S, &L);
    /* |a| < 2^-900: the split product of a tiny a loses digits (and can
     * round to a zero); work with a * 2^600 and scale back at the end, where
     * a subnormal result is rounded once */
    uint64_t m_atiny = fr_vm_gtm(0x07b0000000000000ull, fr_vm_bits_d(a) & FR_VM_ABS);
    double a_work = fr_vm_selm_d(m_anf, 1.0, a) * fr_vm_selm_d(m_atiny, 0x1p600, 1.0);
    double prod = (2.0 * fr_vm_mul_dd(a_work, S, L)) * fr_vm_selm_d(m_atiny, 0x1p-600, 1.0);
    /* the sign of a product is known: keep it when the result is a zero */
    prod = fr_vm_double((fr_vm_bits_d(prod) & FR_VM_ABS)
                        | ((fr_vm_bits_d(a) ^ fr_vm_bits_d(xc)) & ~FR_VM_ABS));
    double e = 2.0 * (S + L);
    uint64_t m_einf = fr_vm_gtm(fr_vm_bits_d(e) & FR_VM_ABS, FR_VM_INF - 1);
    double v = fr_vm_selm_d(m_special, FR_VM_D_SPECIAL(-1.0), fr_vm_selm_d(m_tiny, x, e));
    /* plain-product lanes (a = +-0 too: the split product would lose the
     * sign of a zero result); the others multiply a by 1 (raises nothing) */
    uint64_t m_azero = fr_vm_gtm(1, fr_vm_bits_d(a) & FR_VM_ABS);
    uint64_t m_plain = m_special | m_tiny | m_einf | m_anf | m_azero;
    double pp = a * fr_vm_selm_d(m_plain, v, 1.0);
    return fr_vm_selm_d(m_plain, pp, prod);
}

FR_INLINE double fr_vscaled_exp_d(double a, double x) {
    FR_VM_D_CLASSIFY(x, -746.0, 710.0, FR_VM_2M60);
    uint64_t m_anf = fr_vm_gtm(fr_vm_bits_d(a) & FR_VM_ABS, FR_VM_INF - 1);
    double hi, lo, s1, s2;
    fr_vm_exp_parts_acc_d(xc, &hi, &lo, &s1, &s2);
    /* a * (hi + lo) / 2 cannot overflow; then the exact scaling by 2*s1*s2.
     * |a| < 2^-900 works with a * 2^600 and scales back last (as in expm1) */
    uint64_t m_atiny = fr_vm_gtm(0x07b0000000000000ull, fr_vm_bits_d(a) & FR_VM_ABS);
    double a_work = fr_vm_selm_d(m_anf, 1.0, a) * fr_vm_selm_d(m_atiny, 0x1p600, 1.0);
    double prod = ((fr_vm_mul_dd(a_work, 0.5 * hi, 0.5 * lo) * (2.0 * s1)) * s2)
                  * fr_vm_selm_d(m_atiny, 0x1p-600, 1.0);
    /* exp > 0: the product has the sign of a, also when it rounds to zero */
    prod = fr_vm_double((fr_vm_bits_d(prod) & FR_VM_ABS) | (fr_vm_bits_d(a) & ~FR_VM_ABS));
    double e = ((hi + lo) * s1) * s2;
    uint64_t ae = fr_vm_bits_d(e) & FR_VM_ABS;
    uint64_t m_edge = fr_vm_gtm(ae, FR_VM_INF - 1) | fr_vm_gtm(1, ae);  /* inf or 0 */
    double v = fr_vm_selm_d(m_special, FR_VM_D_SPECIAL(0.0), e);   /* e = 1 if tiny */
    uint64_t m_azero = fr_vm_gtm(1, fr_vm_bits_d(a) & FR_VM_ABS);  /* keeps -0 * e = -0 */
    uint64_t m_plain = m_special | m_tiny | m_edge | m_anf | m_azero;
    double pp = a * fr_vm_selm_d(m_plain, v, 1.0);
    return fr_vm_selm_d(m_plain, pp, prod);
}

#endif /* FASTRELU_VECMATH_H */
