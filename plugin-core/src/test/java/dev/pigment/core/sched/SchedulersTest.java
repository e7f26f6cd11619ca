package dev.pigment.core.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.pigment.core.api.ErrorCode;
import dev.pigment.core.api.PigmentException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchedulersTest {

    private static SchedulerConfig sd15Pndm() {
        // stable-diffusion-v1-5's scheduler/scheduler_config.json
        JsonObject json = new JsonObject();
        json.addProperty("_class_name", "PNDMScheduler");
        json.addProperty("_diffusers_version", "0.6.0");
        json.addProperty("beta_end", 0.012);
        json.addProperty("beta_schedule", "scaled_linear");
        json.addProperty("beta_start", 0.00085);
        json.addProperty("num_train_timesteps", 1000);
        json.addProperty("set_alpha_to_one", false);
        json.addProperty("skip_prk_steps", true);
        json.addProperty("steps_offset", 1);
        json.add("trained_betas", null);
        json.addProperty("clip_sample", false);
        return SchedulerConfig.of(json);
    }

    @Test
    void unknownModelSchedulerFallsBackToEulerWithAWarningNamingIt() {
        List<String> warnings = new ArrayList<>();
        Scheduler s = Schedulers.create(null, sd15Pndm(), warnings::add);
        assertInstanceOf(EulerDiscreteScheduler.class, s);
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains("PNDMScheduler"), warnings.get(0));
        // the model's own settings are kept
        EulerDiscreteScheduler euler = (EulerDiscreteScheduler) s;
        assertEquals("scaled_linear", euler.config().betaSchedule());
        assertEquals(1, euler.config().stepsOffset());
    }

    @Test
    void lmsFallsBackToo() {
        List<String> warnings = new ArrayList<>();
        Scheduler s = Schedulers.create("  ", SchedulerConfig.empty().with("_class_name", "LMSDiscreteScheduler"),
                warnings::add);
        assertEquals("euler", s.id());
        assertTrue(warnings.get(0).contains("LMSDiscreteScheduler"));
    }

    @Test
    void blankRequestUsesTheConfigClass() {
        List<String> warnings = new ArrayList<>();
        assertInstanceOf(DDIMScheduler.class,
                Schedulers.create("", SchedulerConfig.empty().with("_class_name", "DDIMScheduler"), warnings::add));
        assertInstanceOf(FlowMatchEulerScheduler.class, Schedulers.create(null,
                SchedulerConfig.empty().with("_class_name", "FlowMatchEulerDiscreteScheduler"), warnings::add));
        assertTrue(warnings.isEmpty());
    }

    @Test
    void badRequestedIdListsTheValidOnes() {
        PigmentException e = assertThrows(PigmentException.class,
                () -> Schedulers.create("heun", sd15Pndm(), w -> { }));
        assertEquals(ErrorCode.BAD_REQUEST, e.code());
        assertTrue(e.getMessage().contains("heun"), e.getMessage());
        for (String id : Schedulers.ids()) {
            assertTrue(e.getMessage().contains(id), e.getMessage());
        }
    }

    @Test
    void idsAndClassNamesCaseInsensitive() {
        SchedulerConfig c = sd15Pndm();
        for (String id : Schedulers.ids()) {
            Scheduler s = Schedulers.create(id.toUpperCase(java.util.Locale.ROOT), c, w -> { });
            assertEquals(id, s.id());
        }
        assertInstanceOf(EulerAncestralDiscreteScheduler.class,
                Schedulers.create("EulerAncestralDiscreteScheduler", c, w -> { }));
        assertInstanceOf(DPMSolverMultistepScheduler.class,
                Schedulers.create("dpmsolvermultistepscheduler", c, w -> { }));
        assertInstanceOf(LCMScheduler.class, Schedulers.create("LCMScheduler", c, w -> { }));
        assertEquals("Euler a", Schedulers.create("euler-a", c, w -> { }).displayName());
        assertEquals("DPM++ 2M Karras", Schedulers.create("dpm++2m-karras", c, w -> { }).displayName());
    }

    @Test
    void requestedSchedulerTakesItsOwnDefaultsForAbsentKeys() {
        // PNDM's config says clip_sample false explicitly; an empty config gives DDIM's default (true)
        DDIMScheduler fromSd = (DDIMScheduler) Schedulers.create("ddim", sd15Pndm(), w -> { });
        DDIMScheduler fromEmpty = (DDIMScheduler) Schedulers.create("ddim", SchedulerConfig.empty(), w -> { });
        assertEquals(false, fromSd.config().clipSample());
        assertEquals(true, fromEmpty.config().clipSample());
        assertEquals("leading", fromEmpty.config().timestepSpacing());
        LCMScheduler lcm = (LCMScheduler) Schedulers.create("lcm", SchedulerConfig.empty(), w -> { });
        assertEquals(false, lcm.config().clipSample());
        assertEquals("scaled_linear", lcm.config().betaSchedule());
    }
}
