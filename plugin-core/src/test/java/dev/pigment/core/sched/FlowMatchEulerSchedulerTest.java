package dev.pigment.core.sched;

import static dev.pigment.core.sched.DiffusersFixtures.dummyModel;
import static dev.pigment.core.sched.DiffusersFixtures.dummyNoiseDeter;
import static dev.pigment.core.sched.DiffusersFixtures.dummySampleDeter;
import static dev.pigment.core.sched.DiffusersFixtures.sumAbs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pigment.core.api.PigmentException;
import org.junit.jupiter.api.Test;

/**
 * FlowMatchEulerDiscreteScheduler checks. diffusers' own test only checks shapes, so the expected sigma lists
 * and loop sums are our computation (core-anchors.md), re-derived with torch 1.13 from diffusers' code: the
 * loop is x = dummy_sample_deter; x += (sigma[i+1] - sigma[i]) * dummy_model(x, timesteps[i]).
 */
class FlowMatchEulerSchedulerTest {

    private static FlowMatchEulerScheduler scheduler(double shift) {
        return new FlowMatchEulerScheduler(SchedulerConfig.empty().with("shift", shift));
    }

    private static float[] loop(FlowMatchEulerScheduler s) {
        double[] t = s.timesteps();
        float[] x = dummySampleDeter();
        for (int i = 0; i < t.length; i++) {
            x = s.step(dummyModel(x, t[i]), i, x, null);
        }
        return x;
    }

    private static void assertSigmas(double[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-6, "sigma " + i);
        }
    }

    @Test
    void shiftThreeEightSteps() {
        FlowMatchEulerScheduler s = scheduler(3.0);
        s.setTimesteps(8);
        assertSigmas(new double[] {1, .947543, .882788, .800837, .693793, .548046, .337972, .008929, 0}, s.sigmas());
        double[] t = s.timesteps();
        float[] sigmas = s.sigmas();
        for (int i = 0; i < t.length; i++) {
            assertEquals(sigmas[i] * 1000f, t[i], 0, "timestep = sigma * num_train_timesteps");
        }
        assertEquals(125.447235, sumAbs(loop(s)), 1e-3);
    }

    @Test
    void shiftOneTenSteps() {
        FlowMatchEulerScheduler s = scheduler(1.0);
        s.setTimesteps(10);
        assertEquals(133.362045, sumAbs(loop(s)), 1e-3);
    }

    @Test
    void zImageCustomSigmas() {
        FlowMatchEulerScheduler s = scheduler(3.0);
        s.setSigmas(ScheduleMath.numpyLinspace(1.0, 1.0 / 8, 8, true));
        assertSigmas(new double[] {1, .954545, .9, .833333, .75, .642857, .5, .3, 0}, s.sigmas());
        assertEquals(8, s.timesteps().length);
        assertEquals(127.238654, sumAbs(loop(s)), 1e-3);
    }

    @Test
    void scaleNoiseInterpolatesTowardsNoise() {
        FlowMatchEulerScheduler s = scheduler(3.0);
        s.setTimesteps(8);
        float[] x = dummySampleDeter();
        float[] n = dummyNoiseDeter();
        float sigma = s.sigmas()[2];
        float[] noisy = s.addNoise(x, n, 2);
        for (int i = 0; i < x.length; i++) {
            assertEquals(sigma * n[i] + (1f - sigma) * x[i], noisy[i], 0);
        }
        assertArrayEquals(n, s.addNoise(x, n, 0), "sigma 1 is pure noise");
        assertArrayEquals(x, s.addNoise(x, n, 8));
    }

    @Test
    void dynamicShiftingNeedsMu() {
        FlowMatchEulerScheduler s = new FlowMatchEulerScheduler(SchedulerConfig.empty()
                .with("use_dynamic_shifting", true));
        assertThrows(IllegalStateException.class, () -> s.setTimesteps(4));
        s.setMu(s.calculateShift(4096));
        s.setTimesteps(4);
        assertEquals(1.0, s.sigmas()[0], 1e-6);
        assertEquals(5, s.sigmas().length);
    }

    @Test
    void badSigmasAreRejected() {
        FlowMatchEulerScheduler s = scheduler(3.0);
        assertThrows(PigmentException.class, () -> s.setSigmas(new double[] {1.0, 1.5}));
        assertThrows(PigmentException.class, () -> s.setSigmas(new double[0]));
    }
}
