/*
 * Opt-in threads for large contiguous loops (fastrelu.set_num_threads).
 *
 * Each generated loop calls fr_threads_for(); only when the user asked for
 * more than one thread, the loop is long enough and every operand is
 * contiguous (or a broadcast scalar) does it split the range over OpenMP
 * threads with fr_run_parallel().  Small loops never pay for threads.
 *
 * Floating-point flags are per thread, and NumPy reads them only in the
 * calling thread after the loop: each chunk collects its own flags and the
 * caller raises their union, so overflow and invalid warnings are the same as
 * with one thread.
 *
 * Built without OpenMP, fr_threads_for() always answers 1 (show_config says so).
 */
#ifndef FASTRELU_PARALLEL_H
#define FASTRELU_PARALLEL_H

#include <fenv.h>
#include <numpy/npy_common.h>

#ifdef _OPENMP
#include <omp.h>
#define FR_HAVE_OPENMP 1
#else
#define FR_HAVE_OPENMP 0
#endif

/* below this many elements a loop runs on one thread: the fork/join costs a
 * few microseconds, about what one thread needs for 64K elements of relu */
#define FR_PARALLEL_MIN 65536
#define FR_MAX_THREADS 256

static int fr_num_threads = 1;

typedef void (*fr_range_fn)(char **args, const npy_intp *steps, npy_intp start, npy_intp n);

static int fr_threads_for(npy_intp n, const npy_intp *steps, int nargs, npy_intp itemsize) {
    int k, nt = fr_num_threads;
    if (!FR_HAVE_OPENMP || nt <= 1 || n < FR_PARALLEL_MIN)
        return 1;
    for (k = 0; k < nargs; k++)
        if (steps[k] != itemsize && steps[k] != 0)
            return 1;
    /* at least half the threshold per thread */
    if ((npy_intp)nt > n / (FR_PARALLEL_MIN / 2))
        nt = (int)(n / (FR_PARALLEL_MIN / 2));
    return nt < 1 ? 1 : (nt > FR_MAX_THREADS ? FR_MAX_THREADS : nt);
}

static void fr_run_parallel(fr_range_fn fn, char **args, const npy_intp *steps, npy_intp n, int nt) {
    int flags[FR_MAX_THREADS];
    int c, raised = fetestexcept(FE_ALL_EXCEPT);
    /* chunks of whole cache lines (64 elements), in order */
    npy_intp chunk = (((n + nt - 1) / nt) + 63) & ~(npy_intp)63;
#ifdef _OPENMP
#pragma omp parallel for num_threads(nt) schedule(static, 1)
#endif
    for (c = 0; c < nt; c++) {
        npy_intp start = (npy_intp)c * chunk;
        npy_intp len = n - start < chunk ? n - start : chunk;
        feclearexcept(FE_ALL_EXCEPT);
        if (len > 0)
            fn(args, steps, start, len);
        flags[c] = fetestexcept(FE_ALL_EXCEPT);
    }
    for (c = 0; c < nt; c++)
        raised |= flags[c];
    feclearexcept(FE_ALL_EXCEPT);
    if (raised)
        feraiseexcept(raised);
}

#endif /* FASTRELU_PARALLEL_H */
