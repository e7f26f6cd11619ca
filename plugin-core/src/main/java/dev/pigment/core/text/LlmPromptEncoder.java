package dev.pigment.core.text;

import dev.pigment.core.api.ErrorCode;
import dev.pigment.core.api.PigmentException;
import dev.pigment.core.runtime.OnnxComponent;
import dev.pigment.core.runtime.Tensor;
import dev.pigment.core.runtime.TensorSpec;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Prompt encoding for LLM text encoders (Qwen3 for Z-Image): the chat-templated prompt, unpadded, through a text
 * encoder export whose output is the hidden state the DiT reads ({@code hidden_states[-2]} for Z-Image, selected
 * by the export). An {@code attention_mask} input, when the export has one, is all ones.
 */
public final class LlmPromptEncoder implements PromptEncoder {
    static final String INPUT_IDS = "input_ids";
    static final String ATTENTION_MASK = "attention_mask";

    private final ChatTemplateTokenizer tokenizer;
    private final Supplier<OnnxComponent> textEncoder;

    public LlmPromptEncoder(ChatTemplateTokenizer tokenizer, Supplier<OnnxComponent> textEncoder) {
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
        this.textEncoder = Objects.requireNonNull(textEncoder, "textEncoder");
    }

    @Override
    public EncodedPrompt encode(String prompt) {
        TokenizedPrompt tokens = tokenizer.tokenize(prompt);
        int n = tokens.tokenCount();
        if (n == 0) {
            throw new PigmentException(ErrorCode.MODEL_INVALID, "The chat template and tokenizer made no tokens at all;"
                    + " check prompt_template in pigment.json.");
        }
        OnnxComponent encoder = textEncoder.get();
        TensorSpec idsSpec = encoder.input(INPUT_IDS).orElseThrow(() -> new PigmentException(ErrorCode.MODEL_INVALID,
                "The text encoder " + encoder.file() + " has no '" + INPUT_IDS + "' input (it has " + encoder.inputs()
                        + "); see docs/models.md for the inputs Pigment feeds."));
        Map<String, Tensor> inputs = new HashMap<>();
        inputs.put(INPUT_IDS, ids(idsSpec, tokens.ids(), encoder));
        encoder.input(ATTENTION_MASK).ifPresent(spec -> {
            int[] ones = new int[n];
            Arrays.fill(ones, 1);
            inputs.put(ATTENTION_MASK, ids(spec, ones, encoder));
        });
        Map<String, Tensor> outputs = encoder.run(inputs);
        Tensor hidden = outputs.containsKey("hidden_states") ? outputs.get("hidden_states") : outputs.values().iterator().next();
        long[] shape = hidden.shape();
        if (shape.length != 3 || shape[0] != 1 || shape[1] != n || hidden.floats() == null) {
            throw new PigmentException(ErrorCode.MODEL_INVALID, "The text encoder " + encoder.file() + " returned "
                    + hidden + " for " + n + " tokens, where hidden states [1, " + n + ", width] were expected.");
        }
        return new EncodedPrompt(hidden.floats(), n, Math.toIntExact(shape[2]), tokens);
    }

    private static Tensor ids(TensorSpec spec, int[] ids, OnnxComponent encoder) {
        return switch (spec.type()) {
            case INT32 -> Tensor.ofInts(ids, 1, ids.length);
            case INT64 -> Tensor.ofLongs(Arrays.stream(ids).asLongStream().toArray(), 1, ids.length);
            default -> throw new PigmentException(ErrorCode.MODEL_INVALID, "The text encoder " + encoder.file()
                    + " declares " + spec + "; token ids must be int32 or int64.");
        };
    }
}
