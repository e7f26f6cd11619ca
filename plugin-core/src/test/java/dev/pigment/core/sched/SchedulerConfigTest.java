package dev.pigment.core.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pigment.core.api.ErrorCode;
import dev.pigment.core.api.PigmentException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchedulerConfigTest {
    @TempDir
    Path dir;

    private Path write(String json) throws Exception {
        Path file = dir.resolve("scheduler_config.json");
        Files.writeString(file, json);
        return file;
    }

    @Test
    void parsesDiffusersFileIgnoringUnknownKeysAndNulls() throws Exception {
        SchedulerConfig c = SchedulerConfig.parse(write("""
                {"_class_name": "EulerDiscreteScheduler", "_diffusers_version": "0.21.0",
                 "beta_start": 0.00085, "beta_end": 0.012, "beta_schedule": "scaled_linear",
                 "interpolation_type": "linear", "num_train_timesteps": 1000, "prediction_type": "v_prediction",
                 "steps_offset": 1, "timestep_spacing": "leading", "trained_betas": null,
                 "use_karras_sigmas": false, "sigma_min": null, "something_new": [1, 2]}
                """));
        assertEquals("EulerDiscreteScheduler", c.className().orElseThrow());
        assertEquals(0.00085, c.betaStart());
        assertEquals("scaled_linear", c.betaSchedule());
        assertEquals("v_prediction", c.predictionType());
        assertEquals("leading", c.timestepSpacing());
        assertEquals(1, c.stepsOffset());
        assertFalse(c.trainedBetas().isPresent());
        assertFalse(c.sigmaMin().isPresent());
        assertFalse(c.has("trained_betas"));
    }

    @Test
    void defaultsDependOnTheSchedulerReadFor() {
        SchedulerConfig empty = SchedulerConfig.empty();
        assertEquals(1000, empty.numTrainTimesteps());
        assertEquals(0.0001, empty.withTarget("DDIMScheduler").betaStart());
        assertEquals(0.00085, empty.withTarget("LCMScheduler").betaStart());
        assertEquals(0.012, empty.withTarget("LCMScheduler").betaEnd());
        assertTrue(empty.withTarget("DDIMScheduler").clipSample());
        assertFalse(empty.withTarget("LCMScheduler").clipSample());
        assertEquals("linspace", empty.withTarget("EulerDiscreteScheduler").timestepSpacing());
        assertEquals("leading", empty.withTarget("LCMScheduler").timestepSpacing());
        assertEquals(2, empty.solverOrder());
        assertEquals("dpmsolver++", empty.algorithmType());
        assertTrue(empty.lowerOrderFinal());
        assertEquals(Double.NEGATIVE_INFINITY, empty.lambdaMinClipped());
        assertEquals(50, empty.originalInferenceSteps());
        assertEquals(10.0, empty.timestepScaling());
        assertEquals(1.0, empty.shift());
        assertEquals(0.995, empty.dynamicThresholdingRatio());
        assertEquals(0.0, empty.eta());
        assertEquals("zero", empty.finalSigmasType());
    }

    @Test
    void diffusersAliasesMapAsInDiffusers() {
        SchedulerConfig c = SchedulerConfig.empty().with("algorithm_type", "deis").with("solver_type", "bh2");
        assertEquals("dpmsolver++", c.algorithmType());
        assertEquals("midpoint", c.solverType());
    }

    @Test
    void trainedBetasAreRead() {
        SchedulerConfig c = SchedulerConfig.of(com.google.gson.JsonParser.parseString(
                "{\"trained_betas\": [0.1, 0.2, 0.3], \"num_train_timesteps\": 3}").getAsJsonObject());
        assertEquals(3, c.trainedBetas().orElseThrow().length);
        float[] ac = new DDIMScheduler(c).alphasCumprod();
        assertEquals(0.9f * 0.8f, ac[1], 1e-7);
    }

    @Test
    void badValueNamesKeyAndValue() throws Exception {
        SchedulerConfig c = SchedulerConfig.parse(write("{\"beta_schedule\": \"cosine\"}"));
        PigmentException e = assertThrows(PigmentException.class, () -> new EulerDiscreteScheduler(c));
        assertEquals(ErrorCode.MODEL_INVALID, e.code());
        assertTrue(e.getMessage().contains("beta_schedule") && e.getMessage().contains("cosine"), e.getMessage());
        PigmentException e2 = assertThrows(PigmentException.class,
                () -> SchedulerConfig.empty().with("num_train_timesteps", "many").numTrainTimesteps());
        assertTrue(e2.getMessage().contains("num_train_timesteps"), e2.getMessage());
    }

    @Test
    void unreadableOrMalformedFileIsModelInvalid() throws Exception {
        PigmentException missing = assertThrows(PigmentException.class,
                () -> SchedulerConfig.parse(dir.resolve("nope.json")));
        assertEquals(ErrorCode.MODEL_INVALID, missing.code());
        PigmentException broken = assertThrows(PigmentException.class, () -> SchedulerConfig.parse(write("{oops")));
        assertEquals(ErrorCode.MODEL_INVALID, broken.code());
        assertThrows(PigmentException.class, () -> SchedulerConfig.parse(write("[1, 2]")));
    }

    @Test
    void isImmutable() {
        SchedulerConfig a = SchedulerConfig.empty();
        SchedulerConfig b = a.with("shift", 3.0);
        assertEquals(1.0, a.shift());
        assertEquals(3.0, b.shift());
    }
}
