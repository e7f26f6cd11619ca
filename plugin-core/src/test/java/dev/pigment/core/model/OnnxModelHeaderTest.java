package dev.pigment.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pigment.core.api.ErrorCode;
import dev.pigment.core.api.PigmentException;
import dev.pigment.core.model.OnnxModelHeader.ExternalData;
import dev.pigment.core.model.OnnxModelHeader.ValueInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxModelHeaderTest {
    static final List<String> FIXTURES = List.of("text_encoder.onnx", "unet.onnx", "unet_wrong_names.onnx",
            "unet_initializers_as_inputs.onnx", "unet_external/model.onnx", "vae_encoder.onnx", "vae_decoder.onnx",
            "transformer.onnx");

    @TempDir
    Path tmp;

    private Path fixture(String name) {
        return Fixtures.copy(name, tmp.resolve(name));
    }

    @Test
    void readsUnetInputsWithSymbolicDims() {
        OnnxModelHeader h = OnnxModelHeader.read(fixture("unet.onnx"));
        assertEquals(List.of(
                new ValueInfo("sample", OnnxModelHeader.FLOAT, List.of("batch", "4", "height", "width")),
                new ValueInfo("timestep", OnnxModelHeader.INT64, List.of("1")),
                new ValueInfo("encoder_hidden_states", OnnxModelHeader.FLOAT, List.of("batch", "sequence", "8"))),
                h.inputs());
        assertEquals(List.of(new ValueInfo("out_sample", OnnxModelHeader.FLOAT, List.of("batch", "4", "height", "width"))),
                h.outputs());
        assertEquals(17, h.opsetVersion());
        assertEquals(8, h.irVersion());
        assertEquals("pigment-fixtures", h.producerName());
        assertEquals(List.of(), h.externalData());
    }

    @Test
    void readsTextEncoderTypesAndAllOutputs() {
        OnnxModelHeader h = OnnxModelHeader.read(fixture("text_encoder.onnx"));
        assertEquals(List.of(new ValueInfo("input_ids", OnnxModelHeader.INT32, List.of("batch", "77"))), h.inputs());
        assertEquals(List.of("last_hidden_state", "pooler_output"), h.outputNames());
        assertEquals("input_ids int32 [batch, 77]", h.inputs().get(0).toString());
    }

    @Test
    void weightsListedAsGraphInputsAreNotFeeds() {
        OnnxModelHeader h = OnnxModelHeader.read(fixture("unet_initializers_as_inputs.onnx"));
        assertEquals(List.of("sample", "timestep", "encoder_hidden_states"), h.inputNames());
    }

    @Test
    void reportsExternalWeightFileAndItsLength() {
        OnnxModelHeader h = OnnxModelHeader.read(fixture("unet_external/model.onnx"));
        // two initializers in weights.pb: w (16 bytes at 0) and table (4096 bytes at 16)
        assertEquals(List.of(new ExternalData("weights.pb", 4112)), h.externalData());
        assertEquals(List.of("sample", "timestep", "encoder_hidden_states"), h.inputNames());
    }

    @Test
    void everyWindowSizeReadsTheSame() {
        // tiny windows force varints, strings and skips across refills
        for (String name : FIXTURES) {
            Path p = fixture(name);
            OnnxModelHeader reference = OnnxModelHeader.read(p);
            for (int window : new int[] {1, 2, 3, 7, 64, 1000}) {
                OnnxModelHeader h = OnnxModelHeader.read(p, window);
                String where = name + " window " + window;
                assertEquals(reference.inputs(), h.inputs(), where);
                assertEquals(reference.outputs(), h.outputs(), where);
                assertEquals(reference.externalData(), h.externalData(), where);
                assertEquals(reference.opsetVersion(), h.opsetVersion(), where);
            }
        }
    }

    @Test
    void dynamicAxesOfDitAndVae() {
        assertEquals(List.of("batch", "image_sequence", "64"),
                OnnxModelHeader.read(fixture("transformer.onnx")).inputs().get(0).dims());
        assertEquals(new ValueInfo("latent_sample", OnnxModelHeader.FLOAT,
                        List.of("batch", "4", "latent_height", "latent_width")),
                OnnxModelHeader.read(fixture("vae_decoder.onnx")).inputs().get(0));
    }

    @Test
    void stepsOverMultiGigabyteEmbeddedWeights() throws Exception {
        // 3 GiB of weights (a sparse hole, so no disk is used) before the graph inputs: lengths beyond int range
        long weights = 3L << 30;
        Path p = OnnxBytes.writeWithEmbeddedWeights(tmp.resolve("big.onnx"), weights);
        assertTrue(java.nio.file.Files.size(p) > weights);
        OnnxModelHeader h = OnnxModelHeader.read(p);
        assertEquals(List.of(new ValueInfo("sample", OnnxModelHeader.FLOAT, List.of("batch", "4", "height", "width")),
                new ValueInfo("timestep", OnnxModelHeader.INT64, List.of("1"))), h.inputs());
        assertEquals(List.of("out_sample"), h.outputNames());
        assertEquals(17, h.opsetVersion());

        // the same file cut inside the weights: truncated, not garbage
        try (var raf = new java.io.RandomAccessFile(p.toFile(), "rw")) {
            raf.setLength(weights / 2);
        }
        PigmentException e = assertThrows(PigmentException.class, () -> OnnxModelHeader.read(p));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void randomBytesAreRefused() {
        Random random = new Random(42);
        for (int i = 0; i < 200; i++) {
            byte[] garbage = new byte[1 + random.nextInt(5000)];
            random.nextBytes(garbage);
            Path p = Fixtures.write(tmp.resolve("garbage" + i + ".onnx"), garbage);
            PigmentException e = assertThrows(PigmentException.class, () -> OnnxModelHeader.read(p), "garbage " + i);
            assertEquals(ErrorCode.MODEL_INVALID, e.code());
            assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
        }
    }

    @Test
    void textIsRefused() {
        Path p = Fixtures.write(tmp.resolve("model.onnx"), "<html><body>404 Not Found</body></html>\n");
        PigmentException e = assertThrows(PigmentException.class, () -> OnnxModelHeader.read(p));
        assertTrue(e.getMessage().contains("not a valid ONNX model"), e.getMessage());
    }

    @Test
    void everyTruncationIsRefused() {
        // every cut point of a small graph, then a spread of cut points through a larger one
        assertCutsRefused(Fixtures.resource("text_encoder.onnx"), 1);
        assertCutsRefused(Fixtures.resource("unet.onnx"), 37);
        byte[] full = Fixtures.resource("unet.onnx");
        Path half = Fixtures.write(tmp.resolve("half.onnx"), Arrays.copyOf(full, full.length / 2));
        PigmentException e = assertThrows(PigmentException.class, () -> OnnxModelHeader.read(half));
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("fetch the file again"),
                e.getMessage());
    }

    private void assertCutsRefused(byte[] full, int stride) {
        for (int length = 1; length < full.length; length += stride) {
            Path p = Fixtures.write(tmp.resolve("cut.onnx"), Arrays.copyOf(full, length));
            int n = length;
            PigmentException e = assertThrows(PigmentException.class, () -> OnnxModelHeader.read(p), "cut at " + n);
            assertEquals(ErrorCode.MODEL_INVALID, e.code());
        }
    }

    @Test
    void emptyAndLfsPointerFilesSaySo() {
        Path empty = Fixtures.write(tmp.resolve("empty.onnx"), new byte[0]);
        assertTrue(assertThrows(PigmentException.class, () -> OnnxModelHeader.read(empty))
                .getMessage().contains("empty"));
        Path lfs = Fixtures.write(tmp.resolve("lfs.onnx"), ("version https://git-lfs.github.com/spec/v1\n"
                + "oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 1719327893\n")
                .getBytes(StandardCharsets.US_ASCII));
        PigmentException e = assertThrows(PigmentException.class, () -> OnnxModelHeader.read(lfs));
        assertTrue(e.getMessage().contains("Git LFS pointer") && e.getMessage().contains("git lfs pull"), e.getMessage());
    }

    @Test
    void missingFileIsModelInvalid() {
        PigmentException e = assertThrows(PigmentException.class,
                () -> OnnxModelHeader.read(tmp.resolve("nothing.onnx")));
        assertEquals(ErrorCode.MODEL_INVALID, e.code());
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
    }

    @Test
    void elemTypeNames() {
        assertEquals("float16", OnnxModelHeader.elemTypeName(OnnxModelHeader.FLOAT16));
        assertEquals("int64", OnnxModelHeader.elemTypeName(OnnxModelHeader.INT64));
        assertEquals("type99", OnnxModelHeader.elemTypeName(99));
    }
}
