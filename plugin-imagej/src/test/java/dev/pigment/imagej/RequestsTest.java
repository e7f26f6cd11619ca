package dev.pigment.imagej;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pigment.core.model.ModelRegistry;
import dev.pigment.core.runtime.RuntimeOptions;
import dev.pigment.core.sched.Schedulers;
import dev.pigment.core.service.Capabilities;
import dev.pigment.core.service.GenerationService;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The scheduler items the dialogs offer per model, from the service's capabilities (no display needed). */
class RequestsTest {
    @Test
    void schedulerItemsAreTheModelsOwn() {
        try (GenerationService service = new GenerationService(new ModelRegistry(List.of(Path.of("../models"))),
                RuntimeOptions.defaults(), 1L << 30)) {
            Capabilities caps = service.capabilities();
            assertEquals(List.of("default", "euler", "euler-a", "ddim", "dpm++2m", "dpm++2m-karras", "lcm"),
                    Requests.schedulers(caps, "demo"));
            assertEquals(List.of("default"), Requests.schedulers(caps, "classic"));
            List<String> all = new ArrayList<>(List.of("default"));
            all.addAll(Schedulers.ids());
            assertEquals(all, Requests.schedulers(caps, "/some/folder/model"), "unknown to the list: all, the engine judges");
        }
    }
}
