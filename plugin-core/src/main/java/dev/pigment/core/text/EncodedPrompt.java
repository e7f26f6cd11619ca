package dev.pigment.core.text;

import java.util.Arrays;
import java.util.Objects;

/**
 * A text encoder's output for one prompt: {@code hiddenStates} is row-major
 * {@code [sequenceLength, hiddenSize]} (batch 1), the {@code encoder_hidden_states} a UNet takes.
 * Immutable by convention: the array is not copied.
 */
public record EncodedPrompt(float[] hiddenStates, int sequenceLength, int hiddenSize, TokenizedPrompt tokens) {

    public EncodedPrompt {
        Objects.requireNonNull(hiddenStates, "hiddenStates");
        Objects.requireNonNull(tokens, "tokens");
        if (sequenceLength <= 0 || hiddenSize <= 0
                || (long) sequenceLength * hiddenSize != hiddenStates.length) {
            throw new IllegalArgumentException("hidden states of length " + hiddenStates.length + " are not "
                    + sequenceLength + " x " + hiddenSize);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EncodedPrompt e && sequenceLength == e.sequenceLength && hiddenSize == e.hiddenSize
                && Arrays.equals(hiddenStates, e.hiddenStates) && tokens.equals(e.tokens);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(hiddenStates), sequenceLength, hiddenSize, tokens);
    }

    @Override
    public String toString() {
        return "EncodedPrompt[" + sequenceLength + "x" + hiddenSize + ", " + tokens + "]";
    }
}
