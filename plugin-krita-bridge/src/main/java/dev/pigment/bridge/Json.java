package dev.pigment.bridge;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/** Typed reads of header fields; a missing or mistyped field is a non-fatal bad_request naming it. */
final class Json {
    private Json() {
    }

    static String string(JsonObject o, String key, String what) throws ProtocolException {
        JsonElement e = o.get(key);
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw Attachments.bad(what + " ('" + key + "') must be a string, got " + FrameCodec.abbreviate(e) + ".");
        }
        return e.getAsString();
    }

    static int integer(JsonObject o, String key, long min, long max) throws ProtocolException {
        JsonElement e = o.get(key);
        if (!Attachments.isInteger(e) || e.getAsDouble() < min || e.getAsDouble() > max) {
            throw Attachments.bad("'" + key + "' must be a whole number in " + min + ".." + max + ", got "
                    + FrameCodec.abbreviate(e) + ".");
        }
        return (int) e.getAsDouble();
    }

    /** The message's {@code id}: a whole number 0..2^53 chosen by the client, echoed as {@code re}. */
    static long id(JsonObject o) throws ProtocolException {
        JsonElement e = o.get("id");
        if (!Attachments.isInteger(e) || e.getAsDouble() < 0 || e.getAsDouble() > (1L << 53)) {
            throw Attachments.bad("'id' must be a whole number 0..2^53, got " + FrameCodec.abbreviate(e) + ".");
        }
        return (long) e.getAsDouble();
    }

    static boolean flag(JsonObject o, String key, boolean fallback) throws ProtocolException {
        JsonElement e = o.get(key);
        if (e == null) {
            return fallback;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
            throw Attachments.bad("'" + key + "' must be true or false, got " + FrameCodec.abbreviate(e) + ".");
        }
        return e.getAsBoolean();
    }
}
