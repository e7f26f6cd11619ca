package dev.pigment.core.text;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.pigment.core.api.ErrorCode;
import dev.pigment.core.api.PigmentException;
import dev.pigment.core.runtime.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PromptTokenizerTest {
    private static final Path CLIP_JSON = TinyModels.resource("models/tiny-sd/tokenizer");
    private static final Path CLIP_VOCAB_MERGES = TinyModels.resource("models/tiny-sd-inpaint/tokenizer");
    private static final Path WORD_LEVEL = TinyModels.resource("tokenizers/wordlevel");
    private static final JsonObject REF = TinyModels.reference();
    private static final int BOS = REF.get("vocab_size").getAsInt() - 2;
    private static final int EOS = REF.get("vocab_size").getAsInt() - 1;

    static String longPrompt(int words) {
        List<String> pool = List.of("a", "photo", "of", "an", "astronaut", "riding", "horse", "on", "the", "moon",
                "painting", "red", "fox", "forest", "sunset");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < words; i++) {
            sb.append(i == 0 ? "" : " ").append(pool.get((i * 7) % pool.size()));
        }
        return sb.toString();
    }

    @Test
    void clipTokenizerJsonMatchesTheScriptsBpeAndPadsWithEndOfText() {
        try (PromptTokenizer tokenizer = PromptTokenizer.load(CLIP_JSON)) {
            assertEquals(77, tokenizer.maxLength());
            assertEquals(EOS, tokenizer.padId());
            for (JsonElement e : REF.getAsJsonArray("clip_tokens")) {
                JsonObject c = e.getAsJsonObject();
                int[] expected = c.getAsJsonArray("ids").asList().stream().mapToInt(JsonElement::getAsInt).toArray();
                TokenizedPrompt t = tokenizer.tokenize(c.get("prompt").getAsString());
                assertArrayEquals(expected, Arrays.copyOf(t.ids(), t.tokenCount()), c.get("prompt").getAsString());
                assertEquals(77, t.ids().length);
                for (int i = t.tokenCount(); i < 77; i++) {
                    assertEquals(EOS, t.ids()[i], "padding must be the end-of-text id");
                }
                assertFalse(t.truncated());
                assertEquals(c.get("prompt").getAsString(), t.keptText());
            }
        }
    }

    @Test
    void emptyPromptIsStartAndEndOfText() {
        try (PromptTokenizer tokenizer = PromptTokenizer.load(CLIP_JSON)) {
            TokenizedPrompt t = tokenizer.tokenize("");
            assertEquals(2, t.tokenCount());
            assertEquals(BOS, t.ids()[0]);
            assertEquals(EOS, t.ids()[1]);
            assertEquals(EOS, t.ids()[76]);
            assertFalse(t.truncated());
            assertEquals("", t.keptText());
        }
    }

    @Test
    void longPromptIsTruncatedKeepingEndOfTextAndReportsWhatSurvived() {
        String prompt = longPrompt(100);
        try (PromptTokenizer tokenizer = PromptTokenizer.load(CLIP_JSON)) {
            TokenizedPrompt t = tokenizer.tokenize(prompt);
            assertTrue(t.truncated());
            assertEquals(77, t.tokenCount());
            assertEquals(BOS, t.ids()[0]);
            assertEquals(EOS, t.ids()[76]);
            assertTrue(t.keptText().length() > 20 && t.keptText().length() < prompt.length(), t.keptText());
            assertTrue(prompt.startsWith(t.keptText()));
            // The kept text alone fits, and its tokens are the truncated prompt's tokens up to the cut word.
            TokenizedPrompt kept = tokenizer.tokenize(t.keptText());
            assertFalse(kept.truncated());
            assertTrue(kept.tokenCount() <= 77);
            int same = 0;
            while (same < 75 && kept.ids()[same] == t.ids()[same]) {
                same++;
            }
            assertTrue(same >= 70, "kept text re-tokenizes to a different prefix (" + same + " tokens agree)");
        }
    }

    @Test
    void vocabAndMergesGiveTheSameIdsAsTokenizerJson() {
        List<String> prompts = List.of("a photo of an astronaut riding a horse", "", "A  Painting\tof a RED fox!!",
                "portrait, 1 old man; dramatic lighting 2024", "café crème ☕ naïve", "it's what they've done",
                longPrompt(100));
        try (PromptTokenizer json = PromptTokenizer.load(CLIP_JSON);
             PromptTokenizer converted = PromptTokenizer.load(CLIP_VOCAB_MERGES)) {
            assertEquals(json.maxLength(), converted.maxLength());
            assertEquals(json.padId(), converted.padId());
            for (String p : prompts) {
                assertEquals(json.tokenize(p), converted.tokenize(p), p);
            }
        }
    }

    @Test
    void wordLevelTokenizerUsesItsPaddingSectionAndConfigLength() {
        JsonObject v = REF.getAsJsonObject("wordlevel_vocab");
        int pad = v.get("[PAD]").getAsInt();
        try (PromptTokenizer tokenizer = PromptTokenizer.load(WORD_LEVEL)) {
            assertEquals(16, tokenizer.maxLength());
            assertEquals(pad, tokenizer.padId());
            TokenizedPrompt t = tokenizer.tokenize("A PHOTO of a Cat zebra");
            int[] ids = t.ids();
            assertEquals(16, ids.length);
            assertEquals(8, t.tokenCount());
            assertEquals(v.get("[BOS]").getAsInt(), ids[0]);
            assertEquals(v.get("photo").getAsInt(), ids[2]);
            assertEquals(v.get("cat").getAsInt(), ids[5]);
            assertEquals(v.get("[UNK]").getAsInt(), ids[6], "zebra is not in the vocabulary");
            assertEquals(v.get("[EOS]").getAsInt(), ids[7]);
            for (int i = 8; i < 16; i++) {
                assertEquals(pad, ids[i]);
            }

            TokenizedPrompt longOne = tokenizer.tokenize(String.join(" ", Collections.nCopies(30, "cat")));
            assertTrue(longOne.truncated());
            assertEquals(16, longOne.tokenCount());
            assertEquals(v.get("[EOS]").getAsInt(), longOne.ids()[15]);
            assertEquals(String.join(" ", Collections.nCopies(14, "cat")), longOne.keptText());
        }
    }

    @Test
    void padTokenFromConfigWinsOverEndOfText(@TempDir Path dir) throws IOException {
        // SD 2.x's tokenizer pads with "!" (id of the bare "!" symbol, not "!</w>").
        Path copy = copyTokenizer(CLIP_VOCAB_MERGES, dir);
        Files.writeString(copy.resolve("tokenizer_config.json"),
                "{\"model_max_length\": 77, \"pad_token\": \"!\", \"eos_token\": \"<|endoftext|>\"}");
        Files.delete(copy.resolve("special_tokens_map.json"));
        int bang = com.google.gson.JsonParser.parseString(Files.readString(copy.resolve("vocab.json")))
                .getAsJsonObject().get("!").getAsInt();
        assertTrue(bang != EOS);
        try (PromptTokenizer tokenizer = PromptTokenizer.load(copy)) {
            assertEquals(bang, tokenizer.padId());
            assertEquals(bang, tokenizer.tokenize("a cat").ids()[76]);
        }
    }

    @Test
    void missingConfigMeansClipDefaults(@TempDir Path dir) throws IOException {
        Path copy = copyTokenizer(CLIP_JSON, dir);
        Files.delete(copy.resolve("tokenizer_config.json"));
        Files.delete(copy.resolve("special_tokens_map.json"));
        try (PromptTokenizer tokenizer = PromptTokenizer.load(copy)) {
            assertEquals(77, tokenizer.maxLength());
            assertEquals(EOS, tokenizer.padId());
        }
    }

    @Test
    void brokenFoldersGiveClearMessages(@TempDir Path dir) throws IOException {
        Path absent = dir.resolve("tokenizer");
        PigmentException missing = assertThrows(PigmentException.class, () -> PromptTokenizer.load(absent));
        assertEquals(ErrorCode.MODEL_INVALID, missing.code());
        assertTrue(missing.getMessage().contains(absent.toString()), missing.getMessage());

        Files.createDirectories(absent);
        PigmentException empty = assertThrows(PigmentException.class, () -> PromptTokenizer.load(absent));
        assertTrue(empty.getMessage().contains("neither tokenizer.json nor vocab.json"), empty.getMessage());

        Files.writeString(absent.resolve("tokenizer.json"), "{ \"model\": ");
        PigmentException broken = assertThrows(PigmentException.class, () -> PromptTokenizer.load(absent));
        assertEquals(ErrorCode.MODEL_INVALID, broken.code());
        assertTrue(broken.getMessage().contains("tokenizer.json"), broken.getMessage());

        Files.writeString(absent.resolve("tokenizer.json"), "{\"model\": {\"type\": \"NoSuchModel\"}}");
        PigmentException unsupported = assertThrows(PigmentException.class, () -> PromptTokenizer.load(absent));
        assertEquals(ErrorCode.MODEL_INVALID, unsupported.code());

        Path noBos = copyTokenizer(CLIP_VOCAB_MERGES, dir.resolve("other"));
        Files.writeString(noBos.resolve("tokenizer_config.json"), "{\"bos_token\": \"<s>\"}");
        PigmentException bos = assertThrows(PigmentException.class, () -> PromptTokenizer.load(noBos));
        assertTrue(bos.getMessage().contains("'<s>'") && bos.getMessage().contains("vocab.json"), bos.getMessage());
    }

    private static Path copyTokenizer(Path from, Path toParent) throws IOException {
        Path to = toParent.resolve("tokenizer");
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        return to;
    }
}
