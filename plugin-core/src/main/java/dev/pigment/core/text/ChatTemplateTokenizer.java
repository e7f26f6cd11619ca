package dev.pigment.core.text;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import dev.pigment.core.api.ErrorCode;
import dev.pigment.core.api.PigmentException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Tokenizes a prompt for an LLM text encoder: the prompt inside the model's chat template, through the model's
 * {@code tokenizer.json}, truncated to the export's limit and never padded. The reference pipelines pad to the
 * limit and then drop the padding (pipeline_z_image.py keeps {@code prompt_embeds[i][prompt_masks[i]]}); with
 * right padding and causal attention, the kept rows equal an unpadded run, so padding is never made at all.
 */
public final class ChatTemplateTokenizer implements AutoCloseable {
    private final HuggingFaceTokenizer tokenizer;
    private final String template;
    private final int maxLength;

    private ChatTemplateTokenizer(HuggingFaceTokenizer tokenizer, String template, int maxLength) {
        this.tokenizer = tokenizer;
        this.template = template;
        this.maxLength = maxLength;
    }

    /**
     * @param template  the chat template with {@code {prompt}} where the prompt goes
     * @param maxLength tokens read at most, template included (Z-Image: 512)
     */
    public static ChatTemplateTokenizer load(Path tokenizerDir, String template, int maxLength) {
        Objects.requireNonNull(template, "template");
        if (!template.contains("{prompt}") || maxLength < 1) {
            throw new IllegalArgumentException("template " + template + " / maxLength " + maxLength);
        }
        Path json = tokenizerDir.resolve("tokenizer.json");
        if (!Files.isRegularFile(json)) {
            throw new PigmentException(ErrorCode.MODEL_INVALID, "The LLM tokenizer needs " + json + ", which is missing."
                    + " Copy tokenizer/tokenizer.json from the model's original repository.");
        }
        // JNA (the tokenizer library's CUDA probe) then loads its native part from the cache, not a new copy.
        dev.pigment.core.runtime.NativeLibraryCache.useForBindings();
        try {
            return new ChatTemplateTokenizer(HuggingFaceTokenizer.newInstance(json, Map.of("addSpecialTokens", "true",
                    "padding", "false", "truncation", "false")), template, maxLength);
        } catch (IOException | RuntimeException e) {
            throw new PigmentException(ErrorCode.MODEL_INVALID, "The tokenizer " + json + " could not be loaded ("
                    + e.getMessage() + "). It may be damaged or of an unsupported type; copy it again.", e);
        }
    }

    public int maxLength() {
        return maxLength;
    }

    /**
     * The prompt inside the chat template, exactly as transformers' {@code apply_chat_template} renders Qwen3's
     * template for one user message with {@code add_generation_prompt=True, enable_thinking=True} (what
     * pipeline_z_image.py asks for): the prompt verbatim, nothing escaped, stripped or normalised (ChatTemplateParityTest
     * compares this with the real template rendered by jinja2).
     */
    public String render(String prompt) {
        Objects.requireNonNull(prompt, "prompt");
        return template.replace("{prompt}", prompt);
    }

    /** The templated prompt as ids (no padding); {@code tokenCount == ids.length}. */
    public TokenizedPrompt tokenize(String prompt) {
        String text = render(prompt);
        Encoding encoding = tokenizer.encode(text);
        long[] all = encoding.getIds();
        int n = Math.min(all.length, maxLength);
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = Math.toIntExact(all[i]);
        }
        boolean truncated = all.length > maxLength;
        String kept = truncated ? keptPrompt(prompt, encoding.getCharTokenSpans(), n) : prompt;
        return new TokenizedPrompt(ids, n, truncated, kept);
    }

    /** The part of the prompt inside the first n tokens (spans count code points of the templated text). */
    private String keptPrompt(String prompt, CharSpan[] spans, int n) {
        int start = template.codePointCount(0, template.indexOf("{prompt}"));
        int end = start;
        for (int i = n - 1; i >= 0; i--) {
            if (spans[i] != null) {
                end = spans[i].getEnd();
                break;
            }
        }
        int codePoints = prompt.codePointCount(0, prompt.length());
        int keep = Math.min(Math.max(end - start, 0), codePoints);
        return prompt.substring(0, prompt.offsetByCodePoints(0, keep)).strip();
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
