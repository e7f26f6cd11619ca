package dev.pigment.core.sched;

import static dev.pigment.core.sched.DiffusersFixtures.assertSumMean;
import static dev.pigment.core.sched.DiffusersFixtures.dummySampleDeter;
import static dev.pigment.core.sched.DiffusersFixtures.plainLoop;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

/**
 * Ports of diffusers' tests/schedulers/test_scheduler_lcm.py full loops. The multistep loop re-noises with
 * torch.manual_seed(0) noise between steps, so it passes only with torch's exact random stream.
 */
class LCMSchedulerTest {

    static SchedulerConfig config() {
        JsonObject json = new JsonObject();
        json.addProperty("num_train_timesteps", 1000);
        json.addProperty("beta_start", 0.00085);
        json.addProperty("beta_end", 0.0120);
        json.addProperty("beta_schedule", "scaled_linear");
        json.addProperty("prediction_type", "epsilon");
        return SchedulerConfig.of(json);
    }

    private static float[] fullLoop(int steps) {
        LCMScheduler s = new LCMScheduler(config());
        s.setTimesteps(steps);
        return plainLoop(s, dummySampleDeter(), 0, new TorchGenerator(0));
    }

    @Test
    void fullLoopOnestep() {
        LCMScheduler s = new LCMScheduler(config());
        s.setTimesteps(1);
        assertArrayEquals(new double[] {999}, s.timesteps());
        assertSumMean(fullLoop(1), 18.7097, 1e-3, 0.0244, 1e-3);
    }

    @Test
    void fullLoopMultistep() {
        LCMScheduler s = new LCMScheduler(config());
        s.setTimesteps(10);
        assertArrayEquals(new double[] {999, 899, 799, 699, 599, 499, 399, 299, 199, 99}, s.timesteps());
        assertSumMean(fullLoop(10), 197.7616, 1e-3, 0.2575, 1e-3);
    }
}
