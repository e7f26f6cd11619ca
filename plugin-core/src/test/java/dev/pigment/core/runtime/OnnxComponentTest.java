package dev.pigment.core.runtime;

import com.google.gson.JsonObject;
import dev.pigment.core.api.ErrorCode;
import dev.pigment.core.api.PigmentException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.pigment.core.runtime.TinyModels.floats;
import static dev.pigment.core.runtime.TinyModels.maxAbsDiff;
import static dev.pigment.core.runtime.TinyModels.model;
import static dev.pigment.core.runtime.TinyModels.pattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OnnxComponentTest {
    private static final RuntimeOptions OPTIONS = RuntimeOptions.defaults().withThreads(1);
    private static final JsonObject REF = TinyModels.reference();

    private static OnnxComponent open(String folder, String component) {
        return new OnnxComponent(component, model(folder, component), OPTIONS);
    }

    private static Map<String, Tensor> unetFeeds(int channels, Tensor timestep) {
        Map<String, Tensor> feeds = new HashMap<>();
        feeds.put("sample", Tensor.ofFloats(pattern(channels * 64, channels == 9 ? 3 : 1), 1, channels, 8, 8));
        feeds.put("timestep", timestep);
        feeds.put("encoder_hidden_states", Tensor.ofFloats(pattern(77 * 32, 2), 1, 77, 32));
        return feeds;
    }

    @Test
    void discoversNamesTypesAndDynamicAxes() {
        try (OnnxComponent unet = open("tiny-sd", "unet");
             OnnxComponent inpaint = open("tiny-sd-inpaint", "unet");
             OnnxComponent text = open("tiny-sd", "text_encoder");
             OnnxComponent fp16 = open("tiny-sd-fp16", "unet")) {
            assertEquals(List.of(
                    new TensorSpec("sample", TensorType.FLOAT32, new long[] {-1, 4, -1, -1}),
                    new TensorSpec("timestep", TensorType.INT64, new long[] {-1}),
                    new TensorSpec("encoder_hidden_states", TensorType.FLOAT32, new long[] {-1, -1, 32})),
                    unet.inputs());
            assertEquals(List.of(new TensorSpec("out_sample", TensorType.FLOAT32, new long[] {-1, 4, -1, -1})),
                    unet.outputs());
            assertEquals(9, inpaint.input("sample").orElseThrow().dim(1));
            assertEquals(TensorType.FLOAT32, inpaint.input("timestep").orElseThrow().type());
            assertEquals(new TensorSpec("input_ids", TensorType.INT32, new long[] {-1, -1}), text.inputs().get(0));
            assertEquals(List.of("last_hidden_state", "pooler_output"),
                    text.outputs().stream().map(TensorSpec::name).toList());
            assertEquals(TensorType.FLOAT16, fp16.input("sample").orElseThrow().type());
            assertEquals(TensorType.FLOAT16, fp16.input("timestep").orElseThrow().type());
            assertEquals(TensorType.FLOAT16, fp16.outputs().get(0).type());
            assertTrue(unet.input("nope").isEmpty());
        }
    }

    @Test
    void unetMatchesNumpyReferenceWithInt64Timestep() {
        JsonObject ref = REF.getAsJsonObject("unet");
        try (OnnxComponent unet = open("tiny-sd", "unet")) {
            Tensor out = unet.run(unetFeeds(4, Tensor.ofLongs(new long[] {981}, 1))).get("out_sample");
            assertArrayEquals(new long[] {1, 4, 8, 8}, out.shape());
            assertEquals(TensorType.FLOAT32, out.type());
            assertTrue(maxAbsDiff(floats(ref.getAsJsonArray("out_sample")), out.floats()) < 1e-5);

            // A float timestep is rounded into the model's int64 input; an int32 one is widened.
            Tensor asFloat = unet.run(unetFeeds(4, Tensor.ofFloats(new float[] {980.6f}, 1))).get("out_sample");
            Tensor asInt = unet.run(unetFeeds(4, Tensor.ofInts(new int[] {981}, 1))).get("out_sample");
            assertArrayEquals(out.floats(), asFloat.floats());
            assertArrayEquals(out.floats(), asInt.floats());

            Tensor early = unet.run(unetFeeds(4, Tensor.ofLongs(new long[] {1}, 1))).get("out_sample");
            assertTrue(maxAbsDiff(floats(ref.getAsJsonArray("out_sample_t1")), early.floats()) < 1e-5);
        }
    }

    @Test
    void inpaintUnetTakesAFloatTimestep() {
        JsonObject ref = REF.getAsJsonObject("unet_inpaint");
        try (OnnxComponent unet = open("tiny-sd-inpaint", "unet")) {
            Tensor out = unet.run(unetFeeds(9, Tensor.ofFloats(new float[] {500.5f}, 1))).get("out_sample");
            assertTrue(maxAbsDiff(floats(ref.getAsJsonArray("out_sample")), out.floats()) < 1e-5);
            // A long timestep becomes a float one: 500 differs from 500.5, so the output must differ.
            Tensor whole = unet.run(unetFeeds(9, Tensor.ofLongs(new long[] {500}, 1))).get("out_sample");
            assertNotEquals(0.0, maxAbsDiff(out.floats(), whole.floats()));
        }
    }

    @Test
    void float16ModelTakesAndReturnsFloat32OnTheHost() {
        JsonObject ref = REF.getAsJsonObject("unet");
        try (OnnxComponent unet = open("tiny-sd-fp16", "unet");
             OnnxComponent decoder = open("tiny-sd-fp16", "vae_decoder")) {
            Tensor out = unet.run(unetFeeds(4, Tensor.ofLongs(new long[] {981}, 1))).get("out_sample");
            assertEquals(TensorType.FLOAT32, out.type());
            double diff = maxAbsDiff(floats(ref.getAsJsonArray("out_sample")), out.floats());
            // Inputs, weights and output pass through float16 (11-bit mantissa): close, not equal.
            assertTrue(diff < 2e-2, "fp16 unet differs from the fp32 reference by " + diff);
            assertTrue(diff > 0, "fp16 rounding left no trace: the float16 path was not exercised");

            Tensor image = decoder.run(Map.of("latent_sample", Tensor.ofFloats(pattern(256, 1), 1, 4, 8, 8)))
                    .get("sample");
            assertArrayEquals(new long[] {1, 3, 64, 64}, image.shape());
            double d = maxAbsDiff(floats(REF.getAsJsonObject("vae_decoder").getAsJsonArray("sample")), image.floats());
            assertTrue(d < 2e-2, "fp16 decoder differs by " + d);
        }
    }

    @Test
    void textEncoderMatchesReferenceFromIntOrLongIds() {
        JsonObject ref = REF.getAsJsonObject("text_encoder");
        long[] ids = ref.getAsJsonArray("input_ids").asList().stream().mapToLong(e -> e.getAsLong()).toArray();
        int[] intIds = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            intIds[i] = (int) ids[i];
        }
        try (OnnxComponent text = open("tiny-sd", "text_encoder")) {
            Map<String, Tensor> fromLongs = text.run(Map.of("input_ids", Tensor.ofLongs(ids, 1, 77)));
            Map<String, Tensor> fromInts = text.run(Map.of("input_ids", Tensor.ofInts(intIds, 1, 77)));
            assertEquals(List.of("last_hidden_state", "pooler_output"), List.copyOf(fromLongs.keySet()));
            assertArrayEquals(new long[] {1, 77, 32}, fromLongs.get("last_hidden_state").shape());
            assertTrue(maxAbsDiff(floats(ref.getAsJsonArray("last_hidden_state")),
                    fromLongs.get("last_hidden_state").floats()) < 1e-4);
            assertTrue(maxAbsDiff(floats(ref.getAsJsonArray("pooler_output")),
                    fromLongs.get("pooler_output").floats()) < 1e-4);
            assertArrayEquals(fromLongs.get("last_hidden_state").floats(), fromInts.get("last_hidden_state").floats());
        }
    }

    @Test
    void vaeMatchesReference() {
        try (OnnxComponent encoder = open("tiny-sd", "vae_encoder");
             OnnxComponent decoder = open("tiny-sd", "vae_decoder")) {
            Tensor latent = encoder.run(Map.of("sample", Tensor.ofFloats(pattern(3 * 64 * 64, 4), 1, 3, 64, 64)))
                    .get("latent_sample");
            assertArrayEquals(new long[] {1, 4, 8, 8}, latent.shape());
            assertTrue(maxAbsDiff(floats(REF.getAsJsonObject("vae_encoder").getAsJsonArray("latent_sample")),
                    latent.floats()) < 1e-4);
            Tensor image = decoder.run(Map.of("latent_sample", Tensor.ofFloats(pattern(256, 1), 1, 4, 8, 8)))
                    .get("sample");
            assertTrue(maxAbsDiff(floats(REF.getAsJsonObject("vae_decoder").getAsJsonArray("sample")),
                    image.floats()) < 1e-5);
        }
    }

    @Test
    void everyUnetInputChangesTheOutput() {
        try (OnnxComponent unet = open("tiny-sd", "unet")) {
            Map<String, Tensor> base = unetFeeds(4, Tensor.ofLongs(new long[] {500}, 1));
            float[] reference = unet.run(base).get("out_sample").floats();
            for (String input : List.of("sample", "timestep", "encoder_hidden_states")) {
                Map<String, Tensor> changed = new HashMap<>(base);
                Tensor t = base.get(input);
                if (t.type() == TensorType.INT64) {
                    changed.put(input, Tensor.ofLongs(new long[] {t.longs()[0] + 7}, t.shape()));
                } else {
                    float[] copy = t.floats().clone();
                    copy[copy.length / 2] += 0.5f;
                    changed.put(input, Tensor.ofFloats(copy, t.shape()));
                }
                assertNotEquals(0.0, maxAbsDiff(reference, unet.run(changed).get("out_sample").floats()), input);
            }
        }
    }

    @Test
    void batchTwoWithASingleTimestepAsDiffusersOnnxPasses() {
        try (OnnxComponent unet = open("tiny-sd", "unet")) {
            float[] sample = pattern(2 * 4 * 64, 1);
            Map<String, Tensor> feeds = Map.of(
                    "sample", Tensor.ofFloats(sample, 2, 4, 8, 8),
                    "timestep", Tensor.ofLongs(new long[] {981}, 1),
                    "encoder_hidden_states", Tensor.ofFloats(pattern(2 * 77 * 32, 2), 2, 77, 32));
            Tensor out = unet.run(feeds).get("out_sample");
            assertArrayEquals(new long[] {2, 4, 8, 8}, out.shape());
        }
    }

    @Test
    void repeatedRunsAreDeterministicAndTimed() {
        try (OnnxComponent decoder = open("tiny-sd", "vae_decoder")) {
            Map<String, Tensor> feeds = Map.of("latent_sample", Tensor.ofFloats(pattern(256, 1), 1, 4, 8, 8));
            float[] first = decoder.run(feeds).get("sample").floats();
            long afterFirst = decoder.runNanos();
            assertTrue(afterFirst > 0);
            for (int i = 0; i < 300; i++) {
                assertArrayEquals(first, decoder.run(feeds).get("sample").floats());
            }
            assertTrue(decoder.runNanos() > afterFirst);
        }
    }

    @Test
    void loadUnloadAndReload() {
        try (OnnxComponent unet = open("tiny-sd", "unet")) {
            assertFalse(unet.isLoaded());
            unet.load();
            unet.load();
            assertTrue(unet.isLoaded());
            List<TensorSpec> specs = unet.inputs();
            unet.unload();
            assertFalse(unet.isLoaded());
            assertEquals(specs, unet.inputs());
            assertFalse(unet.isLoaded(), "known specs must not force a reload");
            Tensor out = unet.run(unetFeeds(4, Tensor.ofLongs(new long[] {981}, 1))).get("out_sample");
            assertTrue(unet.isLoaded());
            assertEquals(256, out.elementCount());
        }
    }

    @Test
    void missingAndUnknownInputsNameTheRealInputs() {
        try (OnnxComponent unet = open("tiny-sd", "unet")) {
            Map<String, Tensor> feeds = new HashMap<>(unetFeeds(4, Tensor.ofLongs(new long[] {1}, 1)));
            feeds.remove("timestep");
            PigmentException missing = assertThrows(PigmentException.class, () -> unet.run(feeds));
            assertEquals(ErrorCode.MODEL_INVALID, missing.code());
            assertTrue(missing.getMessage().contains("'timestep'"), missing.getMessage());
            assertTrue(missing.getMessage().contains("sample float32[?,4,?,?]"), missing.getMessage());

            feeds.put("t", Tensor.ofLongs(new long[] {1}, 1));
            PigmentException unknown = assertThrows(PigmentException.class, () -> unet.run(feeds));
            assertTrue(unknown.getMessage().contains("no input named 't'"), unknown.getMessage());
            assertTrue(unknown.getMessage().contains("timestep int64[?]"), unknown.getMessage());
        }
    }

    @Test
    void wrongShapeIsReportedBeforeOnnxRuntimeRuns() {
        try (OnnxComponent unet = open("tiny-sd", "unet")) {
            PigmentException e = assertThrows(PigmentException.class,
                    () -> unet.run(unetFeeds(9, Tensor.ofLongs(new long[] {1}, 1))));
            assertEquals(ErrorCode.MODEL_INVALID, e.code());
            assertTrue(e.getMessage().contains("float32[1,9,8,8]"), e.getMessage());
        }
    }

    @Test
    void unconvertibleValueIsABadRequest() {
        try (OnnxComponent unet = open("tiny-sd", "unet")) {
            PigmentException e = assertThrows(PigmentException.class,
                    () -> unet.run(unetFeeds(4, Tensor.ofFloats(new float[] {Float.NaN}, 1))));
            assertEquals(ErrorCode.BAD_REQUEST, e.code());
            assertTrue(e.getMessage().contains("timestep"), e.getMessage());
        }
    }

    @Test
    void garbageFileIsAClearModelInvalid(@TempDir Path dir) throws IOException {
        Path garbage = dir.resolve("model.onnx");
        Files.write(garbage, "this is not a protobuf, just some bytes \u0001\u0002\u00ff".getBytes());
        try (OnnxComponent broken = new OnnxComponent("unet", garbage, OPTIONS)) {
            PigmentException e = assertThrows(PigmentException.class, broken::load);
            assertEquals(ErrorCode.MODEL_INVALID, e.code());
            assertTrue(e.getMessage().contains(garbage.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("download the model again"), e.getMessage());
            assertFalse(broken.isLoaded());
        }
    }

    @Test
    void missingFileIsAClearModelInvalid(@TempDir Path dir) {
        Path absent = dir.resolve("unet").resolve("model.onnx");
        try (OnnxComponent missing = new OnnxComponent("unet", absent, OPTIONS)) {
            PigmentException e = assertThrows(PigmentException.class, missing::inputs);
            assertEquals(ErrorCode.MODEL_INVALID, e.code());
            assertTrue(e.getMessage().contains(absent.toString()) && e.getMessage().contains("does not exist"),
                    e.getMessage());
        }
        try (OnnxComponent folder = new OnnxComponent("unet", dir, OPTIONS)) {
            assertEquals(ErrorCode.MODEL_INVALID, assertThrows(PigmentException.class, folder::load).code());
        }
    }

    @Test
    void closedComponentRefusesToLoad() {
        OnnxComponent unet = open("tiny-sd", "unet");
        unet.load();
        unet.close();
        assertFalse(unet.isLoaded());
        assertThrows(IllegalStateException.class, unet::load);
    }

    @Test
    void everyOptLevelAndThreadSettingGivesTheSameNumbers() {
        Map<String, Tensor> feeds = Map.of("latent_sample", Tensor.ofFloats(pattern(256, 1), 1, 4, 8, 8));
        float[] expected = null;
        for (OptLevel level : OptLevel.values()) {
            RuntimeOptions options = new RuntimeOptions(2, 1, level, MemoryPolicy.KEEP_LOADED);
            try (OnnxComponent decoder = new OnnxComponent("vae_decoder", model("tiny-sd", "vae_decoder"), options)) {
                float[] out = decoder.run(feeds).get("sample").floats();
                if (expected == null) {
                    expected = out;
                } else {
                    assertTrue(maxAbsDiff(expected, out) < 1e-5, level.name());
                }
            }
        }
    }
}
