/* Measured fp32 FMA peak of this machine: every thread runs independent chains of vector FMAs
 * (12 accumulators hide the FMA latency) on the widest vectors the compiler targets with
 * -march=native (AVX-512, else AVX2+FMA). Prints GFLOP/s (1 FMA = 2 FLOPs), best of 5 rounds.
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

static void *work(void *out) {
    vec acc[CHAINS];
    vec a = SET1(0.999999f), b = SET1(1e-7f);
    for (int i = 0; i < CHAINS; i++) acc[i] = SET1((float) i);
    for (long n = 0; n < ITERS; n++) {
        for (int i = 0; i < CHAINS; i++) acc[i] = FMA(acc[i], a, b);
    }
    vec sum = acc[0];
    for (int i = 1; i < CHAINS; i++) sum = ADD(sum, acc[i]);
    STORE((float *) out, sum);
    return NULL;
}

int main(int argc, char **argv) {
    int threads = argc > 1 ? atoi(argv[1]) : 1;
    pthread_t t[64];
    float sink[64][LANES];
    double best = 0;
    for (int round = 0; round < 5; round++) {
        struct timespec s, e;
        clock_gettime(CLOCK_MONOTONIC, &s);
        for (int i = 0; i < threads; i++) pthread_create(&t[i], NULL, work, sink[i]);
        for (int i = 0; i < threads; i++) pthread_join(t[i], NULL);
        clock_gettime(CLOCK_MONOTONIC, &e);
        double secs = (e.tv_sec - s.tv_sec) + (e.tv_nsec - s.tv_nsec) / 1e9;
        double gflops = 2.0 * LANES * CHAINS * ITERS * threads / secs / 1e9;
        if (gflops > best) best = gflops;
    }
    printf("fma_peak threads=%d lanes=%d gflops=%.1f check=%g\n", threads, LANES, best, sink[0][0]);
    return 0;
}
