package dev.pigment.core.text;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A prompt as token ids, ready for a text encoder.
 *
 * @param ids token ids padded to the tokenizer's max length
 * @param tokenCount real tokens, special tokens included (the rest of {@code ids} is padding)
 * @param truncated whether the prompt was too long and its end was dropped
 * @param keptText the part of the prompt that survived truncation (the whole prompt when not
 *                 truncated), for telling the user what the model actually saw
 * @param unknownWords words a word-level vocabulary does not know (they all read as one "unknown" token);
 *                     empty for subword tokenizers
 */
public record TokenizedPrompt(int[] ids, int tokenCount, boolean truncated, String keptText, List<String> unknownWords) {

    public TokenizedPrompt(int[] ids, int tokenCount, boolean truncated, String keptText) {
        this(ids, tokenCount, truncated, keptText, List.of());
    }

    public TokenizedPrompt {
        unknownWords = List.copyOf(unknownWords);
        ids = ids.clone();
        if (tokenCount < 0 || tokenCount > ids.length) {
            throw new IllegalArgumentException("tokenCount " + tokenCount + " outside 0.." + ids.length);
        }
        Objects.requireNonNull(keptText, "keptText");
    }

    @Override
    public int[] ids() {
        return ids.clone();
    }

    /** The padded length, i.e. the text encoder's sequence length. */
    public int length() {
        return ids.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TokenizedPrompt t && Arrays.equals(ids, t.ids) && tokenCount == t.tokenCount
                && truncated == t.truncated && keptText.equals(t.keptText) && unknownWords.equals(t.unknownWords);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(ids), tokenCount, truncated, keptText, unknownWords);
    }

    @Override
    public String toString() {
        return "TokenizedPrompt[" + tokenCount + "/" + ids.length + " tokens" + (truncated ? ", truncated" : "")
                + ", ids=" + Arrays.toString(Arrays.copyOf(ids, tokenCount)) + "]";
    }
}
