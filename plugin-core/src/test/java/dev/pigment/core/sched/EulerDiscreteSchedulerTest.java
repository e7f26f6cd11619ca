package dev.pigment.core.sched;

import static dev.pigment.core.sched.DiffusersFixtures.assertSumMean;
import static dev.pigment.core.sched.DiffusersFixtures.dummyNoiseDeter;
import static dev.pigment.core.sched.DiffusersFixtures.dummySampleDeter;
import static dev.pigment.core.sched.DiffusersFixtures.scaled;
import static dev.pigment.core.sched.DiffusersFixtures.scaledLoop;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

/** Ports of diffusers' tests/schedulers/test_scheduler_euler.py full loops (same fixtures and tolerances). */
class EulerDiscreteSchedulerTest {

    static SchedulerConfig config() {
        JsonObject json = new JsonObject();
        json.addProperty("num_train_timesteps", 1100);
        json.addProperty("beta_start", 0.0001);
        json.addProperty("beta_end", 0.02);
        json.addProperty("beta_schedule", "linear");
        return SchedulerConfig.of(json);
    }

    private static float[] fullLoop(SchedulerConfig config) {
        EulerDiscreteScheduler s = new EulerDiscreteScheduler(config);
        s.setTimesteps(10);
        return scaledLoop(s, scaled(dummySampleDeter(), s.initNoiseSigma()), 0, new TorchGenerator(0));
    }

    @Test
    void fullLoopNoNoise() {
        assertSumMean(fullLoop(config()), 10.0807, 1e-2, 0.0131, 1e-3);
    }

    @Test
    void fullLoopWithVPrediction() {
        assertSumMean(fullLoop(config().with("prediction_type", "v_prediction")), 0.0002, 1e-2, 2.2676e-06, 1e-3);
    }

    @Test
    void fullLoopKarrasSigmas() {
        assertSumMean(fullLoop(config().with("use_karras_sigmas", true)), 124.52299499511719, 1e-2,
                0.16213932633399963, 1e-3);
    }

    @Test
    void fullLoopWithNoise() {
        EulerDiscreteScheduler s = new EulerDiscreteScheduler(config());
        s.setTimesteps(10);
        int tStart = 8;
        float[] sample = scaled(dummySampleDeter(), s.initNoiseSigma());
        sample = s.addNoise(sample, dummyNoiseDeter(), tStart);
        float[] out = scaledLoop(s, sample, tStart, new TorchGenerator(0));
        assertSumMean(out, 57062.9297, 1e-2, 74.3007, 1e-3);
    }

    @Test
    void scheduleMatchesDiffusers() {
        EulerDiscreteScheduler s = new EulerDiscreteScheduler(config());
        s.setTimesteps(10);
        // np.linspace(0, 1099, 10, dtype=np.float32)[::-1], printed by numpy 1.24
        assertArrayEquals(new double[] {1099, 976.888916015625, 854.7777709960938, 732.6666870117188,
                610.5555419921875, 488.4444580078125, 366.3333435058594, 244.22222900390625, 122.11111450195312, 0},
                s.timesteps(), 0);
        float[] sigmas = s.sigmas();
        assertEquals(11, sigmas.length);
        assertEquals(0f, sigmas[10]);
        assertEquals(sigmas[0], s.initNoiseSigma(), 0);
    }

    @Test
    void addNoiseIsDiffusersFormulaAndEndIsClean() {
        EulerDiscreteScheduler s = new EulerDiscreteScheduler(config());
        s.setTimesteps(10);
        float[] x = dummySampleDeter();
        float[] n = dummyNoiseDeter();
        float sigma = s.sigmas()[3];
        float[] noisy = s.addNoise(x, n, 3);
        for (int i = 0; i < x.length; i++) {
            assertEquals(x[i] + n[i] * sigma, noisy[i], 0);
        }
        assertArrayEquals(x, s.addNoise(x, n, 10));
    }
}
