package dev.pigment.core.text;

import dev.pigment.core.api.ErrorCode;
import dev.pigment.core.api.PigmentException;
import dev.pigment.core.runtime.OnnxComponent;
import dev.pigment.core.runtime.Tensor;
import dev.pigment.core.runtime.TensorSpec;

import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * CLIP-style prompt encoding as diffusers' ONNX pipelines do it: tokenize to the tokenizer's max
 * length (77 for CLIP), run {@code text_encoder} on {@code input_ids} (batch 1, int32 or int64 as
 * the model declares) and return {@code last_hidden_state} (or the model's first output when it
 * has no output of that name).
 *
 * <p>The text encoder is fetched from the supplier on every call, so a
 * {@link dev.pigment.core.runtime.ComponentGroup} can apply its memory policy.
 */
public final class ClipPromptEncoder implements PromptEncoder {
    static final String INPUT_IDS = "input_ids";
    static final String LAST_HIDDEN_STATE = "last_hidden_state";

    private final PromptTokenizer tokenizer;
    private final Supplier<OnnxComponent> textEncoder;

    public ClipPromptEncoder(PromptTokenizer tokenizer, Supplier<OnnxComponent> textEncoder) {
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
        this.textEncoder = Objects.requireNonNull(textEncoder, "textEncoder");
    }

    @Override
    public EncodedPrompt encode(String prompt) {
        TokenizedPrompt tokens = tokenizer.tokenize(prompt);
        OnnxComponent encoder = textEncoder.get();
        TensorSpec idsSpec = encoder.input(INPUT_IDS).orElseThrow(() -> new PigmentException(ErrorCode.MODEL_INVALID,
                "The text encoder " + encoder.file() + " has no '" + INPUT_IDS + "' input (it has "
                        + encoder.inputs() + "). It is not a CLIP text encoder export."));
        int length = tokens.length();
        if (idsSpec.rank() != 2 || (!idsSpec.isDynamic(1) && idsSpec.dim(1) != length)) {
            throw new PigmentException(ErrorCode.MODEL_INVALID, "The text encoder " + encoder.file()
                    + " expects " + idsSpec + " but its tokenizer makes sequences of " + length
                    + " tokens. The tokenizer and text encoder folders do not belong together.");
        }
        int[] ids = tokens.ids();
        Tensor input = switch (idsSpec.type()) {
            case INT32 -> Tensor.ofInts(ids, 1, length);
            case INT64 -> {
                long[] wide = new long[length];
                for (int i = 0; i < length; i++) {
                    wide[i] = ids[i];
                }
                yield Tensor.ofLongs(wide, 1, length);
            }
            default -> throw new PigmentException(ErrorCode.MODEL_INVALID, "The text encoder " + encoder.file()
                    + " declares " + idsSpec + "; token ids must be int32 or int64.");
        };
        Map<String, Tensor> outputs = encoder.run(Map.of(INPUT_IDS, input));
        Tensor hidden = outputs.containsKey(LAST_HIDDEN_STATE) ? outputs.get(LAST_HIDDEN_STATE)
                : outputs.values().iterator().next();
        long[] shape = hidden.shape();
        if (shape.length != 3 || shape[0] != 1 || hidden.floats() == null) {
            throw new PigmentException(ErrorCode.MODEL_INVALID, "The text encoder " + encoder.file()
                    + " returned " + hidden + " where hidden states [1, sequence, width] were expected.");
        }
        return new EncodedPrompt(hidden.floats(), Math.toIntExact(shape[1]), Math.toIntExact(shape[2]), tokens);
    }
}
