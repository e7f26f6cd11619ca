package dev.pigment.bridge;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.pigment.core.api.GenerationRequest;
import dev.pigment.core.api.PigmentException;
import dev.pigment.core.api.Task;
import dev.pigment.core.image.RgbImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@code submit} message to a {@link GenerationRequest}. Request fields have their GenerationRequest names
 * (docs/protocol.md lists them); images are attachment indexes. Every type error names the field.
 */
final class SubmitDecoder {
    /** Fields of the message that are not request parameters. */
    static final Set<String> ENVELOPE = Set.of("type", "id", "attachments", "image", "mask", "references",
            "previews", "result_format", "options");
    static final Set<String> TEXT = Set.of("task", "model", "prompt", "negative", "scheduler");
    static final Set<String> INTEGERS = Set.of("width", "height", "steps", "seed", "batch");
    static final Set<String> NUMBERS = Set.of("guidance", "strength", "style_strength");

    private final Attachments attachments;

    SubmitDecoder(Attachments attachments) {
        this.attachments = attachments;
    }

    GenerationRequest decode(Frame frame) throws ProtocolException {
        JsonObject m = frame.header();
        for (String key : m.keySet()) {
            if (!ENVELOPE.contains(key) && !TEXT.contains(key) && !INTEGERS.contains(key) && !NUMBERS.contains(key)) {
                throw Attachments.bad("submit has an unknown field '" + key + "'; see docs/protocol.md for the fields.");
            }
        }
        Task task;
        try {
            task = Task.fromId(Json.string(m, "task", "the task"));
        } catch (PigmentException e) {
            throw Attachments.bad(e.getMessage());
        }
        GenerationRequest.Builder b = GenerationRequest.builder(task)
                .model(text(m, "model")).prompt(text(m, "prompt")).negativePrompt(text(m, "negative"))
                .scheduler(text(m, "scheduler"));
        b.size(integer(m, "width", 0), integer(m, "height", 0)).steps(integer(m, "steps", 0))
                .seed(longValue(m, "seed", GenerationRequest.RANDOM_SEED)).batch(integer(m, "batch", 1));
        b.guidance(number(m, "guidance", 0)).strength(number(m, "strength", Double.NaN))
                .styleStrength(number(m, "style_strength", Double.NaN));
        images(frame, b);
        options(m, b);
        try {
            return b.build();
        } catch (PigmentException e) {
            throw new ProtocolException(e.code().id(), e.getMessage(), false);
        }
    }

    private void images(Frame frame, GenerationRequest.Builder b) throws ProtocolException {
        JsonObject m = frame.header();
        if (m.has("image")) {
            b.source(attachments.image(attachments.part(frame, index(m, "image"), "image", Attachments.IMAGE_FORMATS)));
        }
        if (m.has("mask")) {
            b.mask(attachments.mask(attachments.part(frame, index(m, "mask"), "mask", Attachments.MASK_FORMATS)));
        }
        if (m.has("references")) {
            JsonElement r = m.get("references");
            if (!r.isJsonArray()) {
                throw Attachments.bad("'references' must be an array of attachment indexes, got "
                        + FrameCodec.abbreviate(r) + ".");
            }
            List<RgbImage> refs = new ArrayList<>();
            JsonArray a = r.getAsJsonArray();
            for (int i = 0; i < a.size(); i++) {
                if (!Attachments.isInteger(a.get(i))) {
                    throw Attachments.bad("references[" + i + "] must be an attachment index, got " + a.get(i) + ".");
                }
                refs.add(attachments.image(attachments.part(frame, a.get(i).getAsInt(), "references[" + i + "]",
                        Attachments.IMAGE_FORMATS)));
            }
            b.references(refs);
        }
    }

    private static void options(JsonObject m, GenerationRequest.Builder b) throws ProtocolException {
        if (!m.has("options")) {
            return;
        }
        if (!m.get("options").isJsonObject()) {
            throw Attachments.bad("'options' must be an object of engine options, got "
                    + FrameCodec.abbreviate(m.get("options")) + ".");
        }
        for (Map.Entry<String, JsonElement> e : m.getAsJsonObject("options").entrySet()) {
            if (!e.getValue().isJsonPrimitive()) {
                throw Attachments.bad("option '" + e.getKey() + "' must be a string, number or boolean.");
            }
            b.option(e.getKey(), e.getValue().getAsString());
        }
    }

    private static int index(JsonObject m, String key) throws ProtocolException {
        return Json.integer(m, key, 0, FrameCodec.MAX_ATTACHMENTS - 1);
    }

    private static String text(JsonObject m, String key) throws ProtocolException {
        return m.has(key) && !m.get(key).isJsonNull() ? Json.string(m, key, "'" + key + "'") : null;
    }

    private static int integer(JsonObject m, String key, int fallback) throws ProtocolException {
        return m.has(key) ? Json.integer(m, key, Integer.MIN_VALUE, Integer.MAX_VALUE) : fallback;
    }

    private static long longValue(JsonObject m, String key, long fallback) throws ProtocolException {
        if (!m.has(key)) {
            return fallback;
        }
        JsonElement e = m.get(key);
        if (!Attachments.isInteger(e) || Math.abs(e.getAsDouble()) > (1L << 53)) {
            throw Attachments.bad("'" + key + "' must be a whole number, got " + FrameCodec.abbreviate(e) + ".");
        }
        return e.getAsLong();
    }

    private static double number(JsonObject m, String key, double fallback) throws ProtocolException {
        if (!m.has(key) || m.get(key).isJsonNull()) {
            return fallback;
        }
        JsonElement e = m.get(key);
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw Attachments.bad("'" + key + "' must be a number, got " + FrameCodec.abbreviate(e) + ".");
        }
        return e.getAsDouble();
    }
}
