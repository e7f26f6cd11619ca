package dev.pigment.bridge;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.pigment.core.api.GenerationRequest;
import dev.pigment.core.api.PigmentException;
import dev.pigment.core.api.RequestKeys;
import dev.pigment.core.image.RgbImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@code submit} message to a {@link GenerationRequest}. The request fields are the keys of the core's one
 * parameter table ({@link RequestKeys}: the CLI's, ImageJ's and provenance's names), given as JSON strings,
 * numbers or booleans; images are attachment indexes. Every error names the field.
 */
final class SubmitDecoder {
    /** Fields of the message that are not request parameters. */
    static final Set<String> ENVELOPE = Set.of("type", "id", "attachments", "image", "mask", "references",
            "previews", "result_format", "options");

    private final Attachments attachments;

    SubmitDecoder(Attachments attachments) {
        this.attachments = attachments;
    }

    private Attachments.Part sourcePart;
    private RgbImage source;
    private boolean sourceKnownOpaque;

    /**
     * The decoded source and its bgra8 bytes, so a result that is the source itself is sent back from those bytes
     * without a float round trip; null when there is no bgra8 source.
     */
    Messages.Unchanged unchanged() {
        return source != null && sourcePart.format().equals("bgra8")
                ? new Messages.Unchanged(source, sourcePart.bytes(), sourceKnownOpaque) : null;
    }

    GenerationRequest decode(Frame frame) throws ProtocolException {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : frame.header().entrySet()) {
            if (!ENVELOPE.contains(e.getKey())) {
                parameters.put(e.getKey(), primitive(e.getKey(), e.getValue()));
            }
        }
        options(frame.header(), parameters);
        try {
            GenerationRequest.Builder b = GenerationRequest.fromParameters(parameters);
            images(frame, b);
            return b.build();
        } catch (PigmentException e) {
            throw new ProtocolException(e.code().id(), e.getMessage(), false);
        }
    }

    private static String primitive(String key, JsonElement value) throws ProtocolException {
        if (value.isJsonNull()) {
            return "";
        }
        if (!value.isJsonPrimitive()) {
            throw Attachments.bad("'" + key + "' must be a string, number or boolean, got "
                    + FrameCodec.abbreviate(value) + ".");
        }
        return value.getAsString();
    }

    private void images(Frame frame, GenerationRequest.Builder b) throws ProtocolException {
        JsonObject m = frame.header();
        if (m.has("image")) {
            int image = index(m, "image");
            sourcePart = attachments.part(frame, image, "image", Attachments.IMAGE_FORMATS);
            sourceKnownOpaque = frame.isKnownOpaque(image);
            source = attachments.image(sourcePart);
            b.source(source);
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

    /** Engine options may also come grouped in an {@code options} object; each may be given only once. */
    private static void options(JsonObject m, Map<String, String> parameters) throws ProtocolException {
        if (!m.has("options")) {
            return;
        }
        if (!m.get("options").isJsonObject()) {
            throw Attachments.bad("'options' must be an object of engine options, got "
                    + FrameCodec.abbreviate(m.get("options")) + ".");
        }
        for (Map.Entry<String, JsonElement> e : m.getAsJsonObject("options").entrySet()) {
            String key = e.getKey();
            if (parameters.put(key, primitive("options." + key, e.getValue())) != null) {
                throw Attachments.bad("'" + key + "' is given both in the message and in 'options': give it once.");
            }
        }
    }

    private static int index(JsonObject m, String key) throws ProtocolException {
        return Json.integer(m, key, 0, FrameCodec.MAX_ATTACHMENTS - 1);
    }
}
