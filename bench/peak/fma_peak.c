/* Measured fp32 FMA peak of this machine: every thread runs independent chains of vector FMAs
 * (12 accumulators hide the FMA latency) on the widest vectors the compiler targets with
 * -march=native (AVX-512, else AVX2+FMA). Prints GFLOP/s (1 FMA = 2 FLOPs), best of 5 rounds, both per
 * second of wall time ("gflops") and per second of each thread's own CPU time times the thread count
 * ("cpu_gflops"): the second stays right on a shared machine whose other jobs take cores away.
 * Build and run: gcc -O2 -march=native -pthread bench/peak/fma_peak.c -o /tmp/fma_peak && /tmp/fma_peak 2 */
#include <immintrin.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#if defined(__AVX512F__)
typedef __m512 vec;
#define LANES 16
#define SET1 _mm512_set1_ps
#define FMA _mm512_fmadd_ps
#define ADD _mm512_add_ps
#define STORE _mm512_storeu_ps
#elif defined(__FMA__)
typedef __m256 vec;
#define LANES 8
#define SET1 _mm256_set1_ps
#define FMA _mm256_fmadd_ps
#define ADD _mm256_add_ps
#define STORE _mm256_storeu_ps
#else
#error "needs FMA: build with -march=native on an x86-64 machine with FMA"
#endif

#define CHAINS 12
static const long ITERS = 50L * 1000 * 1000;

struct job {
    float sink[LANES];
    double cpu_seconds;
};

static double seconds(clockid_t clock) {
    struct timespec t;
    clock_gettime(clock, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static void *work(void *arg) {
    struct job *job = arg;
    double start = seconds(CLOCK_THREAD_CPUTIME_ID);
    /* Twelve named accumulators, not an array: an array loop kept them in memory (store-forwarding bound). */
    vec a = SET1(0.999999f), b = SET1(1e-7f);
    vec c0 = SET1(0), c1 = SET1(1), c2 = SET1(2), c3 = SET1(3), c4 = SET1(4), c5 = SET1(5);
    vec c6 = SET1(6), c7 = SET1(7), c8 = SET1(8), c9 = SET1(9), c10 = SET1(10), c11 = SET1(11);
    for (long n = 0; n < ITERS; n++) {
        c0 = FMA(c0, a, b); c1 = FMA(c1, a, b); c2 = FMA(c2, a, b); c3 = FMA(c3, a, b);
        c4 = FMA(c4, a, b); c5 = FMA(c5, a, b); c6 = FMA(c6, a, b); c7 = FMA(c7, a, b);
        c8 = FMA(c8, a, b); c9 = FMA(c9, a, b); c10 = FMA(c10, a, b); c11 = FMA(c11, a, b);
    }
    vec sum = ADD(ADD(ADD(c0, c1), ADD(c2, c3)), ADD(ADD(c4, c5), ADD(c6, c7)));
    sum = ADD(sum, ADD(ADD(c8, c9), ADD(c10, c11)));
    STORE(job->sink, sum);
    job->cpu_seconds = seconds(CLOCK_THREAD_CPUTIME_ID) - start;
    return NULL;
}

int main(int argc, char **argv) {
    int threads = argc > 1 ? atoi(argv[1]) : 1;
    if (threads < 1 || threads > 64) {
        fprintf(stderr, "threads must be 1..64, was %d\n", threads);
        return 2;
    }
    pthread_t t[64];
    struct job jobs[64];
    double flops = 2.0 * LANES * CHAINS * ITERS;
    double best = 0, best_cpu = 0;
    for (int round = 0; round < 5; round++) {
        double start = seconds(CLOCK_MONOTONIC);
        for (int i = 0; i < threads; i++) pthread_create(&t[i], NULL, work, &jobs[i]);
        for (int i = 0; i < threads; i++) pthread_join(t[i], NULL);
        double wall = seconds(CLOCK_MONOTONIC) - start;
        double cpu_rate = 0;
        for (int i = 0; i < threads; i++) cpu_rate += flops / jobs[i].cpu_seconds / 1e9;
        if (flops * threads / wall / 1e9 > best) best = flops * threads / wall / 1e9;
        if (cpu_rate > best_cpu) best_cpu = cpu_rate;
    }
    printf("fma_peak threads=%d lanes=%d gflops=%.1f cpu_gflops=%.1f check=%g\n", threads, LANES, best, best_cpu,
           jobs[0].sink[0]);
    return 0;
}
