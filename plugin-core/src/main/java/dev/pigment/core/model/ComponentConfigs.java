package dev.pigment.core.model;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.pigment.core.api.ErrorCode;
import dev.pigment.core.api.PigmentException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads diffusers' component {@code config.json} files for the typed config records: one reader, so a
 * broken file fails the same way (naming file, key and fix) whichever record reads it.
 */
final class ComponentConfigs {
    private ComponentConfigs() {
    }

    /** The file's object, or empty when the file does not exist (optimum does not always write it). */
    static Optional<JsonObject> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JsonFiles.readObject(file));
        } catch (JsonFiles.JsonProblem e) {
            throw new PigmentException(ErrorCode.MODEL_INVALID, file + ": " + e.getMessage()
                    + ". Fix the JSON or copy the file again from the model's original repository.", e);
        }
    }

    static double number(Path file, JsonObject o, String key, double fallback) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            return fallback;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw bad(file, key, e, "a number");
        }
        return e.getAsDouble();
    }

    static int integer(Path file, JsonObject o, String key, int fallback) {
        double d = number(file, o, key, fallback);
        if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
            throw bad(file, key, o.get(key), "a whole number");
        }
        return (int) d;
    }

    /** An integer list; a bare number counts as a list of one (diffusers accepts both for sizes). */
    static int[] integers(Path file, JsonObject o, String key, int[] fallback) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            return fallback.clone();
        }
        JsonArray a;
        if (e.isJsonArray()) {
            a = e.getAsJsonArray();
        } else {
            a = new JsonArray();
            a.add(e);
        }
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            JsonElement v = a.get(i);
            if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isNumber() || v.getAsDouble() != Math.rint(v.getAsDouble())) {
                throw bad(file, key, e, "a list of whole numbers");
            }
            out[i] = v.getAsInt();
        }
        return out;
    }

    static PigmentException bad(Path file, String key, Object value, String expected) {
        return new PigmentException(ErrorCode.MODEL_INVALID, file + ": \"" + key + "\" is " + value + "; it must be "
                + expected + ". Fix the value or copy the file again from the model's original repository.");
    }
}
