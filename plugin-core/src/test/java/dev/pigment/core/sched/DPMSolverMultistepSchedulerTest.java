package dev.pigment.core.sched;

import static dev.pigment.core.sched.DiffusersFixtures.assertMean;
import static dev.pigment.core.sched.DiffusersFixtures.assertSumMean;
import static dev.pigment.core.sched.DiffusersFixtures.dummyNoiseDeter;
import static dev.pigment.core.sched.DiffusersFixtures.dummySampleDeter;
import static dev.pigment.core.sched.DiffusersFixtures.plainLoop;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Ports of diffusers' tests/schedulers/test_scheduler_dpm_multi.py full loops ("DPM++ 2M"). */
class DPMSolverMultistepSchedulerTest {

    static SchedulerConfig config() {
        JsonObject json = new JsonObject();
        json.addProperty("num_train_timesteps", 1000);
        json.addProperty("beta_start", 0.0001);
        json.addProperty("beta_end", 0.02);
        json.addProperty("beta_schedule", "linear");
        json.addProperty("solver_order", 2);
        json.addProperty("prediction_type", "epsilon");
        json.addProperty("thresholding", false);
        json.addProperty("sample_max_value", 1.0);
        json.addProperty("algorithm_type", "dpmsolver++");
        json.addProperty("solver_type", "midpoint");
        json.addProperty("lower_order_final", false);
        json.addProperty("euler_at_final", false);
        json.addProperty("final_sigmas_type", "sigma_min");
        return SchedulerConfig.of(json);
    }

    private static float[] fullLoop(SchedulerConfig config) {
        DPMSolverMultistepScheduler s = new DPMSolverMultistepScheduler(config);
        s.setBatchSize(DiffusersFixtures.BATCH);
        s.setTimesteps(10);
        return plainLoop(s, dummySampleDeter(), 0, new TorchGenerator(0));
    }

    @Test
    void fullLoopNoNoise() {
        assertMean(fullLoop(config()), 0.3301, 1e-3);
    }

    @Test
    void fullLoopWithNoise() {
        DPMSolverMultistepScheduler s = new DPMSolverMultistepScheduler(config());
        s.setTimesteps(10);
        int tStart = 5;
        float[] sample = s.addNoise(dummySampleDeter(), dummyNoiseDeter(), tStart);
        assertSumMean(plainLoop(s, sample, tStart, null), 318.4111, 1e-2, 0.4146, 1e-3);
    }

    @Test
    void fullLoopNoNoiseThresholding() {
        assertMean(fullLoop(config().with("thresholding", true).with("dynamic_thresholding_ratio", 0.87)
                .with("sample_max_value", 0.5)), 1.1364, 1e-3);
    }

    @Test
    void fullLoopWithVPrediction() {
        assertMean(fullLoop(config().with("prediction_type", "v_prediction")), 0.2251, 1e-3);
    }

    @Test
    void fullLoopWithKarrasAndVPrediction() {
        assertMean(fullLoop(config().with("prediction_type", "v_prediction").with("use_karras_sigmas", true)),
                0.2096, 1e-3);
    }

    @Test
    void fullLoopWithLuAndVPrediction() {
        assertMean(fullLoop(config().with("prediction_type", "v_prediction").with("use_lu_lambdas", true)),
                0.1554, 1e-3);
    }

    @Test
    void karrasIdForcesKarrasSigmas() {
        Scheduler plain = Schedulers.create("dpm++2m", config(), w -> { });
        Scheduler karras = Schedulers.create("dpm++2m-karras", config(), w -> { });
        assertEquals("dpm++2m", plain.id());
        assertEquals("dpm++2m-karras", karras.id());
        assertEquals("DPM++ 2M Karras", karras.displayName());
        plain.setTimesteps(10);
        karras.setTimesteps(10);
        assertFalse(Arrays.equals(plain.timesteps(), karras.timesteps()));
        assertEquals(999, karras.timesteps()[0], 0);
    }

    @Test
    void historyResetsWhenStepsAreNotConsecutive() {
        // Starting late must behave as a fresh scheduler started there, even after a previous full run.
        DPMSolverMultistepScheduler used = new DPMSolverMultistepScheduler(config());
        used.setTimesteps(10);
        plainLoop(used, dummySampleDeter(), 0, null);
        float[] sample = used.addNoise(dummySampleDeter(), dummyNoiseDeter(), 5);
        float[] late = plainLoop(used, sample, 5, null);

        DPMSolverMultistepScheduler fresh = new DPMSolverMultistepScheduler(config());
        fresh.setTimesteps(10);
        assertArrayEquals(plainLoop(fresh, sample, 5, null), late);
    }

    @Test
    void finalSigmaZeroEndsOnTheDenoisedPrediction() {
        DPMSolverMultistepScheduler s = new DPMSolverMultistepScheduler(config().with("final_sigmas_type", "zero"));
        s.setTimesteps(10);
        float[] out = plainLoop(s, dummySampleDeter(), 0, null);
        assertEquals(0f, s.sigmas()[10]);
        for (float v : out) {
            assertTrue(Float.isFinite(v));
        }
    }
}
