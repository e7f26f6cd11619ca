package dev.pigment.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pigment.core.api.GenerationRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Prompts at the length limit in every script, given on the command line of a real process: ONNX
 * Runtime's telemetry used to walk the process's command line recursively and overflow the native stack
 * at about 3,700 bytes (exit 139, no message).
 */
class LongPromptProcessTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"a ", "字", "\uD83D\uDE00", "e\u0301"})
    void aPromptAtTheLimitInAnyScriptRuns(String unit) throws Exception {
        String prompt = unit.repeat(GenerationRequest.MAX_PROMPT_CHARS / unit.length());
        assertEquals(GenerationRequest.MAX_PROMPT_CHARS, prompt.length());
        Path out = dir.resolve("long.png");
        CliProcess.Result r = CliProcess.run(dir, "generate", "--model", "demo", "--seed", "3", "--steps", "1",
                "-q", "-o", out.toString(), prompt);
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.isRegularFile(out));
    }
}
