package dev.pigment.core.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Scheduler config keys Pigment does not implement are named in a note, never silently ignored. */
class UnimplementedSchedulerKeysTest {
    @Test
    void keysThatChangeTheScheduleButAreNotImplementedAreNoted() {
        SchedulerConfig config = SchedulerConfig.of(JsonParser.parseString("{\"_class_name\": \"EulerDiscreteScheduler\","
                + " \"_diffusers_version\": \"0.32.0\", \"use_exponential_sigmas\": true, \"use_beta_sigmas\": false,"
                + " \"shift_terminal\": 0.02, \"use_karras_sigmas\": true, \"skip_prk_steps\": null}").getAsJsonObject());
        assertEquals(List.of("shift_terminal", "use_exponential_sigmas"), config.unimplementedKeys());
        List<String> notes = new ArrayList<>();
        Schedulers.create("euler", config, notes::add);
        assertTrue(notes.stream().anyMatch(n -> n.contains("shift_terminal, use_exponential_sigmas")
                && n.contains("does not implement")), notes.toString());
    }

    @Test
    void aConfigOfImplementedKeysGivesNoNote() {
        List<String> notes = new ArrayList<>();
        Schedulers.create("ddim", SchedulerConfig.of(JsonParser.parseString("{\"_class_name\": \"DDIMScheduler\","
                + " \"clip_sample\": false, \"timestep_spacing\": \"trailing\"}").getAsJsonObject()), notes::add);
        assertEquals(List.of(), notes);
    }
}
