package dev.pigment.core.sched;

import static dev.pigment.core.sched.DiffusersFixtures.assertSumMean;
import static dev.pigment.core.sched.DiffusersFixtures.dummyNoiseDeter;
import static dev.pigment.core.sched.DiffusersFixtures.dummySampleDeter;
import static dev.pigment.core.sched.DiffusersFixtures.plainLoop;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.gson.JsonObject;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Ports of diffusers' tests/schedulers/test_scheduler_ddim.py (full loops, steps_offset, variance). */
class DDIMSchedulerTest {

    static SchedulerConfig config() {
        JsonObject json = new JsonObject();
        json.addProperty("num_train_timesteps", 1000);
        json.addProperty("beta_start", 0.0001);
        json.addProperty("beta_end", 0.02);
        json.addProperty("beta_schedule", "linear");
        json.addProperty("clip_sample", true);
        return SchedulerConfig.of(json);
    }

    private static float[] fullLoop(SchedulerConfig config) {
        DDIMScheduler s = new DDIMScheduler(config);
        s.setTimesteps(10);
        return plainLoop(s, dummySampleDeter(), 0, null);
    }

    @Test
    void fullLoopNoNoise() {
        assertSumMean(fullLoop(config()), 172.0067, 1e-2, 0.223967, 1e-3);
    }

    @Test
    void fullLoopWithVPrediction() {
        assertSumMean(fullLoop(config().with("prediction_type", "v_prediction")), 52.5302, 1e-2, 0.0684, 1e-3);
    }

    @Test
    void fullLoopWithSetAlphaToOne() {
        assertSumMean(fullLoop(config().with("set_alpha_to_one", true).with("beta_start", 0.01)), 149.8295, 1e-2,
                0.1951, 1e-3);
    }

    @Test
    void fullLoopWithNoSetAlphaToOne() {
        assertSumMean(fullLoop(config().with("set_alpha_to_one", false).with("beta_start", 0.01)), 149.0784, 1e-2,
                0.1941, 1e-3);
    }

    @Test
    void fullLoopWithNoise() {
        DDIMScheduler s = new DDIMScheduler(config());
        s.setTimesteps(10);
        int tStart = 8;
        float[] sample = s.addNoise(dummySampleDeter(), dummyNoiseDeter(), tStart);
        assertArrayEquals(new double[] {100, 0}, Arrays.copyOfRange(s.timesteps(), tStart, 10));
        assertSumMean(plainLoop(s, sample, tStart, null), 354.5418, 1e-2, 0.4616, 1e-3);
    }

    @Test
    void stepsOffset() {
        DDIMScheduler s = new DDIMScheduler(config().with("steps_offset", 1));
        s.setTimesteps(5);
        assertArrayEquals(new double[] {801, 601, 401, 201, 1}, s.timesteps());
    }

    @Test
    void variance() {
        DDIMScheduler s = new DDIMScheduler(config());
        assertEquals(0.0, s.variance(0, 0), 1e-5);
        assertEquals(0.14771, s.variance(420, 400), 1e-5);
        assertEquals(0.32460, s.variance(980, 960), 1e-5);
        assertEquals(0.00979, s.variance(487, 486), 1e-5);
        assertEquals(0.02, s.variance(999, 998), 1e-5);
    }

    @Test
    void etaAddsGeneratorNoiseReproducibly() {
        DDIMScheduler s = new DDIMScheduler(config().with("eta", 1.0));
        s.setTimesteps(10);
        float[] a = plainLoop(s, dummySampleDeter(), 0, new TorchGenerator(0));
        float[] b = plainLoop(s, dummySampleDeter(), 0, new TorchGenerator(0));
        float[] c = plainLoop(s, dummySampleDeter(), 0, new TorchGenerator(1));
        float[] deterministic = fullLoop(config());
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, c));
        assertFalse(Arrays.equals(a, deterministic));
    }

    @Test
    void addNoiseIsDdpmForwardProcess() {
        DDIMScheduler s = new DDIMScheduler(config());
        s.setTimesteps(10);
        float[] x = dummySampleDeter();
        float[] n = dummyNoiseDeter();
        float a = s.alphasCumprod()[(int) s.timesteps()[4]];
        float sa = (float) Math.sqrt(a);
        float sb = (float) Math.sqrt(1f - a);
        float[] noisy = s.addNoise(x, n, 4);
        for (int i = 0; i < x.length; i++) {
            assertEquals(sa * x[i] + sb * n[i], noisy[i], 0);
        }
        assertArrayEquals(x, s.addNoise(x, n, 10));
    }
}
