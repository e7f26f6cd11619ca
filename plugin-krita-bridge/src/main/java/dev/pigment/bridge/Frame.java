package dev.pigment.bridge;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.List;
import java.util.Objects;

/**
 * One protocol message: a JSON object plus the binary attachments its {@code attachments} array describes, in
 * that order (docs/protocol.md, "Framing").
 */
public record Frame(JsonObject header, List<byte[]> attachments, int knownOpaque) {
    /**
     * @param knownOpaque bit i set when attachment i is raw 4-byte pixels found fully opaque as it was read
     *                    ({@link FrameCodec#read}); 0 when not known
     */
    public Frame {
        Objects.requireNonNull(header, "header");
        attachments = List.copyOf(attachments);
    }

    public Frame(JsonObject header, List<byte[]> attachments) {
        this(header, attachments, 0);
    }

    /** Whether attachment {@code index} is known to have every alpha byte 255 (false: not known, or not). */
    public boolean isKnownOpaque(int index) {
        return index >= 0 && index < Integer.SIZE && (knownOpaque >>> index & 1) != 0;
    }

    public static Frame of(JsonObject header) {
        return new Frame(header, List.of());
    }

    /** The message type, or null when the header has no string {@code type}. */
    public String type() {
        return header.has("type") && header.get("type").isJsonPrimitive() ? header.get("type").getAsString() : null;
    }

    /** A frame whose attachments are described by {@code descriptors} (one object per attachment). */
    public static Frame withAttachments(JsonObject header, JsonArray descriptors, List<byte[]> data) {
        if (descriptors.size() != data.size()) {
            throw new IllegalArgumentException(descriptors.size() + " descriptors for " + data.size() + " attachments");
        }
        header.add("attachments", descriptors);
        return new Frame(header, data);
    }
}
