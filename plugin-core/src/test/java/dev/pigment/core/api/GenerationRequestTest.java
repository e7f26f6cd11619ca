package dev.pigment.core.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pigment.core.image.Mask;
import dev.pigment.core.image.RgbImage;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GenerationRequestTest {
    private static final RgbImage SRC = RgbImage.filled(40, 30, 0.1f, 0.2f, 0.3f);

    private static String rejects(GenerationRequest.Builder b) {
        PigmentException e = assertThrows(PigmentException.class, b::build);
        assertEquals(ErrorCode.BAD_REQUEST, e.code());
        return e.getMessage();
    }

    @Test
    void badValuesAreRefusedWithMessagesThatNameThem() {
        assertTrue(rejects(GenerationRequest.builder(Task.TEXT_TO_IMAGE)).contains("No model"));
        assertTrue(rejects(GenerationRequest.builder(Task.TEXT_TO_IMAGE).model("m")
                .prompt("x".repeat(GenerationRequest.MAX_PROMPT_CHARS + 1))).contains("4001 characters"));
        assertTrue(rejects(GenerationRequest.builder(Task.TEXT_TO_IMAGE).model("m").steps(-1)).contains("steps=-1"));
        assertTrue(rejects(GenerationRequest.builder(Task.TEXT_TO_IMAGE).model("m").size(9000, 10)).contains("width=9000"));
        assertTrue(rejects(GenerationRequest.builder(Task.TEXT_TO_IMAGE).model("m").guidance(-1)).contains("guidance=-1"));
        assertTrue(rejects(GenerationRequest.builder(Task.IMAGE_TO_IMAGE).model("m").source(SRC).strength(1.5)).contains("strength=1.5"));
        assertTrue(rejects(GenerationRequest.builder(Task.TEXT_TO_IMAGE).model("m").seed(-2)).contains("seed=-2"));
        assertTrue(rejects(GenerationRequest.builder(Task.TEXT_TO_IMAGE).model("m").batch(0)).contains("batch=0"));
    }

    @Test
    void eachTaskRequiresItsInputs() {
        assertTrue(rejects(GenerationRequest.builder(Task.IMAGE_TO_IMAGE).model("m")).contains("needs a source image"));
        assertTrue(rejects(GenerationRequest.builder(Task.INPAINT).model("m").source(SRC)).contains("needs a mask"));
        assertTrue(rejects(GenerationRequest.builder(Task.INPAINT).model("m").source(SRC).mask(Mask.full(30, 40)))
                .contains("mask is 30x40 but the image is 40x30"));
        assertTrue(rejects(GenerationRequest.builder(Task.RESTYLE).model("m").source(SRC)).contains("reference"));
        assertTrue(rejects(GenerationRequest.builder(Task.TEXT_TO_IMAGE).model("m").mask(Mask.full(40, 30)))
                .contains("without a source"));
    }

    @Test
    void unsetValuesFallBackAndTheBuilderRoundTrips() {
        GenerationRequest r = GenerationRequest.builder(Task.IMAGE_TO_IMAGE).model("m").source(SRC).option("fill", "blur").build();
        assertEquals(40, r.widthOr(512));
        assertEquals(30, r.heightOr(512));
        assertEquals(25, r.stepsOr(25));
        assertEquals(7.5, r.guidanceOr(7.5));
        assertEquals(0.75, r.strengthOr(0.75));
        assertEquals(GenerationRequest.RANDOM_SEED, r.seed());
        assertEquals(r, r.toBuilder().build());
        assertEquals(Map.of("fill", "blur"), r.options());
        assertEquals(Task.INPAINT, Task.fromId("inpaint"));
        assertThrows(PigmentException.class, () -> Task.fromId("paint"));
    }
}
