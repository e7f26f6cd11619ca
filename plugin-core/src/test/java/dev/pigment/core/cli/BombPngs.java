package dev.pigment.core.cli;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.DeflaterOutputStream;

/** PNG files whose size is hostile: a header that lies, and a real image far over the limits. */
final class BombPngs {
    private BombPngs() {
    }

    /** A tiny file whose header claims width x height (8-bit RGB) but holds almost no data. */
    static Path craftedHeader(Path file, int width, int height) throws IOException {
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(idat)) {
            z.write(new byte[8]);
        }
        return write(file, width, height, 8, 2, idat.toByteArray());
    }

    /** A valid 1-bit grey PNG of width x height, all black: small on disk, huge when decoded. */
    static Path real(Path file, int width, int height) throws IOException {
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        byte[] row = new byte[1 + (width + 7) / 8];
        try (DeflaterOutputStream z = new DeflaterOutputStream(idat)) {
            for (int y = 0; y < height; y++) {
                z.write(row);
            }
        }
        return write(file, width, height, 1, 0, idat.toByteArray());
    }

    private static Path write(Path file, int width, int height, int bitDepth, int colourType, byte[] idat)
            throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        DataOutputStream h = new DataOutputStream(ihdr);
        h.writeInt(width);
        h.writeInt(height);
        h.write(new byte[] {(byte) bitDepth, (byte) colourType, 0, 0, 0});
        chunk(bytes, "IHDR", ihdr.toByteArray());
        chunk(bytes, "IDAT", idat);
        chunk(bytes, "IEND", new byte[0]);
        Files.write(file, bytes.toByteArray());
        return file;
    }

    private static void chunk(OutputStream out, String type, byte[] data) throws IOException {
        DataOutputStream d = new DataOutputStream(out);
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        d.writeInt(data.length);
        d.write(t);
        d.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        d.writeInt((int) crc.getValue());
    }
}
