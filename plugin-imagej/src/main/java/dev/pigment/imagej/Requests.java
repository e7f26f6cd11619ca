package dev.pigment.imagej;

import dev.pigment.core.api.GenerationRequest;
import dev.pigment.core.api.RequestKeys;
import dev.pigment.core.api.Task;
import dev.pigment.core.model.ModelInfo;
import dev.pigment.core.service.Capabilities;
import dev.pigment.core.service.GenerationService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** The fields the commands share, and the step from dialog values to a {@link GenerationRequest}. */
final class Requests {
    /** The scheduler choice meaning "the model's own". */
    static final String MODEL_DEFAULT = "default";

    private Requests() {
    }

    /** Model choice: every registry model (classic included), the preferred one preselected. */
    static void model(CommandDialog d, GenerationService service, String preferred) {
        List<String> ids = new ArrayList<>();
        for (ModelInfo m : service.models()) {
            ids.add(m.id());
        }
        String selected = ids.contains(preferred) ? preferred : ids.contains("demo") ? "demo" : ids.get(0);
        d.choice(RequestKeys.MODEL.name(), "Model", ids, selected);
    }

    /**
     * Scheduler choice: "default" and the schedulers the chosen model accepts (its capabilities), kept in step
     * with the model choice, which must come first. Offering another family's scheduler would only lead to a
     * refusal ("it would produce noise").
     */
    static void scheduler(CommandDialog d, GenerationService service) {
        Capabilities caps = service.capabilities();
        String key = RequestKeys.SCHEDULER.name();
        String model = RequestKeys.MODEL.name();
        d.choice(key, "Scheduler", schedulers(caps, d.choiceOf(model).getSelectedItem()), MODEL_DEFAULT);
        d.follow(key, model, id -> schedulers(caps, id));
    }

    /** "default" and the model's schedulers; every scheduler for a model the list does not know (a folder path). */
    static List<String> schedulers(Capabilities caps, String modelId) {
        List<String> items = new ArrayList<>();
        items.add(MODEL_DEFAULT);
        items.addAll(caps.models().stream().filter(m -> m.id().equals(modelId)).findFirst()
                .map(Capabilities.ModelCapabilities::schedulers).orElse(caps.schedulers()));
        return items;
    }

    static void steps(CommandDialog d) {
        d.text(RequestKeys.STEPS, "Steps (0 = the model's)", "0", 6);
    }

    static void guidance(CommandDialog d) {
        d.text(RequestKeys.GUIDANCE, "Guidance scale (empty = the model's, 0 or 1 = off)", "", 6);
    }

    static void seed(CommandDialog d) {
        d.text(RequestKeys.SEED, "Seed (-1 = random)", "-1", 12);
    }

    static void strength(CommandDialog d, String value) {
        d.text(RequestKeys.STRENGTH, "Strength (0..1, empty = default)", value, 6);
    }

    /** A builder for {@code task} from the dialog's values; ImageJ-only keys and "default" choices are dropped. */
    static GenerationRequest.Builder builder(Task task, Map<String, String> values) {
        Map<String, String> params = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (!ImageJKeys.PLUGIN_ONLY.contains(k) && !MODEL_DEFAULT.equals(v)) {
                params.put(k, v);
            }
        });
        return GenerationRequest.fromParameters(params).task(task);
    }

    /**
     * The seed to use: the given one, or for -1 a fresh random one decided here, so that slice i of a stack
     * can use seed + i and the provenance can name it.
     */
    static long resolveSeed(GenerationRequest request) {
        return request.seed() >= 0 ? request.seed() : ThreadLocalRandom.current().nextLong(0, 1L << 32);
    }
}
