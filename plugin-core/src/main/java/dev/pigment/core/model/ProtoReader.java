package dev.pigment.core.model;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;

/**
 * Reads protobuf wire format from a file through a small window, so that fields we do not
 * need (weights can be gigabytes inside one ONNX file) are skipped by moving the file
 * position instead of being read.
 *
 * <p>Not thread-safe; one reader per file read.
 */
final class ProtoReader {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    /** Raised for bytes that cannot be protobuf, or a file that ends inside a field. */
    static final class MalformedException extends Exception {
        private final boolean truncated;

        MalformedException(String message, boolean truncated) {
            super(message);
            this.truncated = truncated;
        }

        boolean truncated() {
            return truncated;
        }
    }

    private final FileChannel channel;
    private final long size;
    private final ByteBuffer window;
    /** File offset of window position 0. */
    private long windowStart;

    ProtoReader(FileChannel channel, int windowBytes) throws IOException {
        if (windowBytes < 1) {
            throw new IllegalArgumentException("windowBytes must be positive: " + windowBytes);
        }
        this.channel = channel;
        this.size = channel.size();
        this.window = ByteBuffer.allocate(windowBytes);
        this.window.limit(0);
        this.windowStart = 0;
    }

    long size() {
        return size;
    }

    long position() {
        return windowStart + window.position();
    }

    private int nextByte() throws IOException, MalformedException {
        if (!window.hasRemaining()) {
            refill();
        }
        return window.get() & 0xFF;
    }

    private void refill() throws IOException, MalformedException {
        long pos = position();
        if (pos >= size) {
            throw new MalformedException("the file ends at byte " + size + " in the middle of a field", true);
        }
        window.clear();
        windowStart = pos;
        while (window.hasRemaining()) {
            int n = channel.read(window, windowStart + window.position());
            if (n < 0) {
                break;
            }
            if (n == 0 && windowStart + window.position() >= size) {
                break;
            }
        }
        window.flip();
        if (!window.hasRemaining()) {
            throw new MalformedException("the file ends at byte " + pos + " in the middle of a field", true);
        }
    }

    long readVarint() throws IOException, MalformedException {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = nextByte();
            result |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        throw new MalformedException("a number at byte " + position() + " is longer than 10 bytes", false);
    }

    /** Moves forward without reading: the point of this class. */
    void skip(long n, long limit) throws IOException, MalformedException {
        checkLength(n, limit);
        long target = position() + n;
        long windowEnd = windowStart + window.limit();
        if (target <= windowEnd) {
            window.position((int) (target - windowStart));
        } else {
            windowStart = target;
            window.limit(0);
        }
    }

    byte[] readBytes(int n, long limit) throws IOException, MalformedException {
        checkLength(n, limit);
        byte[] out = new byte[n];
        int filled = 0;
        while (filled < n) {
            if (!window.hasRemaining()) {
                refill();
            }
            int chunk = Math.min(n - filled, window.remaining());
            window.get(out, filled, chunk);
            filled += chunk;
        }
        return out;
    }

    String readString(long length, long limit, int maxLength) throws IOException, MalformedException {
        if (length > maxLength) {
            throw new MalformedException("a name at byte " + position() + " claims " + length
                    + " bytes, more than any real ONNX name", false);
        }
        return new String(readBytes((int) length, limit), StandardCharsets.UTF_8);
    }

    /** Checks that n more bytes fit both the enclosing message and the file. */
    void checkLength(long n, long limit) throws MalformedException {
        long pos = position();
        if (n < 0 || n > limit - pos) {
            if (limit >= size && (n < 0 || pos + n > size)) {
                throw new MalformedException("a field at byte " + pos + " runs to byte "
                        + (n < 0 ? "(negative)" : Long.toString(pos + n)) + " but the file ends at byte " + size, n >= 0);
            }
            throw new MalformedException("a field at byte " + pos + " overruns its enclosing message", false);
        }
    }

    /** Skips the value of a field of the given wire type. */
    void skipValue(int wireType, long limit) throws IOException, MalformedException {
        switch (wireType) {
            case VARINT -> readVarint();
            case FIXED64 -> skip(8, limit);
            case LENGTH_DELIMITED -> skip(readVarint(), limit);
            case FIXED32 -> skip(4, limit);
            default -> throw new MalformedException("wire type " + wireType + " at byte " + position()
                    + " is not used by ONNX", false);
        }
    }

    /**
     * Reads a field tag, checking that it is one protobuf allows.
     *
     * @return the tag (field number in bits 3+, wire type in bits 0-2)
     */
    int readTag() throws IOException, MalformedException {
        long tag = readVarint();
        int wireType = (int) (tag & 7);
        long field = tag >>> 3;
        if (field == 0 || field > 0x1FFF_FFFF || wireType == 3 || wireType == 4 || wireType > 5) {
            throw new MalformedException("byte " + position() + " holds no valid protobuf field (tag " + tag + ")", false);
        }
        return (int) tag;
    }

    /** The end offset of the length-delimited field whose length comes next. */
    long readLengthEnd(long limit) throws IOException, MalformedException {
        long length = readVarint();
        checkLength(length, limit);
        return position() + length;
    }
}
