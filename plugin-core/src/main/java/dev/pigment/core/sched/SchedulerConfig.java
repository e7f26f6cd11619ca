package dev.pigment.core.sched;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import dev.pigment.core.api.ErrorCode;
import dev.pigment.core.api.PigmentException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Typed, immutable view of diffusers' {@code scheduler/scheduler_config.json}. Keys are diffusers' names;
 * keys Pigment does not implement are listed by {@link #unimplementedKeys()} (the pipeline notes them) and
 * JSON nulls count as absent. An absent key takes the default of the scheduler
 * class it is read for ({@link #target()}), as diffusers' {@code from_config} does when a config written for
 * one scheduler builds another: e.g. {@code clip_sample} defaults to true for DDIM and false for LCM.
 */
public final class SchedulerConfig {
    static final String EULER = "EulerDiscreteScheduler";
    static final String EULER_ANCESTRAL = "EulerAncestralDiscreteScheduler";
    static final String DDIM = "DDIMScheduler";
    static final String DPM_MULTISTEP = "DPMSolverMultistepScheduler";
    static final String LCM = "LCMScheduler";
    static final String FLOW_MATCH_EULER = "FlowMatchEulerDiscreteScheduler";

    private final JsonObject json;
    private final String target;
    private final String source;

    private SchedulerConfig(JsonObject json, String target, String source) {
        this.json = json;
        this.target = target;
        this.source = source;
    }

    /** A view of {@code json} (copied); defaults are those of the class named by its {@code _class_name}. */
    public static SchedulerConfig of(JsonObject json) {
        Objects.requireNonNull(json, "json");
        JsonObject copy = json.deepCopy();
        String className = stringOrNull(copy, "_class_name");
        return new SchedulerConfig(copy, className == null ? EULER : className, "scheduler_config.json");
    }

    /** An empty config: every key at its default. */
    public static SchedulerConfig empty() {
        return of(new JsonObject());
    }

    /** Reads a {@code scheduler_config.json}; a missing or malformed file is a {@link ErrorCode#MODEL_INVALID}. */
    public static SchedulerConfig parse(Path file) {
        Objects.requireNonNull(file, "file");
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new PigmentException(ErrorCode.MODEL_INVALID,
                    "Cannot read the scheduler config " + file + " (" + e.getMessage()
                            + "). Check that the model folder has scheduler/scheduler_config.json.", e);
        }
        JsonElement root;
        try {
            root = JsonParser.parseString(text);
        } catch (JsonParseException e) {
            throw new PigmentException(ErrorCode.MODEL_INVALID,
                    "The scheduler config " + file + " is not valid JSON: " + e.getMessage(), e);
        }
        if (!root.isJsonObject()) {
            throw new PigmentException(ErrorCode.MODEL_INVALID,
                    "The scheduler config " + file + " must hold a JSON object, found: " + abbreviate(root));
        }
        SchedulerConfig config = of(root.getAsJsonObject());
        return new SchedulerConfig(config.json, config.target, file.toString());
    }

    /** The same values read with the defaults of another diffusers scheduler class. */
    public SchedulerConfig withTarget(String diffusersClassName) {
        Objects.requireNonNull(diffusersClassName, "diffusersClassName");
        return new SchedulerConfig(json, diffusersClassName, source);
    }

    /** A copy with one key set (numbers, booleans and strings; null removes the key). */
    public SchedulerConfig with(String key, Object value) {
        Objects.requireNonNull(key, "key");
        JsonObject copy = json.deepCopy();
        if (value == null) {
            copy.remove(key);
        } else if (value instanceof Boolean b) {
            copy.addProperty(key, b);
        } else if (value instanceof Number n) {
            copy.addProperty(key, n);
        } else if (value instanceof String s) {
            copy.addProperty(key, s);
        } else if (value instanceof JsonElement e) {
            copy.add(key, e.deepCopy());
        } else {
            throw new IllegalArgumentException("unsupported config value type for " + key + ": " + value.getClass());
        }
        return new SchedulerConfig(copy, target, source);
    }

    /** {@code _class_name} as written in the file, if any. */
    public Optional<String> className() {
        return Optional.ofNullable(stringOrNull(json, "_class_name"));
    }

    /** The diffusers class whose defaults fill absent keys. */
    public String target() {
        return target;
    }

    /** Every key some accessor of this class reads; anything else in a file is not implemented by Pigment. */
    static final java.util.Set<String> READ_KEYS = java.util.Set.of("algorithm_type", "base_image_seq_len",
            "base_shift", "beta_end", "beta_schedule", "beta_start", "clip_sample", "clip_sample_range",
            "dynamic_thresholding_ratio", "eta", "euler_at_final", "final_sigmas_type", "interpolation_type",
            "lambda_min_clipped", "lower_order_final", "max_image_seq_len", "max_shift", "num_train_timesteps",
            "original_inference_steps", "prediction_type", "rescale_betas_zero_snr", "sample_max_value",
            "set_alpha_to_one", "shift", "sigma_max", "sigma_min", "solver_order", "solver_type", "steps_offset",
            "thresholding", "timestep_scaling", "timestep_spacing", "timestep_type", "trained_betas",
            "use_dynamic_shifting", "use_karras_sigmas", "use_lu_lambdas", "variance_type");

    /** Keys of schedulers Pigment stands in for (PNDM's skip_prk_steps) that mean nothing to the ones it runs. */
    static final java.util.Set<String> IRRELEVANT_KEYS = java.util.Set.of("skip_prk_steps");

    /**
     * Keys the file sets that Pigment does not implement (e.g. {@code use_exponential_sigmas: true},
     * {@code shift_terminal}), sorted. Metadata ({@code _class_name}...) and keys left at null or false, which
     * mean "off" in diffusers, do not count.
     */
    public java.util.List<String> unimplementedKeys() {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (String key : json.keySet()) {
            JsonElement v = json.get(key);
            boolean off = v.isJsonNull() || (v.isJsonPrimitive() && v.getAsJsonPrimitive().isBoolean() && !v.getAsBoolean());
            if (!key.startsWith("_") && !READ_KEYS.contains(key) && !IRRELEVANT_KEYS.contains(key) && !off) {
                out.add(key);
            }
        }
        java.util.Collections.sort(out);
        return out;
    }

    /** True when the file sets this key (to something other than null). */
    public boolean has(String key) {
        JsonElement e = json.get(key);
        return e != null && !e.isJsonNull();
    }

    // ---- keys shared by the discrete-time (DDPM-trained) schedulers ----

    public int numTrainTimesteps() {
        return positiveInt("num_train_timesteps", 1000);
    }

    public double betaStart() {
        return number("beta_start", LCM.equals(target) ? 0.00085 : 0.0001);
    }

    public double betaEnd() {
        return number("beta_end", LCM.equals(target) ? 0.012 : 0.02);
    }

    /** linear, scaled_linear or squaredcos_cap_v2. */
    public String betaSchedule() {
        return choice("beta_schedule", LCM.equals(target) ? "scaled_linear" : "linear",
                "linear", "scaled_linear", "squaredcos_cap_v2");
    }

    /** Explicit betas that replace the beta range, if the file gives them. */
    public Optional<double[]> trainedBetas() {
        if (!has("trained_betas")) {
            return Optional.empty();
        }
        JsonElement e = json.get("trained_betas");
        if (!e.isJsonArray()) {
            throw invalid("trained_betas", e, "a list of numbers");
        }
        JsonArray array = e.getAsJsonArray();
        double[] betas = new double[array.size()];
        for (int i = 0; i < betas.length; i++) {
            JsonElement item = array.get(i);
            if (!item.isJsonPrimitive() || !item.getAsJsonPrimitive().isNumber()) {
                throw invalid("trained_betas", e, "a list of numbers");
            }
            betas[i] = item.getAsDouble();
        }
        return Optional.of(betas);
    }

    /** epsilon, v_prediction or sample. */
    public String predictionType() {
        return choice("prediction_type", "epsilon", "epsilon", "v_prediction", "sample");
    }

    /** linspace, leading or trailing; DDIM and LCM default to leading, the others to linspace. */
    public String timestepSpacing() {
        boolean leading = DDIM.equals(target) || LCM.equals(target);
        return choice("timestep_spacing", leading ? "leading" : "linspace", "linspace", "leading", "trailing");
    }

    public int stepsOffset() {
        return nonNegativeInt("steps_offset", 0);
    }

    public boolean rescaleBetasZeroSnr() {
        return bool("rescale_betas_zero_snr", false);
    }

    // ---- DDIM / LCM ----

    public boolean clipSample() {
        return bool("clip_sample", DDIM.equals(target));
    }

    public double clipSampleRange() {
        return number("clip_sample_range", 1.0);
    }

    public boolean setAlphaToOne() {
        return bool("set_alpha_to_one", true);
    }

    public boolean thresholding() {
        return bool("thresholding", false);
    }

    public double dynamicThresholdingRatio() {
        return number("dynamic_thresholding_ratio", 0.995);
    }

    public double sampleMaxValue() {
        return number("sample_max_value", 1.0);
    }

    /** DDIM's eta (0 = deterministic DDIM, 1 = DDPM-like); not a diffusers config key but a step argument there. */
    public double eta() {
        double eta = number("eta", 0.0);
        if (eta < 0) {
            throw invalid("eta", json.get("eta"), "a number >= 0");
        }
        return eta;
    }

    public int originalInferenceSteps() {
        return positiveInt("original_inference_steps", 50);
    }

    public double timestepScaling() {
        return number("timestep_scaling", 10.0);
    }

    // ---- Euler / DPM-Solver sigma schedules ----

    public boolean useKarrasSigmas() {
        return bool("use_karras_sigmas", false);
    }

    public boolean useLuLambdas() {
        return bool("use_lu_lambdas", false);
    }

    /** linear or log_linear (Euler). */
    public String interpolationType() {
        return choice("interpolation_type", "linear", "linear", "log_linear");
    }

    /** zero or sigma_min. */
    public String finalSigmasType() {
        return choice("final_sigmas_type", "zero", "zero", "sigma_min");
    }

    public Optional<Double> sigmaMin() {
        return has("sigma_min") ? Optional.of(number("sigma_min", 0)) : Optional.empty();
    }

    public Optional<Double> sigmaMax() {
        return has("sigma_max") ? Optional.of(number("sigma_max", 0)) : Optional.empty();
    }

    /** discrete or continuous (Euler). */
    public String timestepType() {
        return choice("timestep_type", "discrete", "discrete", "continuous");
    }

    /** dpmsolver++, dpmsolver, sde-dpmsolver++ or sde-dpmsolver (deis maps to dpmsolver++, as in diffusers). */
    public String algorithmType() {
        String value = choice("algorithm_type", "dpmsolver++", "dpmsolver++", "dpmsolver", "sde-dpmsolver++",
                "sde-dpmsolver", "deis");
        return "deis".equals(value) ? "dpmsolver++" : value;
    }

    /** midpoint or heun (logrho, bh1 and bh2 map to midpoint, as in diffusers). */
    public String solverType() {
        String value = choice("solver_type", "midpoint", "midpoint", "heun", "logrho", "bh1", "bh2");
        return "heun".equals(value) ? "heun" : "midpoint";
    }

    public int solverOrder() {
        int order = positiveInt("solver_order", 2);
        if (order > 3) {
            throw invalid("solver_order", json.get("solver_order"), "1, 2 or 3");
        }
        return order;
    }

    public boolean lowerOrderFinal() {
        return bool("lower_order_final", true);
    }

    public boolean eulerAtFinal() {
        return bool("euler_at_final", false);
    }

    public double lambdaMinClipped() {
        return number("lambda_min_clipped", Double.NEGATIVE_INFINITY);
    }

    /** learned or learned_range when the UNet also predicts a variance (its extra channels are dropped). */
    public Optional<String> varianceType() {
        return has("variance_type") ? Optional.of(choice("variance_type", "learned", "learned", "learned_range",
                "fixed_small", "fixed_small_log", "fixed_large", "fixed_large_log")) : Optional.empty();
    }

    // ---- flow matching ----

    public double shift() {
        double shift = number("shift", 1.0);
        if (!(shift > 0)) {
            throw invalid("shift", json.get("shift"), "a number > 0");
        }
        return shift;
    }

    public boolean useDynamicShifting() {
        return bool("use_dynamic_shifting", false);
    }

    public double baseShift() {
        return number("base_shift", 0.5);
    }

    public double maxShift() {
        return number("max_shift", 1.15);
    }

    public int baseImageSeqLen() {
        return positiveInt("base_image_seq_len", 256);
    }

    public int maxImageSeqLen() {
        return positiveInt("max_image_seq_len", 4096);
    }

    @Override
    public String toString() {
        return "SchedulerConfig[" + target + " " + json + "]";
    }

    // ---- typed access ----

    private double number(String key, double defaultValue) {
        if (!has(key)) {
            return defaultValue;
        }
        JsonElement e = json.get(key);
        if (e.isJsonPrimitive()) {
            JsonPrimitive p = e.getAsJsonPrimitive();
            if (p.isNumber()) {
                return p.getAsDouble();
            }
            if (p.isString()) {
                // json.dump writes float('-inf') as -Infinity, which some writers quote
                String s = p.getAsString().trim();
                if (s.equals("-Infinity") || s.equals("-inf")) {
                    return Double.NEGATIVE_INFINITY;
                }
                if (s.equals("Infinity") || s.equals("inf")) {
                    return Double.POSITIVE_INFINITY;
                }
            }
        }
        throw invalid(key, e, "a number");
    }

    private int positiveInt(String key, int defaultValue) {
        int value = integer(key, defaultValue);
        if (value < 1) {
            throw invalid(key, json.get(key), "a whole number >= 1");
        }
        return value;
    }

    private int nonNegativeInt(String key, int defaultValue) {
        int value = integer(key, defaultValue);
        if (value < 0) {
            throw invalid(key, json.get(key), "a whole number >= 0");
        }
        return value;
    }

    private int integer(String key, int defaultValue) {
        if (!has(key)) {
            return defaultValue;
        }
        double d = number(key, defaultValue);
        if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
            throw invalid(key, json.get(key), "a whole number");
        }
        return (int) d;
    }

    private boolean bool(String key, boolean defaultValue) {
        if (!has(key)) {
            return defaultValue;
        }
        JsonElement e = json.get(key);
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isBoolean()) {
            return e.getAsBoolean();
        }
        throw invalid(key, e, "true or false");
    }

    private String choice(String key, String defaultValue, String... allowed) {
        if (!has(key)) {
            return defaultValue;
        }
        JsonElement e = json.get(key);
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()) {
            String value = e.getAsString();
            for (String a : allowed) {
                if (a.equals(value)) {
                    return value;
                }
            }
        }
        throw invalid(key, e, "one of " + String.join(", ", allowed));
    }

    private PigmentException invalid(String key, JsonElement value, String expected) {
        return new PigmentException(ErrorCode.MODEL_INVALID, String.format(Locale.ROOT,
                "%s: \"%s\" is %s, but %s needs %s. Fix the value or remove the key to use the default.",
                source, key, abbreviate(value), target, expected));
    }

    private static String stringOrNull(JsonObject json, String key) {
        JsonElement e = json.get(key);
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isString() ? e.getAsString() : null;
    }

    private static String abbreviate(JsonElement e) {
        String s = String.valueOf(e);
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SchedulerConfig other && json.equals(other.json) && target.equals(other.target);
    }

    @Override
    public int hashCode() {
        return Objects.hash(json, target);
    }
}
