package dev.pigment.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pigment.core.api.Phase;
import dev.pigment.core.api.Progress;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
    private static String render(boolean interactive) {
        StringWriter out = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(out), false, interactive);
        for (int i = 0; i <= 4; i++) {
            bar.onProgress(Progress.of(Phase.DENOISE, i, 4));
        }
        bar.onProgress(Progress.of(Phase.DECODE, 1, 1));
        bar.finish();
        return out.toString();
    }

    @Test
    void aTerminalGetsOneBarRedrawnInPlace() {
        String s = render(true);
        assertEquals(6, s.chars().filter(c -> c == '\r').count());
        assertTrue(s.contains("denoise       [##############################] 4/4"), s);
        assertEquals(1, s.chars().filter(c -> c == '\n').count(), "one line, ended once");
    }

    @Test
    void aLogGetsOneLinePerFinishedPhase() {
        String s = render(false);
        assertEquals(2, s.lines().count(), s);
        assertTrue(s.startsWith("denoise       [##############################] 4/4"), s);
        assertTrue(s.lines().toList().get(1).startsWith("decode"), s);
    }
}
