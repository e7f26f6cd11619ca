package dev.pigment.bridge;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes frames: a 4-byte big-endian header length, the UTF-8 JSON header, then each attachment's
 * bytes as the header's {@code attachments[i].length} says. Sizes are checked before anything is allocated.
 */
public final class FrameCodec {
    /** Largest JSON header: control messages are small; a bigger one is a broken or hostile peer. */
    public static final int MAX_HEADER_BYTES = 1 << 20;
    public static final int MAX_ATTACHMENTS = 16;

    /** Raw formats of 4 bytes a pixel, alpha last (docs/protocol.md, "Attachments"). */
    private static final java.util.Set<String> FOUR_BYTE_PIXELS = java.util.Set.of("rgba8", "bgra8");
    /** Attachments are read (and their alpha checked) this many bytes at a time: a multiple of 8, cache-sized. */
    private static final int READ_BLOCK = 1 << 18;

    private final long maxFrameBytes;

    public FrameCodec(long maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    /**
     * The next frame, or null at a clean end of stream (the peer closed between frames).
     *
     * @throws ProtocolException fatal for bad lengths and truncation; non-fatal is never thrown here
     */
    public Frame read(InputStream in) throws IOException, ProtocolException {
        DataInputStream data = new DataInputStream(in);
        int first = data.read();
        if (first < 0) {
            return null;
        }
        byte[] lenRest = readExactly(data, 3, "the frame length");
        int headerLength = ByteBuffer.wrap(new byte[] {(byte) first, lenRest[0], lenRest[1], lenRest[2]}).getInt();
        if (headerLength <= 1 || headerLength > MAX_HEADER_BYTES) {
            throw new ProtocolException("protocol", "Frame header length " + Integer.toUnsignedString(headerLength)
                    + " is out of range 2.." + MAX_HEADER_BYTES + ": the stream is not speaking this protocol.", true);
        }
        JsonObject header = parseHeader(readExactly(data, headerLength, "the JSON header"));
        List<Long> lengths = attachmentLengths(header);
        long total = headerLength;
        for (long l : lengths) {
            total += l;
        }
        if (total > maxFrameBytes) {
            throw new ProtocolException("too_large", "The frame is " + total + " bytes; this server accepts at most "
                    + maxFrameBytes + " (send smaller images, or PNG instead of raw pixels).", true);
        }
        List<byte[]> attachments = new ArrayList<>();
        int opaque = 0;
        for (int i = 0; i < lengths.size(); i++) {
            byte[] a = new byte[(int) (long) lengths.get(i)];
            if (readAttachment(data, a, i, isFourBytePixels(header, i))) {
                opaque |= 1 << i;
            }
            attachments.add(a);
        }
        return new Frame(header, attachments, opaque);
    }

    /** Whether attachment {@code i}'s descriptor declares raw 4-byte pixels whose 4th byte is alpha. */
    private static boolean isFourBytePixels(JsonObject header, int i) {
        JsonElement f = header.getAsJsonArray("attachments").get(i).getAsJsonObject().get("format");
        return f != null && f.isJsonPrimitive() && FOUR_BYTE_PIXELS.contains(f.getAsString());
    }

    /**
     * Fills {@code a}; for 4-byte pixels, also whether every alpha byte is 255, checked a block at a time as it
     * arrives (still in cache, while the peer sends the next block), so a result that is the unchanged source
     * needs no second pass over it.
     */
    private static boolean readAttachment(DataInputStream in, byte[] a, int index, boolean pixels)
            throws IOException, ProtocolException {
        boolean opaque = pixels && a.length % 4 == 0;
        try {
            for (int at = 0; at < a.length; at += READ_BLOCK) {
                int n = Math.min(READ_BLOCK, a.length - at);
                in.readFully(a, at, n);
                opaque = opaque && Alpha.opaque(a, at, at + n);
            }
        } catch (EOFException e) {
            throw new ProtocolException("protocol", "The connection ended in the middle of attachment " + index + ".",
                    true);
        }
        return opaque;
    }

    private static JsonObject parseHeader(byte[] bytes) throws ProtocolException {
        JsonElement e;
        try {
            e = JsonParser.parseString(new String(bytes, StandardCharsets.UTF_8));
        } catch (JsonParseException | StackOverflowError ex) {
            throw new ProtocolException("protocol", "The frame header is not valid JSON: " + shortMessage(ex), true);
        }
        if (!e.isJsonObject()) {
            throw new ProtocolException("protocol", "The frame header must be a JSON object, got: " + abbreviate(e), true);
        }
        return e.getAsJsonObject();
    }

    /** Attachment lengths from the header; anything odd is fatal because the following bytes cannot be framed. */
    private static List<Long> attachmentLengths(JsonObject header) throws ProtocolException {
        List<Long> out = new ArrayList<>();
        if (!header.has("attachments")) {
            return out;
        }
        JsonElement a = header.get("attachments");
        if (!a.isJsonArray() || a.getAsJsonArray().size() > MAX_ATTACHMENTS) {
            throw new ProtocolException("protocol", "'attachments' must be an array of at most " + MAX_ATTACHMENTS
                    + " objects.", true);
        }
        for (JsonElement d : a.getAsJsonArray()) {
            JsonElement len = d.isJsonObject() ? d.getAsJsonObject().get("length") : null;
            long l = -1;
            if (len != null && len.isJsonPrimitive() && len.getAsJsonPrimitive().isNumber()) {
                double v = len.getAsDouble();
                l = v == Math.rint(v) && v >= 0 && v <= Integer.MAX_VALUE - 16 ? (long) v : -1;
            }
            if (l < 0) {
                throw new ProtocolException("protocol", "Attachment " + out.size() + " needs a whole, non-negative"
                        + " 'length' in bytes, got " + len + ".", true);
            }
            out.add(l);
        }
        return out;
    }

    private static byte[] readExactly(DataInputStream in, int n, String what) throws IOException, ProtocolException {
        byte[] b = new byte[n];
        try {
            in.readFully(b);
        } catch (EOFException e) {
            throw new ProtocolException("protocol", "The connection ended in the middle of " + what + ".", true);
        }
        return b;
    }

    /** Writes one frame; the caller flushes. */
    public static void write(OutputStream out, Frame frame) throws IOException {
        write(out, frame.header().toString().getBytes(StandardCharsets.UTF_8), frame.attachments());
    }

    /** Writes one frame whose header is already encoded as UTF-8 JSON; the caller flushes. */
    static void write(OutputStream out, byte[] header, List<byte[]> attachments) throws IOException {
        out.write(ByteBuffer.allocate(4).putInt(header.length).array());
        out.write(header);
        for (byte[] a : attachments) {
            out.write(a);
        }
    }

    /** A descriptor for one attachment. */
    public static JsonObject descriptor(String format, int width, int height, int length) {
        JsonObject d = new JsonObject();
        d.addProperty("format", format);
        d.addProperty("width", width);
        d.addProperty("height", height);
        d.addProperty("length", length);
        return d;
    }

    static JsonArray descriptors(JsonObject... ds) {
        JsonArray a = new JsonArray();
        for (JsonObject d : ds) {
            a.add(d);
        }
        return a;
    }

    private static String shortMessage(Throwable t) {
        String m = t instanceof StackOverflowError ? "nested too deeply" : String.valueOf(t.getMessage());
        return abbreviate(m);
    }

    static String abbreviate(Object o) {
        String s = String.valueOf(o);
        return s.length() > 120 ? s.substring(0, 117) + "..." : s;
    }
}
