package dev.pigment.core.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.pigment.core.model.ExportConventions;
import dev.pigment.core.model.Manifest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pigment's chat-template rendering against Qwen3's real template rendered by jinja2 the way transformers does it
 * for diffusers' ZImagePipeline (expectations made by models/export/chat_template_expectations.py; template source
 * and licence in resources/zimage/chat_template/NOTICE.md), and the token ids of templated prompts through a
 * tokenizer.json in Qwen2's byte-level configuration.
 */
class ChatTemplateParityTest {
    /**
     * The special tokens right after the byte vocabulary, in Qwen's order: Qwen2/Qwen3's are 151643..151645, right
     * after its 151643 BPE entries. Stated as 151643.. after this test's 256-entry vocabulary, the library numbered
     * them from 256 instead: a layout with a gap does not keep its ids.
     */
    private static final Map<String, Integer> SPECIAL = orderedSpecials();

    private static Map<String, Integer> orderedSpecials() {
        Map<String, Integer> m = new java.util.LinkedHashMap<>();
        m.put("<|endoftext|>", 256);
        m.put("<|im_start|>", 257);
        m.put("<|im_end|>", 258);
        return m;
    }

    @TempDir
    Path dir;

    private static Path resource(String path) throws Exception {
        return Path.of(ChatTemplateParityTest.class.getResource(path).toURI());
    }

    private static JsonArray cases() throws Exception {
        String json = Files.readString(resource("/zimage/chat_template/expectations.json"));
        JsonArray cases = JsonParser.parseString(json).getAsJsonObject().getAsJsonArray("cases");
        assertTrue(cases.size() >= 20, "expectations: " + cases.size() + " cases");
        return cases;
    }

    @Test
    void rendersEveryPromptExactlyAsTheRealTemplate() throws Exception {
        ExportConventions fixture = Manifest.read(resource("/zimage/tiny-zimage/pigment.json")).export();
        assertEquals(ExportConventions.QWEN_TEMPLATE, fixture.promptTemplate());
        try (ChatTemplateTokenizer t = ChatTemplateTokenizer.load(resource("/zimage/tiny-zimage/tokenizer"),
                fixture.promptTemplate(), 512)) {
            for (JsonElement e : cases()) {
                String prompt = e.getAsJsonObject().get("prompt").getAsString();
                String expected = e.getAsJsonObject().get("rendered").getAsString();
                assertEquals(expected, t.render(prompt), "prompt " + escape(prompt));
                // The memory guard sizes the caption from the same rendering.
                assertEquals(expected, fixture.applyTemplate(prompt), "applyTemplate, prompt " + escape(prompt));
            }
        }
    }

    /**
     * A byte-level BPE tokenizer.json as Qwen2/Qwen3 ship it (NFC normaliser, the Qwen split regex, byte-level
     * pre-tokenizer and decoder, the three special tokens as added tokens) but with no merges and the 256 byte
     * symbols as ids 0..255: then the ids of any text are knowable without the library, the UTF-8 bytes of its NFC
     * form, with each special token's text replaced by its id wherever it occurs (prompt included, as the Rust
     * library and transformers both do).
     */
    @Test
    void templatedPromptsBecomeTheIdsTheQwenTokenizerConfigurationDefines() throws Exception {
        Path tokenizer = dir.resolve("tokenizer");
        Files.createDirectories(tokenizer);
        Files.writeString(tokenizer.resolve("tokenizer.json"), byteLevelTokenizer());
        try (ChatTemplateTokenizer t = ChatTemplateTokenizer.load(tokenizer, ExportConventions.QWEN_TEMPLATE, 100_000)) {
            for (JsonElement e : cases()) {
                String prompt = e.getAsJsonObject().get("prompt").getAsString();
                int[] expected = expectedIds(e.getAsJsonObject().get("rendered").getAsString());
                assertArrayEquals(expected, t.tokenize(prompt).ids(), "prompt " + escape(prompt));
            }
            // The NFC normaliser is applied: a decomposed e + acute is the precomposed letter's two bytes.
            int[] decomposed = t.tokenize("e\u0301").ids();
            assertArrayEquals(t.tokenize("\u00e9").ids(), decomposed);
            assertEquals(List.of(0xc3, 0xa9), List.of(decomposed[6], decomposed[7]), "<|im_start|> u s e r \\n, then the letter");
        }
    }

    private static int[] expectedIds(String text) {
        List<Integer> ids = new ArrayList<>();
        String rest = Normalizer.normalize(text, Normalizer.Form.NFC);
        while (!rest.isEmpty()) {
            int cut = rest.length();
            String found = null;
            for (String special : SPECIAL.keySet()) {
                int at = rest.indexOf(special);
                if (at >= 0 && at < cut) {
                    cut = at;
                    found = special;
                }
            }
            for (byte b : rest.substring(0, cut).getBytes(StandardCharsets.UTF_8)) {
                ids.add(b & 0xff);
            }
            if (found == null) {
                break;
            }
            ids.add(SPECIAL.get(found));
            rest = rest.substring(cut + found.length());
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    private static String byteLevelTokenizer() {
        JsonObject root = new JsonObject();
        root.addProperty("version", "1.0");
        JsonArray added = new JsonArray();
        SPECIAL.forEach((content, id) -> {
            JsonObject a = new JsonObject();
            a.addProperty("id", id);
            a.addProperty("content", content);
            a.addProperty("single_word", false);
            a.addProperty("lstrip", false);
            a.addProperty("rstrip", false);
            a.addProperty("normalized", false);
            a.addProperty("special", true);
            added.add(a);
        });
        root.add("added_tokens", added);
        root.add("normalizer", JsonParser.parseString("{\"type\": \"NFC\"}"));
        root.add("pre_tokenizer", JsonParser.parseString("""
                {"type": "Sequence", "pretokenizers": [
                 {"type": "Split", "pattern": {"Regex": "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\\\r\\\\n\\\\p{L}\\\\p{N}]?\\\\p{L}+|\\\\p{N}| ?[^\\\\s\\\\p{L}\\\\p{N}]+[\\\\r\\\\n]*|\\\\s*[\\\\r\\\\n]+|\\\\s+(?!\\\\S)|\\\\s+"},
                  "behavior": "Isolated", "invert": false},
                 {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": false, "use_regex": false}]}
                """));
        String byteLevel = "{\"type\": \"ByteLevel\", \"add_prefix_space\": false, \"trim_offsets\": false,"
                + " \"use_regex\": false}";
        root.add("post_processor", JsonParser.parseString(byteLevel));
        root.add("decoder", JsonParser.parseString(byteLevel));
        JsonObject model = new JsonObject();
        model.addProperty("type", "BPE");
        model.add("unk_token", null);
        model.addProperty("continuing_subword_prefix", "");
        model.addProperty("end_of_word_suffix", "");
        model.addProperty("fuse_unk", false);
        model.addProperty("byte_fallback", false);
        JsonObject vocab = new JsonObject();
        int[] symbols = byteSymbols();
        for (int b = 0; b < 256; b++) {
            vocab.addProperty(new String(Character.toChars(symbols[b])), b);
        }
        model.add("vocab", vocab);
        model.add("merges", new JsonArray());
        root.add("model", model);
        return root.toString();
    }

    /**
     * GPT-2's bytes_to_unicode: printable Latin-1 bytes stand for themselves, the other 68 bytes map to 256 and up in
     * byte order.
     */
    private static int[] byteSymbols() {
        int[] map = new int[256];
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
            map[b] = printable ? b : next++;
        }
        return map;
    }

    private static String escape(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        s.codePoints().limit(60).forEach(c -> out.writeBytes((c < 0x20 ? String.format("\\u%04x", c)
                : new String(Character.toChars(c))).getBytes(StandardCharsets.UTF_8)));
        return out.toString(StandardCharsets.UTF_8);
    }
}
