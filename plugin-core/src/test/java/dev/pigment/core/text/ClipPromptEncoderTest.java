package dev.pigment.core.text;

import dev.pigment.core.api.ErrorCode;
import dev.pigment.core.api.PigmentException;
import dev.pigment.core.runtime.ComponentGroup;
import dev.pigment.core.runtime.MemoryPolicy;
import dev.pigment.core.runtime.OnnxComponent;
import dev.pigment.core.runtime.RuntimeOptions;
import dev.pigment.core.runtime.Tensor;
import dev.pigment.core.runtime.TinyModels;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.pigment.core.runtime.TinyModels.maxAbsDiff;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClipPromptEncoderTest {
    private static final RuntimeOptions OPTIONS = RuntimeOptions.defaults().withThreads(1);

    private static OnnxComponent textEncoder(String folder) {
        return new OnnxComponent("text_encoder", TinyModels.model(folder, "text_encoder"), OPTIONS);
    }

    private static PromptTokenizer tokenizer(String folder) {
        return PromptTokenizer.load(TinyModels.resource("models/" + folder + "/tokenizer"));
    }

    @Test
    void encodesToLastHiddenStateOfTheTokenIds() {
        try (PromptTokenizer tokenizer = tokenizer("tiny-sd"); OnnxComponent te = textEncoder("tiny-sd")) {
            EncodedPrompt e = new ClipPromptEncoder(tokenizer, () -> te).encode("a photo of a red fox");
            assertEquals(77, e.sequenceLength());
            assertEquals(32, e.hiddenSize());
            assertEquals(77 * 32, e.hiddenStates().length);
            assertFalse(e.tokens().truncated());
            Tensor direct = te.run(Map.of("input_ids", Tensor.ofInts(e.tokens().ids(), 1, 77)))
                    .get("last_hidden_state");
            assertArrayEquals(direct.floats(), e.hiddenStates());
        }
    }

    @Test
    void wordOrderAndEveryWordChangeTheEmbedding() {
        try (PromptTokenizer tokenizer = tokenizer("tiny-sd"); OnnxComponent te = textEncoder("tiny-sd")) {
            ClipPromptEncoder encoder = new ClipPromptEncoder(tokenizer, () -> te);
            float[] a = encoder.encode("a red fox on a blue sofa").hiddenStates();
            float[] swapped = encoder.encode("a blue fox on a red sofa").hiddenStates();
            float[] other = encoder.encode("a red fox on a blue chair").hiddenStates();
            assertTrue(maxAbsDiff(a, swapped) > 1e-3);
            assertTrue(maxAbsDiff(a, other) > 1e-3);
            // Same bag of words, different order: the last (padding) position, which sees every token,
            // must differ too, not only the positions of the swapped words.
            float[] tailA = java.util.Arrays.copyOfRange(a, 76 * 32, 77 * 32);
            float[] tailSwapped = java.util.Arrays.copyOfRange(swapped, 76 * 32, 77 * 32);
            assertTrue(maxAbsDiff(tailA, tailSwapped) > 1e-4);
            assertArrayEquals(a, encoder.encode("a red fox on a blue sofa").hiddenStates(), "deterministic");
        }
    }

    @Test
    void emptyPromptGivesTheUnconditionalEmbedding() {
        try (PromptTokenizer tokenizer = tokenizer("tiny-sd"); OnnxComponent te = textEncoder("tiny-sd")) {
            EncodedPrompt empty = new ClipPromptEncoder(tokenizer, () -> te).encode("");
            assertEquals(2, empty.tokens().tokenCount());
            assertEquals(77 * 32, empty.hiddenStates().length);
        }
    }

    @Test
    void longPromptIsEncodedTruncated() {
        try (PromptTokenizer tokenizer = tokenizer("tiny-sd"); OnnxComponent te = textEncoder("tiny-sd")) {
            EncodedPrompt e = new ClipPromptEncoder(tokenizer, () -> te).encode(PromptTokenizerTest.longPrompt(100));
            assertTrue(e.tokens().truncated());
            assertEquals(77, e.sequenceLength());
        }
    }

    @Test
    void float16TextEncoderGivesFloat32HiddenStatesCloseToFloat32Model() {
        try (PromptTokenizer tokenizer = tokenizer("tiny-sd-fp16"); OnnxComponent fp16 = textEncoder("tiny-sd-fp16");
             OnnxComponent fp32 = textEncoder("tiny-sd")) {
            float[] half = new ClipPromptEncoder(tokenizer, () -> fp16).encode("a castle on a mountain").hiddenStates();
            float[] full = new ClipPromptEncoder(tokenizer, () -> fp32).encode("a castle on a mountain").hiddenStates();
            double diff = maxAbsDiff(half, full);
            assertTrue(diff > 0 && diff < 2e-2, "fp16 vs fp32 differ by " + diff);
        }
    }

    @Test
    void worksThroughAOneAtATimeGroup() {
        try (PromptTokenizer tokenizer = tokenizer("tiny-sd-inpaint");
             ComponentGroup group = new ComponentGroup(OPTIONS.withMemoryPolicy(MemoryPolicy.ONE_AT_A_TIME))) {
            group.add("text_encoder", TinyModels.model("tiny-sd-inpaint", "text_encoder"));
            OnnxComponent unet = group.add("unet", TinyModels.model("tiny-sd-inpaint", "unet"));
            ClipPromptEncoder encoder = new ClipPromptEncoder(tokenizer, () -> group.acquire("text_encoder"));
            float[] first = encoder.encode("a cat").hiddenStates();
            group.acquire("unet");
            assertTrue(unet.isLoaded());
            float[] second = encoder.encode("a cat").hiddenStates();
            assertFalse(unet.isLoaded(), "encoding must have unloaded the UNet");
            assertArrayEquals(first, second);
        }
    }

    @Test
    void mismatchedTokenizerLengthIsReported() {
        try (PromptTokenizer words = PromptTokenizer.load(TinyModels.resource("tokenizers/wordlevel"));
             OnnxComponent te = textEncoder("tiny-sd")) {
            // The tiny text encoder has a dynamic sequence axis, so 16 tokens run fine...
            assertEquals(16, new ClipPromptEncoder(words, () -> te).encode("a cat").sequenceLength());
        }
        try (PromptTokenizer tokenizer = tokenizer("tiny-sd");
             OnnxComponent unet = new OnnxComponent("unet", TinyModels.model("tiny-sd", "unet"), OPTIONS)) {
            // ...but a component without input_ids is not a text encoder.
            PigmentException e = assertThrows(PigmentException.class,
                    () -> new ClipPromptEncoder(tokenizer, () -> unet).encode("a cat"));
            assertEquals(ErrorCode.MODEL_INVALID, e.code());
            assertTrue(e.getMessage().contains("input_ids"), e.getMessage());
        }
    }
}
