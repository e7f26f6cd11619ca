package dev.pigment.core.bench;

import dev.pigment.core.model.OnnxBytes;
import dev.pigment.core.model.OnnxModelHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * How much cheaper reading an ONNX file's signature is than reading the file once.
 *
 * <p>The model has {@code weightMiB} of weights embedded before the graph inputs (a sparse
 * hole, so it costs no disk). Baseline: one sequential read of the whole file, the least any
 * full protobuf parse must do; a sparse hole reads at memory speed, so a real disk only makes
 * the ratio larger. Run:
 * <pre>java -cp plugin-core/target/classes:plugin-core/target/test-classes dev.pigment.core.bench.OnnxHeaderBench [weightMiB]</pre>
 */
public final class OnnxHeaderBench {
    private OnnxHeaderBench() {
    }

    public static void main(String[] args) throws IOException {
        long weightMiB = args.length > 0 ? Long.parseLong(args[0]) : 1024;
        Path dir = Files.createTempDirectory("pigment-bench");
        Path file = OnnxBytes.writeWithEmbeddedWeights(dir.resolve("model.onnx"), weightMiB << 20);
        try {
            for (int i = 0; i < 200; i++) {
                OnnxModelHeader.read(file); // warm-up
            }
            double[] header = new double[101];
            for (int i = 0; i < header.length; i++) {
                long t0 = System.nanoTime();
                OnnxModelHeader.read(file);
                header[i] = (System.nanoTime() - t0) / 1e6;
            }
            double[] full = new double[3];
            ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
            for (int i = 0; i < full.length; i++) {
                long t0 = System.nanoTime();
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                    while (ch.read(buffer) > 0) {
                        buffer.clear();
                    }
                }
                full[i] = (System.nanoTime() - t0) / 1e6;
            }
            double h = median(header);
            double f = median(full);
            System.out.printf("file %d MiB of embedded weights%n", weightMiB);
            System.out.printf("OnnxModelHeader.read   median %.3f ms (%d runs)%n", h, header.length);
            System.out.printf("full sequential read   median %.1f ms (%d runs, baseline)%n", f, full.length);
            System.out.printf("header / full read     %.5f  (full read is %.0fx slower)%n", h / f, f / h);
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
