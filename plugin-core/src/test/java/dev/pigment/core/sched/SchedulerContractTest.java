package dev.pigment.core.sched;

import static dev.pigment.core.sched.DiffusersFixtures.dummyModel;
import static dev.pigment.core.sched.DiffusersFixtures.dummyNoiseDeter;
import static dev.pigment.core.sched.DiffusersFixtures.dummySampleDeter;
import static dev.pigment.core.sched.DiffusersFixtures.scaled;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pigment.core.api.PigmentException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What the pipeline relies on, checked for every scheduler id. */
class SchedulerContractTest {

    static java.util.List<String> ids() {
        return Schedulers.ids();
    }

    private static Scheduler create(String id) {
        return Schedulers.create(id, SchedulerConfig.empty(), w -> { });
    }

    /** The pipeline's loop: scale a copy for the model, step the unscaled latents, from stepIndex start. */
    private static float[] pipelineLoop(Scheduler s, float[] latents, int start, TorchGenerator g) {
        double[] t = s.timesteps();
        float[] x = latents.clone();
        for (int i = start; i < t.length; i++) {
            float[] input = x.clone();
            s.scaleModelInput(input, i);
            x = s.step(dummyModel(input, t[i]), i, x, g);
        }
        return x;
    }

    @ParameterizedTest
    @MethodSource("ids")
    void consecutiveRunsOnOneInstanceAreIdentical(String id) {
        Scheduler s = create(id);
        s.setTimesteps(8);
        assertEquals(8, s.timesteps().length);
        float[] start = scaled(new TorchGenerator(11).randn(DiffusersFixtures.NUM_ELEMS), s.initNoiseSigma());
        float[] first = pipelineLoop(s, start, 0, new TorchGenerator(5));
        s.setTimesteps(8);
        float[] second = pipelineLoop(s, start, 0, new TorchGenerator(5));
        assertArrayEquals(first, second);
        for (float v : first) {
            assertTrue(Float.isFinite(v), id + " produced " + v);
        }
    }

    @ParameterizedTest
    @MethodSource("ids")
    void img2imgStartsLateFromAddNoise(String id) {
        Scheduler s = create(id);
        s.setTimesteps(10);
        int start = 6;
        float[] clean = dummySampleDeter();
        float[] noisy = s.addNoise(clean, dummyNoiseDeter(), start);
        float[] a = pipelineLoop(s, noisy, start, new TorchGenerator(3));
        Scheduler fresh = create(id);
        fresh.setTimesteps(10);
        assertArrayEquals(noisy, fresh.addNoise(clean, dummyNoiseDeter(), start));
        assertArrayEquals(a, pipelineLoop(fresh, noisy, start, new TorchGenerator(3)));
        assertArrayEquals(clean, s.addNoise(clean, dummyNoiseDeter(), 10), "stepIndex == steps is the clean sample");
    }

    @ParameterizedTest
    @MethodSource("ids")
    void badArgumentsAreRejected(String id) {
        Scheduler s = create(id);
        assertThrows(PigmentException.class, () -> s.setTimesteps(0));
        s.setTimesteps(4);
        float[] x = new float[16];
        assertThrows(IllegalArgumentException.class, () -> s.step(x, 4, x, new TorchGenerator(0)));
        assertThrows(IllegalArgumentException.class, () -> s.step(x, -1, x, new TorchGenerator(0)));
        assertThrows(IllegalArgumentException.class, () -> s.step(new float[8], 0, x, new TorchGenerator(0)));
        assertThrows(IllegalArgumentException.class, () -> s.addNoise(x, x, 5));
        assertTrue(s.initNoiseSigma() >= 1.0);
    }
}
