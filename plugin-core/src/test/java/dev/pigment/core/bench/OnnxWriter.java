package dev.pigment.core.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes small ONNX graphs with large float32 weights, as protobuf bytes by hand (no onnx library
 * needed): the weights go to one external-data file beside the model, as diffusers' big UNet
 * exports do ({@code weights.pb}), so a model of any size is written in chunks.
 *
 * <p>Only the handful of ONNX messages the benchmark needs: ModelProto, GraphProto, NodeProto,
 * AttributeProto (int, ints, float), TensorProto (raw or external), ValueInfoProto.
 */
final class OnnxWriter implements AutoCloseable {
    static final int FLOAT = 1;
    static final int INT32 = 6;
    static final int INT64 = 7;
    static final int UINT8 = 2;
    static final int FLOAT16 = 10;
    static final int BOOL = 9;
    private static final int ALIGN = 4096;

    private final Path modelFile;
    private final String weightsName;
    private final FileChannel weights;
    private final SplittableRandom random;
    private final List<byte[]> nodes = new ArrayList<>();
    private final List<byte[]> initializers = new ArrayList<>();
    private final List<byte[]> inputs = new ArrayList<>();
    private final List<byte[]> outputs = new ArrayList<>();
    private long offset;
    private int counter;

    OnnxWriter(Path modelFile, String weightsName, long seed) throws IOException {
        this.modelFile = modelFile;
        this.weightsName = weightsName;
        Files.createDirectories(modelFile.getParent());
        this.weights = FileChannel.open(modelFile.resolveSibling(weightsName), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        this.random = new SplittableRandom(seed);
    }

    /** A float32 weight of uniform values in [-scale, scale], stored in the external file. */
    String weight(String name, double scale, long... dims) throws IOException {
        return external(name, FLOAT, 4 * elements(dims), (chunk, left) -> {
            for (; chunk.remaining() >= 4 && left >= 4; left -= 4) {
                chunk.putFloat((float) ((random.nextDouble() * 2 - 1) * scale));
            }
        }, dims);
    }

    /**
     * A weight of {@code bytes} random bytes of the given element type (uint8 for MatMulNBits' packed
     * int4 blocks, float16 for an embedding table), stored in the external file. The values do not
     * matter to a memory/speed benchmark; their size does.
     */
    String rawWeight(String name, int elemType, long bytes, long... dims) throws IOException {
        return external(name, elemType, bytes, (chunk, left) -> {
            for (; chunk.remaining() >= 8 && left >= 8; left -= 8) {
                // Small fp16 values (exponent bits cleared) when read as half floats; any value as uint8.
                chunk.putLong(random.nextLong() & 0x33ff33ff33ff33ffL);
            }
            for (; chunk.hasRemaining() && left > 0; left--) {
                chunk.put((byte) 0x11);
            }
        }, dims);
    }

    /**
     * A float16 weight of random values in +-[1/128, 1/64) (sign and mantissa random, exponent fixed, so no
     * overflow, no subnormals), stored in the external file.
     */
    String halfWeight(String name, long... dims) throws IOException {
        return external(name, FLOAT16, 2 * elements(dims), (chunk, left) -> {
            for (; chunk.remaining() >= 2 && left >= 2; left -= 2) {
                chunk.putShort((short) ((random.nextInt() & 0x83ff) | 0x2000));
            }
        }, dims);
    }

    /** Puts at most {@code left} bytes into {@code chunk} (as many as fit). */
    @FunctionalInterface
    private interface ChunkFill {
        void fill(ByteBuffer chunk, long left);
    }

    private static long elements(long... dims) {
        long count = 1;
        for (long d : dims) {
            count *= d;
        }
        return count;
    }

    /**
     * Writes {@code bytes} bytes made by {@code fill} at the external file's next aligned offset, and the
     * tensor entry pointing at them.
     */
    private String external(String name, int elemType, long bytes, ChunkFill fill, long... dims) throws IOException {
        long start = (offset + ALIGN - 1) / ALIGN * ALIGN;
        ByteBuffer chunk = ByteBuffer.allocate(1 << 22).order(ByteOrder.LITTLE_ENDIAN);
        long written = 0;
        weights.position(start);
        while (written < bytes) {
            chunk.clear();
            fill.fill(chunk, bytes - written);
            written += chunk.position();
            chunk.flip();
            while (chunk.hasRemaining()) {
                weights.write(chunk);
            }
        }
        offset = start + bytes;
        Proto t = new Proto();
        for (long d : dims) {
            t.varint(1, d);
        }
        t.varint(2, elemType);
        t.string(8, name);
        t.message(13, new Proto().string(1, "location").string(2, weightsName));
        t.message(13, new Proto().string(1, "offset").string(2, Long.toString(start)));
        t.message(13, new Proto().string(1, "length").string(2, Long.toString(bytes)));
        t.varint(14, 1); // data_location = EXTERNAL
        initializers.add(t.bytes());
        return name;
    }

    /** A small float16 constant of one repeated value (1.0 = 0x3c00, 0.0 = 0), stored inline. */
    String halfs(String name, short bits, long count) {
        ByteBuffer raw = ByteBuffer.allocate((int) count * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (long i = 0; i < count; i++) {
            raw.putShort(bits);
        }
        Proto t = new Proto().varint(1, count).varint(2, FLOAT16).string(8, name).bytes(9, raw.array());
        initializers.add(t.bytes());
        return name;
    }

    /** A small int64 constant stored inline. */
    String longs(String name, long... values) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            raw.putLong(v);
        }
        Proto t = new Proto().varint(1, values.length).varint(2, INT64).string(8, name).bytes(9, raw.array());
        initializers.add(t.bytes());
        return name;
    }

    /** A small float32 constant stored inline. */
    String floats(String name, long[] dims, float... values) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            raw.putFloat(v);
        }
        Proto t = new Proto();
        for (long d : dims) {
            t.varint(1, d);
        }
        t.varint(2, FLOAT).string(8, name).bytes(9, raw.array());
        initializers.add(t.bytes());
        return name;
    }

    /** Adds a node; attributes as alternating name/value pairs (Long, long[] or Float). */
    String node(String op, List<String> in, Object... attributes) {
        return node("", op, in, attributes);
    }

    /** Adds a node of an operator domain ("com.microsoft" for MatMulNBits, MultiHeadAttention). */
    String node(String domain, String op, List<String> in, Object... attributes) {
        String out = op.toLowerCase() + "_" + (++counter);
        Proto n = new Proto();
        if (!domain.isEmpty()) {
            n.string(7, domain);
        }
        for (String i : in) {
            n.string(1, i);
        }
        n.string(2, out).string(3, "n" + counter).string(4, op);
        for (int a = 0; a < attributes.length; a += 2) {
            Proto attr = new Proto().string(1, (String) attributes[a]);
            Object v = attributes[a + 1];
            if (v instanceof Long l) {
                attr.varint(3, l).varint(20, 2);
            } else if (v instanceof long[] ls) {
                for (long l : ls) {
                    attr.varint(8, l);
                }
                attr.varint(20, 7);
            } else if (v instanceof Float f) {
                attr.fixed32(2, Float.floatToIntBits(f)).varint(20, 1);
            } else if (v instanceof String s) {
                attr.bytes(4, s.getBytes(StandardCharsets.UTF_8)).varint(20, 3);
            } else {
                throw new IllegalArgumentException("attribute type " + v);
            }
            n.message(5, attr);
        }
        nodes.add(n.bytes());
        return out;
    }

    /** Renames a node output by an Identity node, for graph outputs with real names. */
    void output(String value, String name, int elemType, Object... dims) {
        Proto n = new Proto().string(1, value).string(2, name).string(3, "out_" + name).string(4, "Identity");
        nodes.add(n.bytes());
        outputs.add(valueInfo(name, elemType, dims));
    }

    void input(String name, int elemType, Object... dims) {
        inputs.add(valueInfo(name, elemType, dims));
    }

    private static byte[] valueInfo(String name, int elemType, Object... dims) {
        Proto shape = new Proto();
        for (Object d : dims) {
            shape.message(1, d instanceof String s ? new Proto().string(2, s) : new Proto().varint(1, (Integer) d));
        }
        Proto tensor = new Proto().varint(1, elemType).message(2, shape);
        return new Proto().string(1, name).message(2, new Proto().message(1, tensor)).bytes();
    }

    @Override
    public void close() throws IOException {
        weights.close();
        Proto graph = new Proto();
        nodes.forEach(n -> graph.bytes(1, n));
        graph.string(2, modelFile.getParent().getFileName().toString());
        initializers.forEach(t -> graph.bytes(5, t));
        inputs.forEach(v -> graph.bytes(11, v));
        outputs.forEach(v -> graph.bytes(12, v));
        Proto model = new Proto()
                .varint(1, 8) // IR version 8
                .string(2, "pigment-bench")
                .message(7, graph)
                .message(8, new Proto().string(1, "").varint(2, 17))
                .message(8, new Proto().string(1, "com.microsoft").varint(2, 1));
        Files.write(modelFile, model.bytes());
    }

    /** Protobuf wire format: just enough of it. */
    static final class Proto {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Proto varint(int field, long value) {
            tag(field, 0);
            raw(value);
            return this;
        }

        Proto fixed32(int field, int bits) {
            tag(field, 5);
            for (int i = 0; i < 4; i++) {
                out.write((bits >>> (8 * i)) & 0xff);
            }
            return this;
        }

        Proto string(int field, String s) {
            return bytes(field, s.getBytes(StandardCharsets.UTF_8));
        }

        Proto bytes(int field, byte[] b) {
            tag(field, 2);
            raw(b.length);
            out.writeBytes(b);
            return this;
        }

        Proto message(int field, Proto m) {
            return bytes(field, m.bytes());
        }

        byte[] bytes() {
            return out.toByteArray();
        }

        private void tag(int field, int wire) {
            raw(((long) field << 3) | wire);
        }

        private void raw(long v) {
            while ((v & ~0x7fL) != 0) {
                out.write((int) ((v & 0x7f) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }
    }
}
