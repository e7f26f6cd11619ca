package dev.pigment.core.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pigment.core.api.PigmentException;
import dev.pigment.core.model.ExportConventions;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChatTemplateTokenizerTest {
    private static Path tokenizerDir() throws Exception {
        return Path.of(ChatTemplateTokenizerTest.class.getResource("/zimage/tiny-zimage/tokenizer").toURI());
    }

    @Test
    void truncatesAtTheLimitAndSaysWhichPartOfThePromptWasRead() throws Exception {
        // template tokens before the prompt: <|im_start|> user = 2; limit 5 keeps 3 prompt words
        try (ChatTemplateTokenizer t = ChatTemplateTokenizer.load(tokenizerDir(), ExportConventions.QWEN_TEMPLATE, 5)) {
            TokenizedPrompt p = t.tokenize("a red apple on the table");
            assertTrue(p.truncated());
            assertEquals(5, p.ids().length);
            assertEquals("a red apple", p.keptText());
            TokenizedPrompt whole = t.tokenize("a");
            assertFalse(whole.truncated() && whole.ids().length < 5);
        }
        try (ChatTemplateTokenizer t = ChatTemplateTokenizer.load(tokenizerDir(), ExportConventions.QWEN_TEMPLATE, 512)) {
            TokenizedPrompt p = t.tokenize("a red apple");
            assertFalse(p.truncated());
            assertEquals(p.ids().length, p.tokenCount(), "never padded");
            assertEquals(8, p.ids().length, "<|im_start|> user a red apple <|im_end|> <|im_start|> assistant");
        }
    }

    @Test
    void aFolderWithoutTokenizerJsonIsExplained(@TempDir Path dir) {
        PigmentException e = assertThrows(PigmentException.class,
                () -> ChatTemplateTokenizer.load(dir, ExportConventions.QWEN_TEMPLATE, 512));
        assertTrue(e.getMessage().contains("tokenizer.json"), e.getMessage());
    }
}
