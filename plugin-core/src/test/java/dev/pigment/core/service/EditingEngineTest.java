package dev.pigment.core.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pigment.core.api.CancellationToken;
import dev.pigment.core.api.GenerationRequest;
import dev.pigment.core.api.GenerationResult;
import dev.pigment.core.api.PigmentException;
import dev.pigment.core.api.ProgressListener;
import dev.pigment.core.api.Task;
import dev.pigment.core.image.ContextRegion;
import dev.pigment.core.image.Mask;
import dev.pigment.core.image.RgbImage;
import dev.pigment.core.model.ModelRegistry;
import dev.pigment.core.runtime.RuntimeOptions;
import java.awt.Rectangle;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Editing through the service, as every front end does: on a 2-megapixel photo nothing outside the mask
 * changes, with the demo model, a 9-channel inpainting UNet and the classic engine; strength 0 and -W/-H
 * keep their promises.
 */
public class EditingEngineTest {
    static final int PHOTO_W = 1632;
    static final int PHOTO_H = 1224;
    private static GenerationService service;
    private static RgbImage photo;
    private static Mask hole;

    @BeforeAll
    static void setUp() throws Exception {
        Path fixtures = Path.of(EditingEngineTest.class.getResource("/models").toURI());
        service = new GenerationService(new ModelRegistry(List.of(fixtures, repoRoot().resolve("models"))),
                RuntimeOptions.defaults().withThreads(2), 1L << 30);
        photo = photo(PHOTO_W, PHOTO_H, 11);
        hole = ellipse(PHOTO_W, PHOTO_H, 700, 420, 260, 180);
    }

    @AfterAll
    static void tearDown() {
        service.close();
    }

    static Path repoRoot() {
        String home = System.getProperty(ModelRegistry.HOME_PROPERTY);
        return home != null ? Path.of(home).toAbsolutePath().normalize() : Path.of("..").toAbsolutePath().normalize();
    }

    /** A photo-like image: smooth light, a horizon, textured noise and a few objects, 8-bit quantised. */
    public static RgbImage photo(int w, int h, long seed) {
        Random rnd = new Random(seed);
        float[] d = new float[3 * w * h];
        int n = w * h;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double sky = y < h * 0.45 ? 1 : 0;
                double r = sky * (0.45 + 0.3 * y / h) + (1 - sky) * (0.35 + 0.2 * Math.sin(x * 0.01));
                double g = sky * (0.6 + 0.2 * y / h) + (1 - sky) * (0.5 + 0.1 * Math.cos(y * 0.013));
                double b = sky * 0.9 + (1 - sky) * 0.25;
                double grain = (rnd.nextFloat() - 0.5) * 0.06;
                int i = y * w + x;
                d[i] = (float) Math.min(1, Math.max(0, r + grain));
                d[n + i] = (float) Math.min(1, Math.max(0, g + grain));
                d[2 * n + i] = (float) Math.min(1, Math.max(0, b + grain));
            }
        }
        return RgbImage.wrap(w, h, d).quantized8();
    }

    public static Mask ellipse(int w, int h, int cx, int cy, int rx, int ry) {
        float[] m = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double dx = (x - cx) / (double) rx;
                double dy = (y - cy) / (double) ry;
                m[y * w + x] = dx * dx + dy * dy <= 1 ? 1f : 0f;
            }
        }
        return Mask.wrap(w, h, m);
    }

    private static GenerationResult run(GenerationRequest r) {
        return service.run(r, ProgressListener.NONE, CancellationToken.none());
    }

    private static GenerationRequest.Builder inpaint(String model) {
        return GenerationRequest.builder(Task.INPAINT).model(model).source(photo).mask(hole).prompt("red heart")
                .seed(5).steps(4);
    }

    /** Asserts bit-identical pixels wherever the mask is 0, and real change inside it. */
    static void assertOnlyMaskChanged(RgbImage src, Mask mask, RgbImage out) {
        assertEquals(src.width(), out.width());
        assertEquals(src.height(), out.height());
        int n = src.pixelCount();
        int changedOutside = 0;
        double changeInside = 0;
        int inside = 0;
        for (int i = 0; i < n; i++) {
            boolean masked = mask.data()[i] > 0f;
            for (int c = 0; c < 3; c++) {
                float a = src.data()[c * n + i];
                float b = out.data()[c * n + i];
                if (!masked && Float.floatToIntBits(a) != Float.floatToIntBits(b)) {
                    changedOutside++;
                } else if (mask.data()[i] == 1f) {
                    changeInside += Math.abs(a - b);
                    inside++;
                }
            }
        }
        assertEquals(0, changedOutside, "pixel values changed outside the mask");
        assertTrue(changeInside / inside > 0.01, "the masked area changed (" + changeInside / inside + ")");
    }

    @Test
    void demoModelInpaintsATwoMegapixelPhotoInAContextRegionAndChangesNothingOutside() {
        GenerationResult r = run(inpaint("demo").build());
        assertOnlyMaskChanged(photo, hole, r.first().image());
        String region = r.provenance().parameters().get("context-region");
        assertTrue(region != null && r.provenance().parameters().containsKey("context-scale"), r.provenance().toString());
        assertEquals("64x64", r.provenance().parameters().get("context-size"));
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("Inpainted the region " + region)), r.notes().toString());
    }

    @Test
    void nineChannelInpaintingModelChangesNothingOutsideTheMask() {
        assertOnlyMaskChanged(photo, hole, run(inpaint("tiny-sd-inpaint").guidance(4).build()).first().image());
    }

    @Test
    void classicChangesNothingOutsideTheMask() {
        Mask small = ellipse(PHOTO_W, PHOTO_H, 300, 900, 60, 40);
        GenerationResult r = run(GenerationRequest.builder(Task.INPAINT).model("classic").source(photo).mask(small)
                .seed(2).option("search", "band").build());
        assertOnlyMaskChanged(photo, small, r.first().image());
    }

    @Test
    void anEmptyEightBitMaskThroughTheServiceConvertsNeitherImageNorMask() {
        // What a Krita client sends: the whole canvas as bgra8 and the selection as gray8.
        RgbImage canvas = RgbImage.fromBgra(new byte[4 * 640 * 480], 640, 480);
        Mask none = Mask.fromGray8(new byte[640 * 480], 640, 480);
        GenerationResult r = run(GenerationRequest.builder(Task.INPAINT).model("classic").source(canvas).mask(none)
                .seed(2).build());
        assertSame(canvas, r.first().image());
        assertFalse(canvas.isConverted(), "an empty mask needs no float canvas");
        assertFalse(none.isConverted(), "an empty gray8 mask is known from its bytes");
    }

    @Test
    void aSmallHoleInALargeEightBitCanvasConvertsOnlyTheRegionAndWritesTheSourceBytesElsewhere() {
        // What a front end sends for a whole canvas: bgra8 and a gray8 selection, here a 64x40 hole in 2048x1536.
        int w = 2048;
        int h = 1536;
        byte[] bgra = new byte[4 * w * h];
        new Random(12).nextBytes(bgra);
        byte[] gray = new byte[w * h];
        for (int y = 700; y < 740; y++) {
            java.util.Arrays.fill(gray, y * w + 900, y * w + 964, (byte) 255);
        }
        RgbImage canvas = RgbImage.fromBgra(bgra, w, h);
        Mask selection = Mask.fromGray8(gray, w, h);
        RgbImage out = run(inpaintOf(canvas, selection)).first().image();
        assertFalse(canvas.isConverted() || selection.isConverted() || out.isConverted(),
                "only the context region may be converted");
        byte[] written = out.toBgra();
        assertFalse(out.isConverted(), "the result is written from the source bytes and the region");
        int changed = 0;
        for (int i = 0; i < w * h; i++) {
            for (int c = 0; c < 4; c++) {
                byte expected = c == 3 ? (byte) 0xFF : bgra[4 * i + c];
                if (gray[i] == 0 && written[4 * i + c] != expected) {
                    throw new AssertionError("byte " + c + " of pixel " + i % w + "," + i / w + " outside the mask");
                }
                changed += gray[i] != 0 && written[4 * i + c] != expected ? 1 : 0;
            }
        }
        assertTrue(changed > 0, "the hole was repainted");
        // The same request on a converted canvas and mask: the same bytes (the shortcuts change no pixel).
        RgbImage eagerCanvas = RgbImage.fromBgra(bgra.clone(), w, h);
        Mask eagerSelection = Mask.fromGray8(gray.clone(), w, h);
        eagerCanvas.data();
        eagerSelection.data();
        org.junit.jupiter.api.Assertions.assertArrayEquals(
                run(inpaintOf(eagerCanvas, eagerSelection)).first().image().toBgra(), written);
    }

    private static GenerationRequest inpaintOf(RgbImage source, Mask mask) {
        return GenerationRequest.builder(Task.INPAINT).model("demo").source(source).mask(mask).prompt("red heart")
                .seed(5).steps(4).build();
    }

    @Test
    void classicFeatherFadesInsideTheMaskAndChangesNothingOutside() {
        Mask small = ellipse(PHOTO_W, PHOTO_H, 300, 900, 60, 40);
        GenerationRequest.Builder b = GenerationRequest.builder(Task.INPAINT).model("classic").source(photo)
                .mask(small).seed(2).option("fill", "telea");
        RgbImage hard = run(b.build()).first().image();
        GenerationResult soft = run(b.option("feather", "6").build());
        assertOnlyMaskChanged(photo, small, soft.first().image());
        assertEquals("6", soft.provenance().parameters().get("feather"));
        int n = photo.pixelCount();
        int centre = 900 * PHOTO_W + 300;  // deep inside: the engine's fill, as without a feather
        for (int c = 0; c < 3; c++) {
            assertEquals(hard.data()[c * n + centre], soft.first().image().data()[c * n + centre], 1e-6);
        }
        double hardEdge = 0;
        double softEdge = 0;
        for (int y = 860; y < 940; y++) {
            for (int x = 240; x < 360; x++) {
                int i = y * PHOTO_W + x;
                boolean edge = small.data()[i] > 0 && (small.data()[i - 2] == 0 || small.data()[i + 2] == 0);
                for (int c = 0; edge && c < 3; c++) {
                    hardEdge += Math.abs(hard.data()[c * n + i] - photo.data()[c * n + i]);
                    softEdge += Math.abs(soft.first().image().data()[c * n + i] - photo.data()[c * n + i]);
                }
            }
        }
        assertTrue(hardEdge > 0 && softEdge < 0.5 * hardEdge,
                "the feather pulls the mask's edge towards the source: " + softEdge + " vs " + hardEdge);
    }

    @Test
    void strengthZeroReturnsTheSourceItselfAndUsesNoSeed() {
        RgbImage src = photo(96, 80, 3);
        for (Task task : List.of(Task.IMAGE_TO_IMAGE, Task.INPAINT)) {
            GenerationRequest.Builder b = GenerationRequest.builder(task).model("demo").source(src).prompt("x").strength(0);
            if (task == Task.INPAINT) {
                b.mask(Mask.rectangle(96, 80, 10, 10, 40, 40));
            }
            GenerationResult r = run(b.build());
            assertSame(src, r.first().image(), task + " at strength 0");
            assertFalse(r.first().seedUsed(), "no seed was drawn");
            assertFalse(r.provenance().toA1111Text(r.first().seed()).contains("Seed:"));
        }
    }

    @Test
    void widthAndHeightOnAnEditResizeTheSourceFirst() {
        RgbImage src = photo(120, 90, 4);
        for (Task task : List.of(Task.IMAGE_TO_IMAGE, Task.INPAINT, Task.RESTYLE)) {
            GenerationRequest.Builder b = GenerationRequest.builder(task).model("demo").source(src).prompt("x")
                    .seed(1).steps(2).size(64, 64);
            if (task == Task.INPAINT) {
                b.mask(Mask.rectangle(120, 90, 30, 30, 40, 30));
            }
            if (task == Task.RESTYLE) {
                b.reference(RgbImage.filled(20, 20, 0.9f, 0.1f, 0.1f));
            }
            GenerationResult r = run(b.build());
            assertEquals(64, r.first().image().width(), task.id());
            assertEquals(64, r.first().image().height(), task.id());
            assertTrue(r.notes().stream().anyMatch(n -> n.contains("resized from 120x90 to 64x64")), r.notes().toString());
        }
        GenerationResult oneSide = run(GenerationRequest.builder(Task.IMAGE_TO_IMAGE).model("demo")
                .source(src).prompt("x").seed(1).steps(2).size(60, 0).build());
        assertEquals(45, oneSide.first().image().height(), "one side keeps the aspect");
    }

    @Test
    void imageToImageOnALargePhotoRunsAtTheModelsSizeUnlessNativeSizeIsAsked() {
        RgbImage src = photo(400, 300, 6);
        GenerationRequest.Builder b = GenerationRequest.builder(Task.IMAGE_TO_IMAGE).model("demo").source(src)
                .prompt("red heart").seed(1).steps(2).guidance(1);
        GenerationResult scaled = run(b.build());
        assertEquals(400, scaled.first().image().width());
        assertEquals(300, scaled.first().image().height());
        assertEquals("72x56", scaled.provenance().parameters().get("working-size"));
        GenerationResult whole = run(b.option(EditingEngine.NATIVE_SIZE, "true").build());
        assertEquals(null, whole.provenance().parameters().get("working-size"));
        assertEquals(400, whole.first().image().width());
    }

    @Test
    void unknownOptionsAreRefusedWithTheKnownKeysAndASuggestion() {
        PigmentException e = assertThrows(PigmentException.class, () -> run(inpaint("classic").option("fil", "telea").build()));
        assertTrue(e.getMessage().contains("'fil'") && e.getMessage().contains("Did you mean 'fill'?")
                && e.getMessage().contains("patch-size"), e.getMessage());
        PigmentException d = assertThrows(PigmentException.class, () -> run(inpaint("demo").option("feathr", "3").build()));
        assertTrue(d.getMessage().contains("Did you mean 'feather'?"), d.getMessage());
    }

    @Test
    void aReplayedRequestCarryingRecordedContextParametersRuns() {
        RgbImage src = photo(96, 80, 8);
        GenerationResult first = run(GenerationRequest.builder(Task.INPAINT).model("demo").source(src)
                .mask(Mask.rectangle(96, 80, 20, 20, 30, 30)).prompt("red heart").seed(3).steps(2).build());
        GenerationRequest.Builder replay = GenerationRequest.builder(Task.INPAINT).model("demo").source(src)
                .mask(Mask.rectangle(96, 80, 20, 20, 30, 30)).prompt("red heart").seed(3).steps(2);
        first.provenance().parameters().forEach((k, v) -> {
            if (k.startsWith("context-") || k.equals("feather") || k.equals("fill")) {
                replay.option(k, v);
            }
        });
        assertEquals(first.first().image(), run(replay.build()).first().image(), "same pixels on replay");
    }

    @Test
    void contextRegionFollowsThePaddingRuleAndStaysInsideTheImage() {
        ContextRegion c = ContextRegion.around(new Rectangle(5000, 3000, 300, 300), 6000, 4000, 512, 512);
        Rectangle r = c.region();
        // padding = max(6000/16, 300/2) = 375: 300 + 750 = 1050, rounded up to 1056.
        assertEquals(new Rectangle(4622, 2622, 1056, 1056), r);
        assertEquals(512, c.workWidth());
        ContextRegion edge = ContextRegion.around(new Rectangle(0, 0, 40, 40), 100, 60, 64, 64);
        assertEquals(new Rectangle(0, 0, 80, 60), edge.region(), "padding max(100/16, 40/2) = 20 each side");
        assertTrue(edge.workWidth() % 8 == 0 && edge.workHeight() % 8 == 0);
    }
}
