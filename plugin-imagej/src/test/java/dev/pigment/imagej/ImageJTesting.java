package dev.pigment.imagej;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import ij.IJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.process.ImageProcessor;
import java.awt.GraphicsEnvironment;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Assumptions;

/** Helpers for tests that drive ImageJ through its menu commands, as a macro would. */
final class ImageJTesting {
    private ImageJTesting() {
    }

    /** Skips (or, with CI=true, fails) when no display is usable: ImageJ's menus and dialogs are AWT. */
    static void requireDisplay() {
        if (GraphicsEnvironment.isHeadless()) {
            String why = "no display (install xvfb so src/test/sh/xvfb-java can start one)";
            if ("true".equals(System.getenv("CI"))) {
                fail("CI=true but " + why);
            }
            Assumptions.abort(why);
        }
    }

    /**
     * Runs a menu command with macro options on {@code imp} (null: the current image) as a macro's
     * {@code run(...)} does, and returns what ImageJ printed (errors and Log lines go to stdout when no ImageJ
     * window is open).
     */
    static String run(ImagePlus imp, String command, String options) {
        PrintStream old = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            if (imp == null) {
                IJ.run(command, options);
            } else {
                IJ.run(imp, command, options);
            }
        } catch (RuntimeException e) {
            // ImageJ aborts the "macro" after an error by throwing; the message was printed already.
            if (!String.valueOf(e.getMessage()).contains("Macro canceled")) {
                throw e;
            }
        } finally {
            System.setOut(old);
        }
        String out = buffer.toString(StandardCharsets.UTF_8);
        old.print(out);
        return out;
    }

    /** The image opened last (ImageJ numbers images -1, -2, ...; window activation is asynchronous). */
    static ImagePlus newest() {
        int[] ids = WindowManager.getIDList();
        if (ids == null) {
            return null;
        }
        int min = 0;
        for (int id : ids) {
            min = Math.min(min, id);
        }
        return WindowManager.getImage(min);
    }

    /** As a batch-mode macro: images are kept by the macro interpreter, not shown in windows. */
    static void batchMode() {
        ij.macro.Interpreter.batchMode = true;
    }

    static void closeAll() {
        for (int id : ij.macro.Interpreter.getBatchModeImageIDs()) {
            ij.macro.Interpreter.removeBatchModeImage(WindowManager.getImage(id));
        }
        WindowManager.setTempCurrentImage(null);
        WindowManager.closeAllWindows();
        int[] ids = WindowManager.getIDList();
        if (ids != null) {
            for (int id : ids) {
                ImagePlus imp = WindowManager.getImage(id);
                if (imp != null) {
                    imp.changes = false;
                    imp.close();
                }
            }
        }
    }

    static Object pixelsCopy(ImageProcessor ip) {
        return ip.duplicate().getPixels();
    }

    /** True if pixel (x,y) differs between two processors of the same type. */
    static boolean differs(ImageProcessor a, ImageProcessor b, int x, int y) {
        return Float.floatToIntBits(a.getf(x, y)) != Float.floatToIntBits(b.getf(x, y))
                || a.getPixel(x, y) != b.getPixel(x, y);
    }

    static void assertSamePixels(ImageProcessor expected, ImageProcessor actual) {
        assertArrayEquals(floats(expected), floats(actual));
    }

    static float[] floats(ImageProcessor ip) {
        int n = ip.getPixelCount();
        float[] f = new float[n * (ip.getBitDepth() == 24 ? 3 : 1)];
        for (int i = 0; i < n; i++) {
            if (ip.getBitDepth() == 24) {
                int c = ip.get(i);
                f[3 * i] = c >> 16 & 255;
                f[3 * i + 1] = c >> 8 & 255;
                f[3 * i + 2] = c & 255;
            } else {
                f[i] = ip.getf(i);
            }
        }
        return f;
    }
}
