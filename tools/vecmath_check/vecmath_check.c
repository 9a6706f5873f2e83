/*
 * Accuracy, FP-flag and speed check for fastrelu/_vecmath.h.
 * Build and run: see README.md in this folder (run.sh does both ISAs).
 *
 *   vecmath_check float     every float32 bit pattern, vs double libm
 *   vecmath_check double [N] N random doubles (default 1e7) + grids, vs long double
 *   vecmath_check flags     FP exceptions raised by the vector loops on special inputs
 *   vecmath_check bench     ns/element, contiguous 1e5 elements, min over repeats
 *
 * The functions are called through the loops of vec_loops.c (compiled
 * separately with the same flags), i.e. through the vectorized code.
 */
#define _GNU_SOURCE
#include <fenv.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void loop_expm1_f(const float *restrict x, float *restrict o, long n);
void loop_exp_f(const float *restrict x, float *restrict o, long n);
void loop_expm1_d(const double *restrict x, double *restrict o, long n);
void loop_exp_d(const double *restrict x, double *restrict o, long n);
void loop_sexpm1_f(float a, const float *restrict x, float *restrict o, long n);
void loop_sexp_f(float a, const float *restrict x, float *restrict o, long n);
void loop_sexpm1_d(double a, const double *restrict x, double *restrict o, long n);
void loop_sexp_d(double a, const double *restrict x, double *restrict o, long n);

static uint32_t fbits(float x) { uint32_t u; memcpy(&u, &x, 4); return u; }
static float ffrom(uint32_t u) { float x; memcpy(&x, &u, 4); return x; }
static uint64_t dbits(double x) { uint64_t u; memcpy(&u, &x, 8); return u; }
static double dfrom(uint64_t u) { double x; memcpy(&x, &u, 8); return x; }

/* ---- error bookkeeping ------------------------------------------------- */
typedef struct {
    const char *name;
    double maxerr;      /* max |out - exact| / ulp(exact) */
    double worst_x;
    double maxerr_normal;  /* the same, only where the exact result is a normal number */
    long long maxdist;  /* max distance in representable steps from the correctly rounded value */
    long long bad;      /* special-value / NaN / inf mismatches */
    long long n;
} stat_t;

static void stat_print(const stat_t *s) {
    printf("  %-22s n=%-11lld max err %.4f ULP (at x=%.17g; %.4f for normal results)"
           "  max steps from CR %lld  mismatches %lld\n",
           s->name, s->n, s->maxerr, s->worst_x, s->maxerr_normal, s->maxdist, s->bad);
}

static int64_t ford(float x) {   /* monotone integer order of floats */
    int32_t i = (int32_t)fbits(x);
    return i < 0 ? (int64_t)(int32_t)0x80000000 - i : i;
}
static long long dord_diff(double a, double b) {
    int64_t ia, ib;
    memcpy(&ia, &a, 8); memcpy(&ib, &b, 8);
    if (ia < 0) ia = INT64_MIN - ia;
    if (ib < 0) ib = INT64_MIN - ib;
    return llabs((long long)(ia - ib));
}

/* float result `out` against exact value `ref` (a double, ~2^-29 float ULP precise) */
static void check_f(stat_t *s, float x, float out, double ref) {
    s->n++;
    if (isnan(ref)) { if (!isnan(out)) s->bad++; return; }
    float cr = (float)ref;
    if (isinf(cr) || isinf(out)) {
        if (out != cr) { s->bad++; if (s->bad < 5) printf("    MISMATCH x=%.9g out=%.9g ref=%.9g\n", x, out, ref); }
        return;
    }
    double ulp = fabs(ref) < FLT_MIN ? ldexp(1.0, -149) : ldexp(1.0, ilogb(ref) - 23);
    double e = fabs((double)out - ref) / ulp;
    if (e > s->maxerr) { s->maxerr = e; s->worst_x = x; }
    if (fabs(ref) >= FLT_MIN && e > s->maxerr_normal) s->maxerr_normal = e;
    long long d = llabs((long long)(ford(out) - ford(cr)));
    if (d > s->maxdist) s->maxdist = d;
    if (out == 0 && cr == 0 && signbit(out) != signbit(cr)) s->bad++;
}

static void check_d(stat_t *s, double x, double out, long double ref) {
    s->n++;
    if (isnan(ref)) { if (!isnan(out)) s->bad++; return; }
    double cr = (double)ref;
    if (isinf(cr) || isinf(out)) {
        if (out != cr) { s->bad++; if (s->bad < 5) printf("    MISMATCH x=%.17g out=%.17g ref=%.17Lg\n", x, out, ref); }
        return;
    }
    long double ulp = fabsl(ref) < DBL_MIN ? ldexpl(1.0L, -1074) : ldexpl(1.0L, ilogbl(ref) - 52);
    double e = (double)(fabsl((long double)out - ref) / ulp);
    if (e > s->maxerr) { s->maxerr = e; s->worst_x = x; }
    if (fabsl(ref) >= DBL_MIN && e > s->maxerr_normal) s->maxerr_normal = e;
    long long d = dord_diff(out, cr);
    if (d > s->maxdist) s->maxdist = d;
    if (out == 0 && cr == 0 && signbit(out) != signbit(cr)) s->bad++;
}

/* ---- float: all 2^32 bit patterns (OpenMP threads if built with -fopenmp) ---- */
#define CH 65536
#define NF 6
static void stat_merge(stat_t *into, const stat_t *s) {
    if (s->maxerr > into->maxerr) { into->maxerr = s->maxerr; into->worst_x = s->worst_x; }
    if (s->maxerr_normal > into->maxerr_normal) into->maxerr_normal = s->maxerr_normal;
    if (s->maxdist > into->maxdist) into->maxdist = s->maxdist;
    into->bad += s->bad;
    into->n += s->n;
}
static long long scalar_differs_f;
static int run_float(void) {
    static const char *names[NF] = {"expm1_f", "exp_f", "scaled_expm1_f a=1.7",
                                    "scaled_expm1_f a=0.3", "scaled_exp_f a=1.7", "scaled_exp_f a=0.3"};
    stat_t tot[NF];
    memset(tot, 0, sizeof tot);
    for (int f = 0; f < NF; f++) tot[f].name = names[f];
#pragma omp parallel
    {
        stat_t st[NF];
        long long sdiff = 0;
        memset(st, 0, sizeof st);
        float *xs = malloc(sizeof(float) * CH * (NF + 1)), *o[NF];
        for (int f = 0; f < NF; f++) o[f] = xs + CH * (f + 1);
#pragma omp for schedule(dynamic, 64)
        for (long long blk = 0; blk < (1ll << 32) / CH; blk++) {
            uint64_t base = (uint64_t)blk * CH;
            for (int i = 0; i < CH; i++) xs[i] = ffrom((uint32_t)(base + i));
            loop_expm1_f(xs, o[0], CH);
            loop_exp_f(xs, o[1], CH);
            loop_sexpm1_f(1.7f, xs, o[2], CH);
            loop_sexpm1_f(0.3f, xs, o[3], CH);
            loop_sexp_f(1.7f, xs, o[4], CH);
            loop_sexp_f(0.3f, xs, o[5], CH);
            for (int i = 0; i < CH; i++) {
                double x = xs[i];
                double em = expm1(x), ee = exp(x);
                check_f(&st[0], xs[i], o[0][i], em);
                check_f(&st[1], xs[i], o[1][i], ee);
                /* scaled: the product in double is within 2^-53, i.e. ~2^-29 float ULP */
                check_f(&st[2], xs[i], o[2][i], (double)1.7f * em);
                check_f(&st[3], xs[i], o[3][i], (double)0.3f * em);
                check_f(&st[4], xs[i], o[4][i], (double)1.7f * ee);
                check_f(&st[5], xs[i], o[5][i], (double)0.3f * ee);
                if ((i & 1023) < 16) {
                    /* again one at a time (n = 1: the loop's scalar remainder code,
                     * which the compiler may contract differently); checked too if
                     * it differs.  16 of every 1024 inputs. */
                    float t[NF];
                    loop_expm1_f(xs + i, &t[0], 1);
                    loop_exp_f(xs + i, &t[1], 1);
                    loop_sexpm1_f(1.7f, xs + i, &t[2], 1);
                    loop_sexpm1_f(0.3f, xs + i, &t[3], 1);
                    loop_sexp_f(1.7f, xs + i, &t[4], 1);
                    loop_sexp_f(0.3f, xs + i, &t[5], 1);
                    int differs = 0;
                    for (int f = 0; f < NF; f++) differs |= fbits(t[f]) != fbits(o[f][i]);
                    if (differs) {
                        sdiff++;
                        check_f(&st[0], xs[i], t[0], em);
                        check_f(&st[1], xs[i], t[1], ee);
                        check_f(&st[2], xs[i], t[2], (double)1.7f * em);
                        check_f(&st[3], xs[i], t[3], (double)0.3f * em);
                        check_f(&st[4], xs[i], t[4], (double)1.7f * ee);
                        check_f(&st[5], xs[i], t[5], (double)0.3f * ee);
                    }
                }
                /* NaN: quiet bit set, sign and payload kept */
                if (isnan(xs[i]) && (((fbits(o[0][i]) ^ fbits(xs[i])) & 0xffbfffffu)
                                     || ((fbits(o[1][i]) ^ fbits(xs[i])) & 0xffbfffffu)
                                     || !(fbits(o[0][i]) & 0x00400000u))) st[0].bad++;
            }
        }
#pragma omp critical
        {
            for (int f = 0; f < NF; f++) stat_merge(&tot[f], &st[f]);
            scalar_differs_f += sdiff;
        }
        free(xs);
    }
    printf("float32, all 2^32 inputs (reference: double libm, error resolution ~2^-28 ULP)\n");
    printf("  (1/64 of the inputs also through the scalar remainder code; results that differ"
           " from the vector ones, also checked: %lld)\n", scalar_differs_f);
    int rc = 0;
    for (int f = 0; f < NF; f++) {
        stat_print(&tot[f]);
        if (tot[f].maxerr > 1 || tot[f].bad) rc = 1;
    }
    return rc;
}

/* ---- double: random + grids vs long double ------------------------------ */
static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint64_t xorshift(void) { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; return rng; }
static double urand(void) { return (double)(xorshift() >> 11) * 0x1p-53; }

static long long scalar_differs;   /* scalar remainder results that differ from the vector ones */
static void check_d8(stat_t *st, double x, double *const out[8], long i) {
    long double em = expm1l(x), ee = expl(x);
    /* scaled: a * f(x) exactly where f(x) is a nonzero finite double, else the
     * documented plain product a * f(x) */
    double cm = (double)em, ce = (double)ee;
    int pm = isinf(cm) || isnan(cm) || cm == 0, pe = isinf(ce) || isnan(ce) || ce == 0;
    check_d(&st[0], x, out[0][i], em);
    check_d(&st[1], x, out[1][i], ee);
    check_d(&st[2], x, out[2][i], pm ? (long double)(1.7 * cm) : (long double)1.7 * em);
    check_d(&st[3], x, out[3][i], pm ? (long double)(0.3 * cm) : (long double)0.3 * em);
    check_d(&st[4], x, out[4][i], pe ? (long double)(1.7 * ce) : (long double)1.7 * ee);
    check_d(&st[5], x, out[5][i], pe ? (long double)(0.3 * ce) : (long double)0.3 * ee);
    check_d(&st[6], x, out[6][i], pm ? (long double)cm : em);
    check_d(&st[7], x, out[7][i], pe ? (long double)ce : ee);
}
static void run_d_batch(const double *xs, long n, stat_t *st) {
    static double o[8][CH], t[8][1];
    double *const ov[8] = {o[0], o[1], o[2], o[3], o[4], o[5], o[6], o[7]};
    double *const tv[8] = {t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7]};
    loop_expm1_d(xs, o[0], n);
    loop_exp_d(xs, o[1], n);
    loop_sexpm1_d(1.7, xs, o[2], n);
    loop_sexpm1_d(0.3, xs, o[3], n);
    loop_sexp_d(1.7, xs, o[4], n);
    loop_sexp_d(0.3, xs, o[5], n);
    loop_sexpm1_d(1.0, xs, o[6], n);
    loop_sexp_d(1.0, xs, o[7], n);
    for (long i = 0; i < n; i++) {
        check_d8(st, xs[i], ov, i);
        if (i < 4096) {
            /* again one at a time (n = 1: the loop's scalar remainder code, which
             * the compiler may contract differently); checked too if it differs */
            loop_expm1_d(xs + i, t[0], 1);
            loop_exp_d(xs + i, t[1], 1);
            loop_sexpm1_d(1.7, xs + i, t[2], 1);
            loop_sexpm1_d(0.3, xs + i, t[3], 1);
            loop_sexp_d(1.7, xs + i, t[4], 1);
            loop_sexp_d(0.3, xs + i, t[5], 1);
            loop_sexpm1_d(1.0, xs + i, t[6], 1);
            loop_sexp_d(1.0, xs + i, t[7], 1);
            int differs = 0;
            for (int f = 0; f < 8; f++) differs |= dbits(t[f][0]) != dbits(o[f][i]);
            if (differs) { scalar_differs++; check_d8(st, xs[i], tv, 0); }
        }
    }
}

static int run_double(long nrand) {
    static double xs[CH];
    static const char *names[8] = {"expm1_d", "exp_d", "scaled_expm1_d a=1.7", "scaled_expm1_d a=0.3",
                                   "scaled_exp_d a=1.7", "scaled_exp_d a=0.3", "scaled_expm1_d a=1",
                                   "scaled_exp_d a=1"};
    stat_t st[8];
    memset(st, 0, sizeof st);
    for (int f = 0; f < 8; f++) st[f].name = names[f];
    long n = 0;
#define FLUSH() do { if (n) { run_d_batch(xs, n, st); n = 0; } } while (0)
#define PUSH(v) do { xs[n++] = (v); if (n == CH) FLUSH(); } while (0)
    /* 1. uniform on [-746, 710] */
    for (long i = 0; i < nrand; i++) PUSH(-746.0 + 1456.0 * urand());
    /* 2. log-uniform magnitude, both signs: |x| in [2^-60, 2^10] */
    for (long i = 0; i < nrand / 2; i++) {
        double v = ldexp(1.0 + urand(), -60 + (int)(xorshift() % 70));
        PUSH((xorshift() & 1) ? v : -v);
    }
    /* 3. dense around 0: +-(1 + j*2^-12) * 2^e */
    for (int e = -60; e <= 0; e++)
        for (int j = 0; j < 4096; j++) { double v = ldexp(1.0 + j * 0x1p-12, e); PUSH(v); PUSH(-v); }
    /* 4. around the reduction boundaries (m + 1/2) * ln2, m in [-1076, 1024] */
    for (int m = -1077; m <= 1024; m++) {
        double b = (m + 0.5) * 0.69314718055994530942;
        for (int j = -64; j <= 64; j++) PUSH(b + j * ldexp(fabs(b), -50));
        for (int j = -32; j <= 32; j++) PUSH(b + j * 1e-6);
    }
    /* 5. dense on [-1.5, 1.5] (k = -2..2, the cancellation region of expm1) */
    for (long j = 0; j < 3000000; j++) PUSH(-1.5 + 3.0 * urand());
    /* 5b. where the worst errors are (expm1 just past k = +-1, -2, 2): 4e6 each */
    static const double hot[4][2] = {{0.3466, 0.42}, {-0.37, -0.3466}, {-1.05, -0.98}, {1.0, 1.1}};
    for (int h = 0; h < 4; h++)
        for (long j = 0; j < 4000000; j++) PUSH(hot[h][0] + (hot[h][1] - hot[h][0]) * urand());
    /* 6. near the thresholds: overflow, subnormal exp, exp -> 0, clamps */
    double th[] = {709.782712893384, 709.089565712824, -708.396418532264, -744.440071921381,
                   -745.133219101941, -40.0, 710.0, -746.0, -37.42994775023705, 0x1p-54, -0x1p-54};
    for (int t = 0; t < (int)(sizeof th / sizeof th[0]); t++)
        for (int j = -5000; j <= 5000; j++) {
            PUSH(th[t] + j * ldexp(fabs(th[t]), -52));
            PUSH(th[t] + j * 1e-9 * fabs(th[t]));
        }
    /* 7. specials */
    double sp[] = {0.0, -0.0, INFINITY, -INFINITY, NAN, -NAN, 5e-324, -5e-324, 2.2250738585072014e-308,
                   -2.2250738585072014e-308, 1e30, -1e30, 1e300, -1e300, DBL_MAX, -DBL_MAX, 1.0, -1.0};
    for (int t = 0; t < (int)(sizeof sp / sizeof sp[0]); t++) PUSH(sp[t]);
    FLUSH();
    printf("float64, %ld random + grids (reference: long double expm1l/expl)\n", nrand);
    printf("  (scalar-remainder results that differ from the vector ones, also checked: %lld)\n",
           scalar_differs);
    int rc = 0;
    for (int i = 0; i < 8; i++) {
        stat_print(&st[i]);
        if (st[i].maxerr > 1 || st[i].bad) rc = 1;
    }
    return rc;
}

/* ---- FP flags ----------------------------------------------------------- */
static void flagstr(int f, char *buf) {
    buf[0] = 0;
    if (f & FE_INVALID) strcat(buf, "INVALID ");
    if (f & FE_DIVBYZERO) strcat(buf, "DIVBYZERO ");
    if (f & FE_OVERFLOW) strcat(buf, "OVERFLOW ");
    if (f & FE_UNDERFLOW) strcat(buf, "UNDERFLOW ");
    if (f & FE_INEXACT) strcat(buf, "inexact ");
    if (!buf[0]) strcat(buf, "-");
}

static int run_flags(void) {
    enum { N = 67 };   /* vector body + scalar tail */
    float xf[N], of[N];
    double xd[N], od[N];
    struct { const char *name; double v; int ovf_exp, ovf_expm1; } cases[] = {
        {"qNaN", NAN, 0, 0}, {"-qNaN", -NAN, 0, 0}, {"sNaN", 0, 0, 0}, {"+inf", INFINITY, 0, 0},
        {"-inf", -INFINITY, 0, 0}, {"+0", 0.0, 0, 0}, {"-0", -0.0, 0, 0},
        {"min subnormal", 0, 0, 0}, {"-min subnormal", 0, 0, 0}, {"1e-30", 1e-30, 0, 0},
        {"-1e-30", -1e-30, 0, 0}, {"1e30", 1e30, 1, 1}, {"-1e30", -1e30, 0, 0},
        {"max finite", 0, 1, 1}, {"-max finite", 0, 0, 0}, {"-0.5", -0.5, 0, 0}, {"88 / 709", 0, 0, 0},
        {"89 / 710", 0, 1, 1}, {"-100 / -740", 0, 0, 0},
    };
    int ncase = sizeof cases / sizeof cases[0], fail = 0;
    char b1[80], b2[80], b3[80], b4[80];
    printf("FP exceptions raised by the loops (n=%d), float | double\n", N);
    printf("  %-16s %-28s %-28s | %-28s %-28s\n", "input", "expm1_f", "exp_f", "expm1_d", "exp_d");
    for (int c = 0; c < ncase; c++) {
        float vf = (float)cases[c].v; double vd = cases[c].v;
        const char *nm = cases[c].name;
        if (!strcmp(nm, "sNaN")) { vf = ffrom(0x7fa00001u); vd = dfrom(0x7ff4000000000001ull); }
        if (!strcmp(nm, "min subnormal")) { vf = ffrom(1); vd = dfrom(1); }
        if (!strcmp(nm, "-min subnormal")) { vf = -ffrom(1); vd = -dfrom(1); }
        if (!strcmp(nm, "max finite")) { vf = FLT_MAX; vd = DBL_MAX; }
        if (!strcmp(nm, "-max finite")) { vf = -FLT_MAX; vd = -DBL_MAX; }
        if (!strcmp(nm, "88 / 709")) { vf = 88.0f; vd = 709.0; }
        if (!strcmp(nm, "89 / 710")) { vf = 89.0f; vd = 710.0; }
        if (!strcmp(nm, "-100 / -740")) { vf = -100.0f; vd = -740.0; }
        for (int i = 0; i < N; i++) { xf[i] = vf; xd[i] = vd; }
        int fl[4];
        feclearexcept(FE_ALL_EXCEPT); loop_expm1_f(xf, of, N); fl[0] = fetestexcept(FE_ALL_EXCEPT);
        float r0 = of[0], r0t = of[N - 1];
        feclearexcept(FE_ALL_EXCEPT); loop_exp_f(xf, of, N); fl[1] = fetestexcept(FE_ALL_EXCEPT);
        float r1 = of[0];
        feclearexcept(FE_ALL_EXCEPT); loop_expm1_d(xd, od, N); fl[2] = fetestexcept(FE_ALL_EXCEPT);
        double r2 = od[0];
        feclearexcept(FE_ALL_EXCEPT); loop_exp_d(xd, od, N); fl[3] = fetestexcept(FE_ALL_EXCEPT);
        double r3 = od[0];
        /* scaled forms (a = 1.7): same flag rules */
        int fs[4];
        feclearexcept(FE_ALL_EXCEPT); loop_sexpm1_f(1.7f, xf, of, N); fs[0] = fetestexcept(FE_ALL_EXCEPT);
        feclearexcept(FE_ALL_EXCEPT); loop_sexp_f(1.7f, xf, of, N); fs[1] = fetestexcept(FE_ALL_EXCEPT);
        feclearexcept(FE_ALL_EXCEPT); loop_sexpm1_d(1.7, xd, od, N); fs[2] = fetestexcept(FE_ALL_EXCEPT);
        feclearexcept(FE_ALL_EXCEPT); loop_sexp_d(1.7, xd, od, N); fs[3] = fetestexcept(FE_ALL_EXCEPT);
        for (int k = 0; k < 4; k++) {
            int expect_ovf = (k == 0 || k == 2) ? cases[c].ovf_expm1 : cases[c].ovf_exp;
            if ((fs[k] & (FE_INVALID | FE_DIVBYZERO)) || (((fs[k] & FE_OVERFLOW) != 0) != expect_ovf)) {
                flagstr(fs[k], b1);
                printf("    scaled form %d raised [%s]\n", k, b1);
                fail = 1;
            }
        }
        flagstr(fl[0], b1); flagstr(fl[1], b2); flagstr(fl[2], b3); flagstr(fl[3], b4);
        char c1[120], c2[120], c3[120], c4[120];
        snprintf(c1, sizeof c1, "%.6g [%s]", r0, b1); snprintf(c2, sizeof c2, "%.6g [%s]", r1, b2);
        snprintf(c3, sizeof c3, "%.6g [%s]", r2, b3); snprintf(c4, sizeof c4, "%.6g [%s]", r3, b4);
        printf("  %-16s %-28s %-28s | %-28s %-28s\n", nm, c1, c2, c3, c4);
        int bad = 0;
        for (int k = 0; k < 4; k++) {
            int expect_ovf = (k == 0 || k == 2) ? cases[c].ovf_expm1 : cases[c].ovf_exp;
            if (fl[k] & (FE_INVALID | FE_DIVBYZERO)) bad = 1;
            if (((fl[k] & FE_OVERFLOW) != 0) != expect_ovf) bad = 1;
        }
        /* values: against libm (exact cases: NaN, inf, zeros must match bit for bit) */
        float e0 = (float)expm1((double)vf), e1 = (float)exp((double)vf);
        double e2 = (double)expm1l(vd), e3 = (double)expl(vd);
        if (isnan(vf) != isnan(r0) || isnan(vf) != isnan(r1) || isnan(vd) != isnan(r2) || isnan(vd) != isnan(r3)) bad = 1;
        if (!isnan(vf) && (isinf(e0) || e0 == 0 || e0 == -1) && fbits(r0) != fbits(e0)) bad = 1;
        if (!isnan(vf) && (isinf(e1) || e1 == 0 || e1 == 1) && fbits(r1) != fbits(e1)) bad = 1;
        if (!isnan(vd) && (isinf(e2) || e2 == 0 || e2 == -1) && dbits(r2) != dbits(e2)) bad = 1;
        if (!isnan(vd) && (isinf(e3) || e3 == 0 || e3 == 1) && dbits(r3) != dbits(e3)) bad = 1;
        /* NaN: quiet bit set, sign and payload kept */
        if (isnan(vf) && ((fbits(r0) | 0x00400000u) != (fbits(vf) | 0x00400000u) || !(fbits(r0) & 0x00400000u))) bad = 1;
        if (isnan(vd) && ((dbits(r2) | 0x0008000000000000ull) != (dbits(vd) | 0x0008000000000000ull)
                          || !(dbits(r2) & 0x0008000000000000ull))) bad = 1;
        if (fbits(r0) != fbits(r0t)) bad = 1;   /* vector body and scalar tail agree */
        if (bad) { printf("    ^^^ FAIL\n"); fail = 1; }
    }
    printf("flags: %s\n", fail ? "FAIL" : "ok (also the scaled forms, a = 1.7: no INVALID/DIVBYZERO; OVERFLOW exactly where the result overflows)");
    return fail;
}

/* ---- speed -------------------------------------------------------------- */
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + 1e-9 * t.tv_nsec; }
__attribute__((noinline)) static void libm_expm1f(const float *x, float *o, long n) { for (long i = 0; i < n; i++) o[i] = expm1f(x[i]); }
__attribute__((noinline)) static void libm_expf(const float *x, float *o, long n) { for (long i = 0; i < n; i++) o[i] = expf(x[i]); }
__attribute__((noinline)) static void libm_expm1_via_d(const float *x, float *o, long n) { for (long i = 0; i < n; i++) o[i] = (float)expm1((double)x[i]); }
__attribute__((noinline)) static void libm_expm1(const double *x, double *o, long n) { for (long i = 0; i < n; i++) o[i] = expm1(x[i]); }
__attribute__((noinline)) static void libm_exp(const double *x, double *o, long n) { for (long i = 0; i < n; i++) o[i] = exp(x[i]); }

#define BENCH(label, call) do {                                          \
        double best = 1e30;                                              \
        for (int rep = 0; rep < reps; rep++) {                           \
            double t0 = now(); call; double t1 = now();                  \
            if (t1 - t0 < best) best = t1 - t0;                          \
        }                                                                \
        printf("  %-40s %7.3f ns/element\n", label, best / NB * 1e9);   \
    } while (0)

static int run_bench(int reps) {
    enum { NB = 100000 };
    static float xf[NB], of[NB];
    static double xd[NB], od[NB];
    for (int i = 0; i < NB; i++) { xd[i] = -10.0 + 20.0 * urand(); xf[i] = (float)xd[i]; }
    printf("speed, %d contiguous elements, x uniform in [-10, 10], min of %d runs\n", NB, reps);
    BENCH("fr_vexpm1_f", loop_expm1_f(xf, of, NB));
    BENCH("fr_vexp_f", loop_exp_f(xf, of, NB));
    BENCH("fr_vscaled_expm1_f", loop_sexpm1_f(1.7f, xf, of, NB));
    BENCH("fr_vscaled_exp_f", loop_sexp_f(1.7f, xf, of, NB));
    BENCH("libm expm1f", libm_expm1f(xf, of, NB));
    BENCH("libm expf", libm_expf(xf, of, NB));
    BENCH("libm (float)expm1((double)x)", libm_expm1_via_d(xf, of, NB));
    BENCH("fr_vexpm1_d", loop_expm1_d(xd, od, NB));
    BENCH("fr_vexp_d", loop_exp_d(xd, od, NB));
    BENCH("fr_vscaled_expm1_d", loop_sexpm1_d(1.7, xd, od, NB));
    BENCH("fr_vscaled_exp_d", loop_sexp_d(1.7, xd, od, NB));
    BENCH("libm expm1", libm_expm1(xd, od, NB));
    BENCH("libm exp", libm_exp(xd, od, NB));
    return 0;
}

int main(int argc, char **argv) {
    const char *mode = argc > 1 ? argv[1] : "all";
    int rc = 0;
    if (!strcmp(mode, "flags") || !strcmp(mode, "all")) rc |= run_flags();
    if (!strcmp(mode, "double") || !strcmp(mode, "all"))
        rc |= run_double(argc > 2 ? atol(argv[2]) : 10000000L);
    if (!strcmp(mode, "float") || !strcmp(mode, "all")) rc |= run_float();
    if (!strcmp(mode, "bench")) run_bench(argc > 2 ? atoi(argv[2]) : 200);
    return rc;
}
