package dev.pigment.core.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The fixtures of diffusers' tests/schedulers/test_schedulers.py (SchedulerCommonTest), in float32 like torch,
 * and the two loop shapes its full-loop tests use.
 */
final class DiffusersFixtures {
    static final int BATCH = 4;
    static final int CHANNELS = 3;
    static final int HEIGHT = 8;
    static final int WIDTH = 8;
    static final int NUM_ELEMS = BATCH * CHANNELS * HEIGHT * WIDTH;

    private DiffusersFixtures() {
    }

    /** dummy_sample_deter: arange(768).reshape(C,H,W,B) / 768, permuted to (B,C,H,W), flattened NCHW. */
    static float[] dummySampleDeter() {
        return deter(false);
    }

    /** dummy_noise_deter: the same with arange flipped, i.e. (767 - idx) / 768. */
    static float[] dummyNoiseDeter() {
        return deter(true);
    }

    private static float[] deter(boolean flip) {
        float[] out = new float[NUM_ELEMS];
        for (int b = 0; b < BATCH; b++) {
            for (int c = 0; c < CHANNELS; c++) {
                for (int h = 0; h < HEIGHT; h++) {
                    for (int w = 0; w < WIDTH; w++) {
                        int idx = ((c * HEIGHT + h) * WIDTH + w) * BATCH + b;
                        int value = flip ? NUM_ELEMS - 1 - idx : idx;
                        out[((b * CHANNELS + c) * HEIGHT + h) * WIDTH + w] = (float) value / (float) NUM_ELEMS;
                    }
                }
            }
        }
        return out;
    }

    /** dummy_model: sample * t / (t + 1), float32 ops in torch's order. */
    static float[] dummyModel(float[] sample, double t) {
        float tf = (float) t;
        float tp1 = (float) (t + 1);
        float[] out = new float[sample.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = sample[i] * tf / tp1;
        }
        return out;
    }

    static float[] scaled(float[] x, double factor) {
        float f = (float) factor;
        float[] out = new float[x.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = x[i] * f;
        }
        return out;
    }

    /**
     * The Euler-family loop: sample = scale_model_input(sample, t); model on the SCALED sample; step with the
     * scaled sample, from stepIndex start to the end.
     */
    static float[] scaledLoop(Scheduler s, float[] sample, int start, TorchGenerator g) {
        double[] t = s.timesteps();
        float[] x = sample.clone();
        for (int i = start; i < t.length; i++) {
            s.scaleModelInput(x, i);
            float[] m = dummyModel(x, t[i]);
            x = s.step(m, i, x, g);
        }
        return x;
    }

    /** The DDIM/DPM/LCM loop: residual = model(sample, t); sample = step(residual, t, sample). */
    static float[] plainLoop(Scheduler s, float[] sample, int start, TorchGenerator g) {
        double[] t = s.timesteps();
        float[] x = sample.clone();
        for (int i = start; i < t.length; i++) {
            float[] m = dummyModel(x, t[i]);
            x = s.step(m, i, x, g);
        }
        return x;
    }

    static double sumAbs(float[] x) {
        double sum = 0;
        for (float v : x) {
            sum += Math.abs(v);
        }
        return sum;
    }

    static double meanAbs(float[] x) {
        return sumAbs(x) / x.length;
    }

    /** diffusers' assertion: |sum|x| - sum| < sumTol and |mean|x| - mean| < meanTol. */
    static void assertSumMean(float[] x, double sum, double sumTol, double mean, double meanTol) {
        assertEquals(sum, sumAbs(x), sumTol, "sum |x|");
        assertEquals(mean, meanAbs(x), meanTol, "mean |x|");
    }

    static void assertMean(float[] x, double mean, double meanTol) {
        assertEquals(mean, meanAbs(x), meanTol, "mean |x|");
    }
}
