package dev.pigment.core.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PhaseTest {
    @Test
    void phaseIdsArePinnedBecauseTheyAreProtocolWords() {
        assertEquals(List.of("queued", "load", "encode-image", "encode-prompt", "denoise", "decode", "fill", "restyle"),
                Arrays.stream(Phase.values()).map(Phase::id).toList());
        for (Phase p : Phase.values()) {
            assertEquals(p, Phase.fromId(p.id()));
        }
    }

    @Test
    void anUnknownPhaseIsNamedInTheError() {
        PigmentException e = assertThrows(PigmentException.class, () -> Phase.fromId("warmup"));
        assertTrue(e.getMessage().contains("'warmup'") && e.getMessage().contains("denoise"), e.getMessage());
    }

    @Test
    void aQueuedEventCarriesTheJobsAhead() {
        assertEquals(3, Progress.queued(3).jobsAhead());
        assertEquals(0, Progress.of(Phase.DENOISE, 3, 4).jobsAhead());
        assertThrows(IllegalArgumentException.class, () -> Progress.queued(-1));
    }
}
