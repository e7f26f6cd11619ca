package dev.pigment.core.text;

import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import dev.pigment.core.api.ErrorCode;
import dev.pigment.core.api.PigmentException;

import java.nio.file.Path;
import java.util.List;

/**
 * Builds the HuggingFace {@code tokenizer.json} that transformers' {@code CLIPConverter} would make
 * from a CLIP {@code vocab.json} + {@code merges.txt} (the files diffusers' ONNX exports ship), so
 * the same native tokenizer handles both layouts: NFC + whitespace collapsing + lowercase, CLIP's
 * split pattern, byte-level mapping, BPE with a {@code </w>} end-of-word suffix, and
 * {@code <|startoftext|> ... <|endoftext|>} around every prompt.
 */
final class ClipBpeTokenizerJson {
    /** CLIP's pre-tokenizer pattern (transformers' CLIPConverter). */
    static final String SPLIT_PATTERN = "'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+";

    private ClipBpeTokenizerJson() {
    }

    /**
     * @param vocab {@code vocab.json}: token to id
     * @param merges the lines of {@code merges.txt}, header included
     */
    static JsonObject build(JsonObject vocab, List<String> merges, String bos, String eos, String unk, Path folder) {
        int bosId = idOf(vocab, bos, "bos_token", folder);
        int eosId = idOf(vocab, eos, "eos_token", folder);
        idOf(vocab, unk, "unk_token", folder);

        JsonArray mergeArray = new JsonArray();
        int lineNo = 0;
        for (String line : merges) {
            lineNo++;
            if (line.isBlank() || (lineNo == 1 && line.startsWith("#version"))) {
                continue;
            }
            String[] pair = line.strip().split(" ");
            if (pair.length != 2) {
                throw new PigmentException(ErrorCode.MODEL_INVALID, "Line " + lineNo + " of "
                        + folder.resolve("merges.txt") + " is not a pair of tokens: '" + line
                        + "'. The tokenizer files are damaged; copy the model's tokenizer folder again.");
            }
            mergeArray.add(pair[0] + " " + pair[1]);
        }

        JsonObject json = new JsonObject();
        json.addProperty("version", "1.0");
        json.add("truncation", JsonNull.INSTANCE);
        json.add("padding", JsonNull.INSTANCE);
        JsonArray added = new JsonArray();
        added.add(addedToken(bosId, bos));
        added.add(addedToken(eosId, eos));
        json.add("added_tokens", added);

        JsonArray normalizers = new JsonArray();
        normalizers.add(typed("NFC"));
        JsonObject replace = typed("Replace");
        replace.add("pattern", regex("\\s+"));
        replace.addProperty("content", " ");
        normalizers.add(replace);
        normalizers.add(typed("Lowercase"));
        JsonObject normalizer = typed("Sequence");
        normalizer.add("normalizers", normalizers);
        json.add("normalizer", normalizer);

        JsonObject split = typed("Split");
        split.add("pattern", regex(SPLIT_PATTERN));
        split.addProperty("behavior", "Removed");
        split.addProperty("invert", true);
        JsonArray pre = new JsonArray();
        pre.add(split);
        pre.add(byteLevel(false));
        JsonObject preTokenizer = typed("Sequence");
        preTokenizer.add("pretokenizers", pre);
        json.add("pre_tokenizer", preTokenizer);

        JsonObject post = typed("RobertaProcessing");
        post.add("sep", pair(eos, eosId));
        post.add("cls", pair(bos, bosId));
        post.addProperty("trim_offsets", false);
        post.addProperty("add_prefix_space", false);
        json.add("post_processor", post);
        json.add("decoder", byteLevel(true));

        JsonObject model = typed("BPE");
        model.add("dropout", JsonNull.INSTANCE);
        model.addProperty("unk_token", unk);
        model.addProperty("continuing_subword_prefix", "");
        model.addProperty("end_of_word_suffix", "</w>");
        model.addProperty("fuse_unk", false);
        model.addProperty("byte_fallback", false);
        model.add("vocab", vocab);
        model.add("merges", mergeArray);
        json.add("model", model);
        return json;
    }

    private static int idOf(JsonObject vocab, String token, String role, Path folder) {
        if (!vocab.has(token) || !vocab.get(token).isJsonPrimitive()) {
            throw new PigmentException(ErrorCode.MODEL_INVALID, "The " + role + " '" + token + "' is not in "
                    + folder.resolve("vocab.json") + ". This is not a CLIP tokenizer, or its files are damaged.");
        }
        return vocab.get(token).getAsInt();
    }

    private static JsonObject typed(String type) {
        JsonObject o = new JsonObject();
        o.addProperty("type", type);
        return o;
    }

    private static JsonObject regex(String pattern) {
        JsonObject o = new JsonObject();
        o.addProperty("Regex", pattern);
        return o;
    }

    private static JsonObject byteLevel(boolean addPrefixSpace) {
        JsonObject o = typed("ByteLevel");
        o.addProperty("add_prefix_space", addPrefixSpace);
        o.addProperty("trim_offsets", true);
        o.addProperty("use_regex", true);
        return o;
    }

    private static JsonArray pair(String token, int id) {
        JsonArray a = new JsonArray();
        a.add(token);
        a.add(id);
        return a;
    }

    private static JsonObject addedToken(int id, String content) {
        JsonObject o = new JsonObject();
        o.addProperty("id", id);
        o.addProperty("content", content);
        o.addProperty("single_word", false);
        o.addProperty("lstrip", false);
        o.addProperty("rstrip", false);
        o.addProperty("normalized", true);
        o.addProperty("special", true);
        return o;
    }
}
