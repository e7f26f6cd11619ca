package dev.pigment.core.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.pigment.core.model.ExportConventions;
import dev.pigment.core.runtime.OnnxComponent;
import dev.pigment.core.runtime.RuntimeOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The text encoder on its own: Pigment's chat template, tokenizer and ONNX text encoder against hidden_states[-2]
 * of transformers' real Qwen3 decoder layers (modeling_qwen3.py run by models/export/qwen3_reference.py with the
 * fixture's weights; reference/text_encoder.json, made by src/test/fixtures/make_tiny_zimage.py).
 */
class QwenTextEncoderParityTest {
    @Test
    void hiddenStatesMatchTransformersQwen3ForTheKeptTokens() throws Exception {
        Path root = Path.of(QwenTextEncoderParityTest.class.getResource("/zimage").toURI());
        JsonObject ref = JsonParser.parseString(Files.readString(root.resolve("reference/text_encoder.json")))
                .getAsJsonObject();
        Path model = root.resolve("tiny-zimage");
        try (ChatTemplateTokenizer tokenizer = ChatTemplateTokenizer.load(model.resolve("tokenizer"),
                ExportConventions.QWEN_TEMPLATE, 512);
             OnnxComponent encoder = new OnnxComponent("text_encoder", model.resolve("text_encoder/model.onnx"),
                     RuntimeOptions.defaults().withThreads(1))) {
            LlmPromptEncoder prompts = new LlmPromptEncoder(tokenizer, () -> {
                encoder.load();
                return encoder;
            });
            for (JsonElement e : ref.getAsJsonArray("rows")) {
                JsonObject row = e.getAsJsonObject();
                EncodedPrompt p = prompts.encode(row.get("prompt").getAsString());
                JsonArray ids = row.getAsJsonArray("ids");
                int[] expectedIds = new int[ids.size()];
                for (int i = 0; i < expectedIds.length; i++) {
                    expectedIds[i] = ids.get(i).getAsInt();
                }
                assertArrayEquals(expectedIds, p.tokens().ids(), "token ids of \"" + row.get("prompt").getAsString() + "\"");
                JsonArray want = row.getAsJsonArray("hidden_states");
                assertEquals(want.size(), p.hiddenStates().length);
                double worst = 0;
                for (int i = 0; i < want.size(); i++) {
                    worst = Math.max(worst, Math.abs(want.get(i).getAsDouble() - p.hiddenStates()[i]));
                }
                assertTrue(worst < 1e-4, "max |difference| " + worst);
            }
        }
    }
}
