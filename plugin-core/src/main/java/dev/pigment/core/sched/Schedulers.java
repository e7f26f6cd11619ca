package dev.pigment.core.sched;

import dev.pigment.core.api.PigmentException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;

/** Builds a {@link Scheduler} from a user's choice or, when there is none, from the model's scheduler config. */
public final class Schedulers {
    private static final List<String> IDS =
            List.of("euler", "euler-a", "ddim", "dpm++2m", "dpm++2m-karras", "lcm", "flow-match-euler");

    private Schedulers() {
    }

    /** Our scheduler ids, in a stable order. */
    public static List<String> ids() {
        return IDS;
    }

    /**
     * @param requested one of {@link #ids()} or a diffusers class name (case-insensitive); null or blank means
     *                  the config's {@code _class_name}
     * @param config    the model's scheduler config; absent keys take the defaults of the scheduler built
     * @param warnings  told when the model's scheduler class is not one we have and Euler stands in for it, and
     *                  when the config sets keys Pigment does not implement
     * @throws PigmentException BAD_REQUEST when the user asked for a scheduler that does not exist
     */
    public static Scheduler create(String requested, SchedulerConfig config, Consumer<String> warnings) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(warnings, "warnings");
        List<String> unimplemented = config.unimplementedKeys();
        if (!unimplemented.isEmpty()) {
            warnings.accept("The model's scheduler config sets " + String.join(", ", unimplemented)
                    + ", which Pigment does not implement; the schedule ignores " + (unimplemented.size() == 1 ? "it" : "them")
                    + " and may differ from diffusers'.");
        }
        if (requested == null || requested.isBlank()) {
            String className = config.className().orElse(null);
            if (className == null) {
                warnings.accept("The scheduler config names no _class_name; using Euler.");
                return new EulerDiscreteScheduler(config);
            }
            Scheduler s = byName(className, config);
            if (s == null) {
                warnings.accept("The model's scheduler " + className + " is not available in Pigment; using Euler "
                        + "with the model's scheduler settings instead. Choose another with --scheduler ("
                        + String.join(", ", IDS) + ").");
                return new EulerDiscreteScheduler(config);
            }
            return s;
        }
        Scheduler s = byName(requested.trim(), config);
        if (s == null) {
            throw PigmentException.badRequest("Unknown scheduler \"" + requested.trim() + "\". Valid schedulers: "
                    + String.join(", ", IDS) + ".");
        }
        return s;
    }

    /**
     * Like {@link #create(String, SchedulerConfig, Consumer)}, for a model whose family works only with
     * {@code compatible} scheduler ids (diffusers' {@code _compatibles}).
     *
     * @throws PigmentException BAD_REQUEST naming the compatible ids when the user asked for another one;
     *         a model config naming an incompatible class is replaced by the first compatible id, with a warning
     */
    public static Scheduler create(String requested, SchedulerConfig config, List<String> compatible,
                                   Consumer<String> warnings) {
        Objects.requireNonNull(compatible, "compatible");
        if (compatible.isEmpty()) {
            throw new IllegalArgumentException("no compatible schedulers given");
        }
        boolean userChoice = requested != null && !requested.isBlank();
        Scheduler s = create(requested, config, warnings);
        if (compatible.contains(s.id())) {
            return s;
        }
        if (userChoice) {
            throw PigmentException.badRequest("Scheduler \"" + requested.trim() + "\" does not work with this model's"
                    + " family (it would produce noise). Use one of: " + String.join(", ", compatible) + ".");
        }
        warnings.accept("The model's scheduler config names " + s.displayName() + ", which does not suit this model's"
                + " family; using " + compatible.get(0) + " instead.");
        return byName(compatible.get(0), config);
    }

    /**
     * The names Automatic1111 (and so Pigment's own PNG parameters, see {@code Scheduler.displayName()})
     * and ComfyUI use, mapped to our ids so written parameters replay word for word. Karras spacing and
     * the DPM++ algorithm type not named by an id come from the model's config, as they did when written.
     */
    private static final java.util.Map<String, String> ALIASES = java.util.Map.ofEntries(
            java.util.Map.entry("euler a", "euler-a"), java.util.Map.entry("euler_ancestral", "euler-a"),
            java.util.Map.entry("euler karras", "euler"),
            java.util.Map.entry("dpm++ 2m", "dpm++2m"), java.util.Map.entry("dpmpp_2m", "dpm++2m"),
            java.util.Map.entry("dpm++ 2m sde", "dpm++2m"), java.util.Map.entry("dpm 2m", "dpm++2m"),
            java.util.Map.entry("dpm++ 2m karras", "dpm++2m-karras"),
            java.util.Map.entry("dpm++ 2m sde karras", "dpm++2m-karras"),
            java.util.Map.entry("euler (flow matching)", "flow-match-euler"));

    private static Scheduler byName(String name, SchedulerConfig config) {
        String key = name.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
        return switch (ALIASES.getOrDefault(key, key)) {
            case "euler", "eulerdiscretescheduler" -> new EulerDiscreteScheduler(config);
            case "euler-a", "eulerancestraldiscretescheduler" -> new EulerAncestralDiscreteScheduler(config);
            case "ddim", "ddimscheduler" -> new DDIMScheduler(config);
            case "dpm++2m", "dpmsolvermultistepscheduler" -> new DPMSolverMultistepScheduler(config);
            case "dpm++2m-karras" -> new DPMSolverMultistepScheduler(config, true);
            case "lcm", "lcmscheduler" -> new LCMScheduler(config);
            case "flow-match-euler", "flowmatcheulerdiscretescheduler" -> new FlowMatchEulerScheduler(config);
            default -> null;
        };
    }
}
