package dev.pigment.core.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pigment.core.cli.PigmentCli;
import dev.pigment.core.text.PromptTokenizer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** What the CLI tells a user whose prompt or size the demo model cannot serve (issue 7). */
class DemoPromptNotesTest {
    @TempDir
    Path dir;

    private String[] run(String... args) {
        CommandLine cl = PigmentCli.newCommandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    private String[] generate(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("generate", "--models-dir",
                DemoModel.repoRoot().resolve("models").toString(), "--model", "demo", "--seed", "1", "--steps", "2", "-q",
                "-o", dir.resolve("out.png").toString()));
        args.addAll(List.of(extra));
        return run(args.toArray(String[]::new));
    }

    @Test
    void theWordTokenizerReportsWordsOutsideItsVocabulary() {
        try (PromptTokenizer t = PromptTokenizer.load(DemoModel.info().tokenizerDir())) {
            assertEquals(List.of("xyzzy", "frobnicate"), t.tokenize("red xyzzy heart frobnicate xyzzy").unknownWords());
            assertEquals(List.of(), t.tokenize("red heart").unknownWords());
        }
    }

    @Test
    void theCliPrintsUnknownWordsEmptyPromptsAndFarSizesAsNotes() {
        String[] unknown = generate("red xyzzy heart");
        assertEquals("0", unknown[0], unknown[2]);
        assertTrue(unknown[2].contains("note: The model does not know \"xyzzy\""), unknown[2]);
        String[] empty = generate();
        assertEquals("0", empty[0], empty[2]);
        assertTrue(empty[2].contains("unconditional generation"), empty[2]);
        String[] far = generate("-W", "136", "-H", "136", "red heart");
        assertTrue(far[2].contains("trained at 64x64"), far[2]);
        String[] near = generate("-W", "96", "-H", "64", "red heart");
        assertTrue(!near[2].contains("trained at") && !near[2].contains("does not know"), near[2]);
    }
}
