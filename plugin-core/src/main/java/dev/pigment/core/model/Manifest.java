package dev.pigment.core.model;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.pigment.core.api.ErrorCode;
import dev.pigment.core.api.GenerationRequest;
import dev.pigment.core.api.PigmentException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Pigment's own {@code pigment.json} beside a model: what diffusers' files do not say.
 *
 * <pre>{"name": "SD-Turbo", "family": "stable-diffusion", "licence": "...",
 *  "recommended": {"width": 512, "height": 512, "steps": 1, "guidance": 0.0, "scheduler": "euler"},
 *  "sha256": {"unet/model.onnx": "&lt;64 hex digits&gt;"}}</pre>
 *
 * @param displayName name to show, null = the folder name
 * @param family      null = detect from the folder
 * @param licence     free text (the model's licence name or URL), null if not given
 * @param recommended possibly partial (see {@link Recommended}); null if not given
 * @param sha256      relative path (forward slashes) to lower-case hex digest; may be empty
 * @param export      the ONNX export's conventions for flow-matching DiTs ({@code "export"}); null if not given
 * @param latentRgb   the model's own live-preview factors ({@code "latent_rgb_factors"}, {@code "latent_rgb_bias"});
 *                    null = the built-in ones for its latent channel count
 */
public record Manifest(String displayName, ModelFamily family, String licence, Recommended recommended,
                       Map<String, String> sha256, ExportConventions export, LatentRgbFactors latentRgb) {
    public static final String FILE_NAME = "pigment.json";

    private static final Set<String> KEYS = Set.of("name", "family", "licence", "license", "recommended", "sha256",
            "export", "latent_rgb_factors", "latent_rgb_bias");
    private static final Set<String> RECOMMENDED_KEYS = Set.of("width", "height", "steps", "guidance", "scheduler");
    private static final Pattern HEX64 = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Manifest EMPTY = new Manifest(null, null, null, null, Map.of(), null, null);

    public Manifest {
        sha256 = Map.copyOf(Objects.requireNonNull(sha256, "sha256"));
    }

    /** The manifest of a folder that has no pigment.json. */
    public static Manifest empty() {
        return EMPTY;
    }

    public boolean isEmpty() {
        return equals(EMPTY);
    }

    /**
     * Reads a pigment.json.
     *
     * @throws PigmentException MODEL_INVALID naming the file, the line or key, and what to write instead
     */
    public static Manifest read(Path pigmentJson) {
        try {
            return parse(pigmentJson, new ArrayList<>());
        } catch (JsonFiles.JsonProblem e) {
            throw new PigmentException(ErrorCode.MODEL_INVALID, pigmentJson + ": " + e.getMessage()
                    + ". Fix the file (see docs/model-layout.md for its keys) or delete it.", e);
        }
    }

    /** As {@link #read}, adding non-fatal findings (unknown keys) to {@code warnings}. */
    static Manifest parse(Path file, List<String> warnings) throws JsonFiles.JsonProblem {
        JsonObject root = JsonFiles.readObject(file);
        for (String key : root.keySet()) {
            if (!KEYS.contains(key)) {
                warnings.add(FILE_NAME + ": unknown key '" + key + "' is ignored (known keys: name, family, licence,"
                        + " recommended, sha256, export, latent_rgb_factors, latent_rgb_bias)");
            }
        }
        String name = string(root, "name");
        String familyId = string(root, "family");
        ModelFamily family = null;
        if (familyId != null) {
            try {
                family = ModelFamily.fromId(familyId);
            } catch (PigmentException e) {
                throw new JsonFiles.JsonProblem("key 'family': " + e.getMessage(), e);
            }
        }
        String licence = string(root, "licence");
        if (licence == null) {
            licence = string(root, "license");
        }
        Recommended recommended = null;
        JsonElement rec = root.get("recommended");
        if (rec != null && !rec.isJsonNull()) {
            if (!rec.isJsonObject()) {
                throw new JsonFiles.JsonProblem("key 'recommended' must be an object like {\"steps\": 4}", null);
            }
            JsonObject r = rec.getAsJsonObject();
            for (String key : r.keySet()) {
                if (!RECOMMENDED_KEYS.contains(key)) {
                    warnings.add(FILE_NAME + ": unknown key 'recommended." + key + "' is ignored (known keys: width,"
                            + " height, steps, guidance, scheduler)");
                }
            }
            recommended = new Recommended(
                    integer(r, "recommended.width", "width", GenerationRequest.MAX_SIDE),
                    integer(r, "recommended.height", "height", GenerationRequest.MAX_SIDE),
                    integer(r, "recommended.steps", "steps", GenerationRequest.MAX_STEPS),
                    guidance(r),
                    string(r, "scheduler"));
        }
        Map<String, String> hashes = new LinkedHashMap<>();
        JsonElement sha = root.get("sha256");
        if (sha != null && !sha.isJsonNull()) {
            if (!sha.isJsonObject()) {
                throw new JsonFiles.JsonProblem("key 'sha256' must be an object like {\"unet/model.onnx\": \"<hex>\"}", null);
            }
            for (Map.Entry<String, JsonElement> e : sha.getAsJsonObject().entrySet()) {
                String path = e.getKey();
                if (!isSafeRelativePath(path)) {
                    throw new JsonFiles.JsonProblem("sha256 key '" + path + "' must be a path inside the model folder"
                            + " with forward slashes, e.g. \"unet/model.onnx\"", null);
                }
                JsonElement v = e.getValue();
                if (!(v.isJsonPrimitive() && v.getAsJsonPrimitive().isString() && HEX64.matcher(v.getAsString()).matches())) {
                    throw new JsonFiles.JsonProblem("sha256 of '" + path + "' must be 64 hex digits (as sha256sum prints),"
                            + " not " + v, null);
                }
                hashes.put(path, v.getAsString().toLowerCase(Locale.ROOT));
            }
        }
        ExportConventions export = null;
        JsonElement ex = root.get("export");
        if (ex != null && !ex.isJsonNull()) {
            if (!ex.isJsonObject()) {
                throw new JsonFiles.JsonProblem("key 'export' must be an object like {\"timestep\": \"1-sigma\"}", null);
            }
            export = ExportConventions.parse(ex.getAsJsonObject(), warnings);
        }
        return new Manifest(name, family, licence, recommended, hashes, export, LatentRgbFactors.parse(root));
    }

    /** Relative, forward slashes, no "." or ".." segments: cannot name anything outside the folder. */
    static boolean isSafeRelativePath(String path) {
        if (path.isEmpty() || path.startsWith("/") || path.contains("\\") || path.contains(":")) {
            return false;
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }

    private static String string(JsonObject o, String key) throws JsonFiles.JsonProblem {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (!(e.isJsonPrimitive() && e.getAsJsonPrimitive().isString())) {
            throw new JsonFiles.JsonProblem("key '" + key + "' must be a string in quotes, not " + e, null);
        }
        String s = e.getAsString().trim();
        return s.isEmpty() ? null : s;
    }

    private static int integer(JsonObject o, String label, String key, int max) throws JsonFiles.JsonProblem {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            return 0;
        }
        BigDecimal v = number(e, label);
        if (v.stripTrailingZeros().scale() > 0 || v.compareTo(BigDecimal.ONE) < 0 || v.compareTo(BigDecimal.valueOf(max)) > 0) {
            throw new JsonFiles.JsonProblem("key '" + label + "' is " + e + ": use a whole number in 1.." + max, null);
        }
        return v.intValueExact();
    }

    private static double guidance(JsonObject o) throws JsonFiles.JsonProblem {
        JsonElement e = o.get("guidance");
        if (e == null || e.isJsonNull()) {
            return Double.NaN;
        }
        double v = number(e, "recommended.guidance").doubleValue();
        if (!(v >= 0 && v <= 100)) {
            throw new JsonFiles.JsonProblem("key 'recommended.guidance' is " + e + ": use a number in 0..100", null);
        }
        return v;
    }

    private static BigDecimal number(JsonElement e, String label) throws JsonFiles.JsonProblem {
        if (e.isJsonPrimitive()) {
            JsonPrimitive p = e.getAsJsonPrimitive();
            if (p.isNumber()) {
                try {
                    return p.getAsBigDecimal();
                } catch (NumberFormatException ignored) {
                    // NaN or Infinity from a lenient parse: reported below
                }
            }
        }
        throw new JsonFiles.JsonProblem("key '" + label + "' must be a number, not " + e, null);
    }
}
