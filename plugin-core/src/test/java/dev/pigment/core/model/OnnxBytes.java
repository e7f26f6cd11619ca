package dev.pigment.core.model;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Writes a minimal ONNX ModelProto whose graph starts with one float initializer of any size,
 * followed by the graph inputs and output. The initializer's bytes are left as a hole in a
 * sparse file, so a multi-gigabyte model costs no disk space: it exists to check (and time)
 * that the header reader steps over embedded weights instead of reading them.
 */
public final class OnnxBytes {
    private OnnxBytes() {
    }

    /** Writes the model; returns the file. {@code weightBytes} must be a multiple of 4. */
    public static Path writeWithEmbeddedWeights(Path file, long weightBytes) throws IOException {
        byte[] input = field(11, valueInfo("sample", 1, "batch", "4", "height", "width"));
        byte[] input2 = field(11, valueInfo("timestep", 7, "1"));
        byte[] output = field(12, valueInfo("out_sample", 1, "batch", "4", "height", "width"));
        ByteArrayOutputStream init = new ByteArrayOutputStream();
        init.writeBytes(varintField(1, weightBytes / 4)); // dims
        init.writeBytes(varintField(2, 1)); // data_type FLOAT
        init.writeBytes(field(8, "big".getBytes(StandardCharsets.US_ASCII)));
        init.writeBytes(tag(9, 2));
        init.writeBytes(varint(weightBytes)); // raw_data follows: the hole
        byte[] initHead = init.toByteArray();
        long initLength = initHead.length + weightBytes;

        ByteArrayOutputStream graphHead = new ByteArrayOutputStream();
        graphHead.writeBytes(field(2, "big-graph".getBytes(StandardCharsets.US_ASCII)));
        graphHead.writeBytes(tag(5, 2));
        graphHead.writeBytes(varint(initLength));
        byte[] graphTail = concat(input, input2, output);
        long graphLength = graphHead.size() + initLength + graphTail.length;

        ByteArrayOutputStream head = new ByteArrayOutputStream();
        head.writeBytes(varintField(1, 8)); // ir_version
        head.writeBytes(field(8, concat(field(1, new byte[0]), varintField(2, 17)))); // opset_import
        head.writeBytes(tag(7, 2));
        head.writeBytes(varint(graphLength));
        head.writeBytes(graphHead.toByteArray());
        head.writeBytes(initHead);

        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(0);
            raf.write(head.toByteArray());
            raf.seek(head.size() + weightBytes);
            raf.write(graphTail);
        }
        return file;
    }

    static byte[] valueInfo(String name, int elemType, String... dims) {
        ByteArrayOutputStream shape = new ByteArrayOutputStream();
        for (String d : dims) {
            byte[] dim = d.chars().allMatch(Character::isDigit) ? varintField(1, Long.parseLong(d))
                    : field(2, d.getBytes(StandardCharsets.UTF_8));
            shape.writeBytes(field(1, dim));
        }
        byte[] tensor = concat(varintField(1, elemType), field(2, shape.toByteArray()));
        return concat(field(1, name.getBytes(StandardCharsets.UTF_8)), field(2, field(1, tensor)));
    }

    static byte[] field(int number, byte[] body) {
        return concat(tag(number, 2), varint(body.length), body);
    }

    static byte[] varintField(int number, long value) {
        return concat(tag(number, 0), varint(value));
    }

    static byte[] tag(int number, int wireType) {
        return varint(((long) number << 3) | wireType);
    }

    static byte[] varint(long value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while ((value & ~0x7FL) != 0) {
            out.write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
        return out.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
