package dev.pigment.core.text;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.pigment.core.api.ErrorCode;
import dev.pigment.core.api.PigmentException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A model's {@code tokenizer/} folder, through DJL's HuggingFace tokenizers (the native Rust
 * library, no network).
 *
 * <p>Accepts {@code tokenizer.json} (any HuggingFace tokenizer: CLIP BPE, the demo model's
 * WordLevel...) or CLIP's {@code vocab.json} + {@code merges.txt}, converted in memory. The max
 * length is {@code model_max_length} from {@code tokenizer_config.json} (77 when absent).
 * Truncation and padding are done here rather than by the native tokenizer so that the caller
 * learns whether and where the prompt was cut: the prompt's tokens are cut, the special tokens
 * around them are kept, as HuggingFace truncation does.
 *
 * <p>The pad id is, in order: the {@code pad_id} of a {@code padding} section in tokenizer.json;
 * the id of {@code pad_token} from tokenizer_config.json / special_tokens_map.json (CLIP for SD 1.x
 * pads with {@code <|endoftext|>}, SD 2.x's tokenizer with {@code !}, as diffusers does); the
 * end-of-text token; 0.
 */
public final class PromptTokenizer implements AutoCloseable {
    static final int DEFAULT_MAX_LENGTH = 77;
    /** transformers writes 1e30 ("VERY_LARGE_INTEGER") when a tokenizer has no real limit. */
    private static final long NO_REAL_LIMIT = 1_000_000;

    private final HuggingFaceTokenizer tokenizer;
    private final int maxLength;
    private final int padId;
    /** The unknown-word id of a word-level vocabulary, -1 for subword tokenizers (they never lose a word). */
    private final int unknownId;

    private PromptTokenizer(HuggingFaceTokenizer tokenizer, int maxLength, int padId, int unknownId) {
        this.tokenizer = tokenizer;
        this.maxLength = maxLength;
        this.padId = padId;
        this.unknownId = unknownId;
    }

    /**
     * Loads a tokenizer folder.
     *
     * @throws PigmentException {@link ErrorCode#MODEL_INVALID} when the folder is missing, unreadable
     *         or holds neither tokenizer.json nor vocab.json + merges.txt
     */
    public static PromptTokenizer load(Path tokenizerDir) {
        Objects.requireNonNull(tokenizerDir, "tokenizerDir");
        if (!Files.isDirectory(tokenizerDir)) {
            throw invalid("The tokenizer folder " + tokenizerDir + " does not exist. The model folder is incomplete: "
                    + "copy or download the model again.", null);
        }
        JsonObject config = readOptionalJson(tokenizerDir.resolve("tokenizer_config.json"));
        JsonObject specialMap = readOptionalJson(tokenizerDir.resolve("special_tokens_map.json"));
        JsonObject tokenizerJson = readTokenizerJson(tokenizerDir, config, specialMap);

        int maxLength = maxLength(config, tokenizerDir);
        int padId = padId(tokenizerJson, config, specialMap);
        // JNA (the tokenizer library's CUDA probe) then loads its native part from the cache, not a new copy.
        dev.pigment.core.runtime.NativeLibraryCache.useForBindings();
        HuggingFaceTokenizer native_;
        try {
            // Padding and truncation off: done in tokenize() so truncation can be reported.
            native_ = HuggingFaceTokenizer.newInstance(
                    new ByteArrayInputStream(tokenizerJson.toString().getBytes(StandardCharsets.UTF_8)),
                    Map.of("addSpecialTokens", "true", "padding", "false", "truncation", "false"));
        } catch (IOException | RuntimeException e) {
            throw invalid("The tokenizer in " + tokenizerDir + " could not be loaded (" + e.getMessage()
                    + "). Its files may be damaged or from an unsupported tokenizer type.", e);
        }
        return new PromptTokenizer(native_, maxLength, padId, wordLevelUnknownId(tokenizerJson));
    }

    /** A WordLevel model's {@code unk_token} id: words outside its vocabulary all become that one token. */
    private static int wordLevelUnknownId(JsonObject tokenizerJson) {
        JsonElement model = tokenizerJson.get("model");
        if (model == null || !model.isJsonObject()) {
            return -1;
        }
        JsonObject m = model.getAsJsonObject();
        JsonElement type = m.get("type");
        JsonElement unk = m.get("unk_token");
        if (type == null || !"WordLevel".equals(type.getAsString()) || unk == null || !unk.isJsonPrimitive()) {
            return -1;
        }
        return idOf(tokenizerJson, unk.getAsString()).orElse(-1);
    }

    /** The sequence length every {@link TokenizedPrompt} is padded to. */
    public int maxLength() {
        return maxLength;
    }

    public int padId() {
        return padId;
    }

    /** Tokenizes, truncates to {@link #maxLength()} keeping the special tokens, and pads. */
    public TokenizedPrompt tokenize(String prompt) {
        Objects.requireNonNull(prompt, "prompt");
        Encoding encoding = tokenizer.encode(prompt);
        long[] ids = encoding.getIds();
        long[] special = encoding.getSpecialTokenMask();
        int n = ids.length;
        int lead = 0;
        while (lead < n && special[lead] == 1) {
            lead++;
        }
        int trail = 0;
        while (trail < n - lead && special[n - 1 - trail] == 1) {
            trail++;
        }
        int content = n - lead - trail;

        int keepContent = content;
        boolean truncated = n > maxLength;
        if (truncated) {
            keepContent = Math.max(0, maxLength - lead - trail);
        }
        int[] out = new int[maxLength];
        Arrays.fill(out, padId);
        int pos = 0;
        for (int i = 0; i < lead + keepContent && pos < maxLength; i++) {
            out[pos++] = Math.toIntExact(ids[i]);
        }
        for (int i = n - trail; i < n && pos < maxLength; i++) {
            out[pos++] = Math.toIntExact(ids[i]);
        }
        String kept = truncated ? keptText(prompt, encoding.getCharTokenSpans(), lead, keepContent) : prompt;
        return new TokenizedPrompt(out, pos, truncated, kept, unknownWords(prompt, ids, encoding.getCharTokenSpans()));
    }

    @Override
    public void close() {
        tokenizer.close();
    }

    // ------------------------------------------------------------------------------------------

    /** The words of {@code prompt} that a word-level vocabulary does not know, in order, each once. */
    private List<String> unknownWords(String prompt, long[] ids, CharSpan[] spans) {
        if (unknownId < 0) {
            return List.of();
        }
        java.util.LinkedHashSet<String> words = new java.util.LinkedHashSet<>();
        for (int i = 0; i < ids.length; i++) {
            CharSpan span = spans[i];
            if (ids[i] == unknownId && span != null && span.getEnd() > span.getStart()) {
                int from = prompt.offsetByCodePoints(0, Math.min(span.getStart(), prompt.codePointCount(0, prompt.length())));
                int to = prompt.offsetByCodePoints(0, Math.min(span.getEnd(), prompt.codePointCount(0, prompt.length())));
                words.add(prompt.substring(from, to));
            }
        }
        return List.copyOf(words);
    }

    private static String keptText(String prompt, CharSpan[] spans, int lead, int keepContent) {
        if (keepContent == 0) {
            return "";
        }
        CharSpan last = spans[lead + keepContent - 1];
        if (last == null) {
            return "";
        }
        // The native tokenizer counts Unicode characters; Java strings count UTF-16 units.
        int codePoints = prompt.codePointCount(0, prompt.length());
        int end = Math.min(Math.max(last.getEnd(), 0), codePoints);
        return prompt.substring(0, prompt.offsetByCodePoints(0, end)).strip();
    }

    private static JsonObject readTokenizerJson(Path dir, JsonObject config, JsonObject specialMap) {
        Path json = dir.resolve("tokenizer.json");
        if (Files.isRegularFile(json)) {
            return readJson(json);
        }
        Path vocab = dir.resolve("vocab.json");
        Path merges = dir.resolve("merges.txt");
        if (Files.isRegularFile(vocab) && Files.isRegularFile(merges)) {
            String bos = token(config, specialMap, "bos_token").orElse("<|startoftext|>");
            String eos = token(config, specialMap, "eos_token").orElse("<|endoftext|>");
            String unk = token(config, specialMap, "unk_token").orElse(eos);
            try {
                return ClipBpeTokenizerJson.build(readJson(vocab), Files.readAllLines(merges, StandardCharsets.UTF_8),
                        bos, eos, unk, dir);
            } catch (IOException e) {
                throw invalid("Could not read " + merges + " (" + e.getMessage() + ").", e);
            }
        }
        throw invalid("The tokenizer folder " + dir + " holds neither tokenizer.json nor vocab.json + merges.txt. "
                + "Copy the model's tokenizer folder again.", null);
    }

    private static int maxLength(JsonObject config, Path dir) {
        JsonElement value = config.get("model_max_length");
        if (value == null || value.isJsonNull()) {
            return DEFAULT_MAX_LENGTH;
        }
        double length;
        try {
            length = value.getAsDouble();
        } catch (RuntimeException e) {
            throw invalid("model_max_length in " + dir.resolve("tokenizer_config.json") + " is not a number: "
                    + value + ".", e);
        }
        if (length >= NO_REAL_LIMIT) {
            return DEFAULT_MAX_LENGTH;
        }
        if (length < 2 || length != Math.rint(length)) {
            throw invalid("model_max_length in " + dir.resolve("tokenizer_config.json") + " is " + value
                    + "; it must be a whole number of at least 2.", null);
        }
        return (int) length;
    }

    private static int padId(JsonObject tokenizerJson, JsonObject config, JsonObject specialMap) {
        JsonElement padding = tokenizerJson.get("padding");
        if (padding != null && padding.isJsonObject() && padding.getAsJsonObject().has("pad_id")) {
            return padding.getAsJsonObject().get("pad_id").getAsInt();
        }
        Optional<Integer> pad = token(config, specialMap, "pad_token").flatMap(t -> idOf(tokenizerJson, t));
        if (pad.isPresent()) {
            return pad.get();
        }
        return token(config, specialMap, "eos_token").or(() -> Optional.of("<|endoftext|>"))
                .flatMap(t -> idOf(tokenizerJson, t)).orElse(0);
    }

    /** A token's id as the vocabulary says (not as encoding would split it: SD 2 pads with "!", id 0). */
    private static Optional<Integer> idOf(JsonObject tokenizerJson, String token) {
        JsonElement added = tokenizerJson.get("added_tokens");
        if (added != null && added.isJsonArray()) {
            for (JsonElement e : added.getAsJsonArray()) {
                JsonObject o = e.getAsJsonObject();
                if (token.equals(o.get("content").getAsString())) {
                    return Optional.of(o.get("id").getAsInt());
                }
            }
        }
        JsonElement model = tokenizerJson.get("model");
        if (model != null && model.isJsonObject()) {
            JsonElement vocab = model.getAsJsonObject().get("vocab");
            if (vocab != null && vocab.isJsonObject() && vocab.getAsJsonObject().has(token)) {
                return Optional.of(vocab.getAsJsonObject().get(token).getAsInt());
            }
        }
        return Optional.empty();
    }

    /** A special token from tokenizer_config.json or special_tokens_map.json: a string or {"content": ...}. */
    private static Optional<String> token(JsonObject config, JsonObject specialMap, String key) {
        for (JsonObject source : new JsonObject[] {config, specialMap}) {
            JsonElement value = source.get(key);
            if (value == null || value.isJsonNull()) {
                continue;
            }
            if (value.isJsonPrimitive()) {
                return Optional.of(value.getAsString());
            }
            if (value.isJsonObject() && value.getAsJsonObject().has("content")) {
                return Optional.of(value.getAsJsonObject().get("content").getAsString());
            }
        }
        return Optional.empty();
    }

    private static JsonObject readOptionalJson(Path file) {
        return Files.isRegularFile(file) ? readJson(file) : new JsonObject();
    }

    private static JsonObject readJson(Path file) {
        try {
            JsonElement parsed = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
            if (!parsed.isJsonObject()) {
                throw invalid(file + " is not a JSON object. The tokenizer files are damaged; copy them again.", null);
            }
            return parsed.getAsJsonObject();
        } catch (IOException e) {
            throw invalid("Could not read " + file + " (" + e.getMessage() + "). Check that it is readable.", e);
        } catch (JsonParseException e) {
            throw invalid(file + " is not valid JSON (" + e.getMessage() + "). The tokenizer files are damaged; "
                    + "copy them again.", e);
        }
    }

    private static PigmentException invalid(String message, Throwable cause) {
        return cause == null ? new PigmentException(ErrorCode.MODEL_INVALID, message)
                : new PigmentException(ErrorCode.MODEL_INVALID, message, cause);
    }
}
