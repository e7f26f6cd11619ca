package dev.pigment.imagej;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.IJ;
import ij.ImagePlus;
import ij.gui.GenericDialog;
import ij.gui.ImageWindow;
import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.Window;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the user sees, captured under Xvfb into target/screenshots (copied to docs/ by hand when the look
 * changes): the Text to Image dialog, and a result window with its provenance.
 */
class ScreenshotIT {
    private static final Path DIR = Path.of("target", "screenshots");

    @BeforeAll
    static void display() throws Exception {
        ImageJTesting.requireDisplay();
        Files.createDirectories(DIR);
    }

    @Test
    void textToImageDialog() throws Exception {
        CommandDialog d = TextToImage.dialog(PigmentSession.service());
        GenericDialog gd = d.dialog();
        ((java.awt.TextField) gd.getStringFields().get(0)).setText("red heart");
        Thread shower = new Thread(gd::showDialog, "show-dialog");
        shower.start();
        waitVisible(gd);
        BufferedImage shot = capture(gd);
        gd.dispose();
        shower.join(5000);
        save(shot, "imagej-text-to-image-dialog.png");
    }

    @Test
    void resultWindow() throws Exception {
        ImagePlus heart = Commands.textToImage(Map.of("prompt", "red heart", "model", "demo", "steps", "20",
                "seed", "7"));
        // The demo model draws 64x64; show it at 4x so the screenshot is readable.
        ImagePlus shown = new ImagePlus(heart.getTitle() + " (seed " + heart.getProp(ImageProvenance.SEED) + ")",
                heart.getProcessor().resize(256, 256));
        shown.show();
        ImageWindow win = shown.getWindow();
        waitVisible(win);
        IJ.wait(500);
        BufferedImage shot = capture(win);
        save(shot, "imagej-result-window.png");
        shown.changes = false;
        shown.close();
    }

    @Test
    void livePreviewWindowShowsTheImageForming() throws Exception {
        java.util.concurrent.atomic.AtomicReference<BufferedImage> seen = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicInteger updates = new java.util.concurrent.atomic.AtomicInteger();
        Thread watcher = new Thread(() -> {
            Object last = null;
            for (int i = 0; i < 400 && seen.get() == null; i++) {
                ImagePlus p = ij.WindowManager.getImage("Pigment preview");
                if (p != null && p.getWindow() != null && p.getWindow().isShowing()) {
                    if (p.getProcessor() != last) {
                        last = p.getProcessor();
                        if (updates.incrementAndGet() == 20) {
                            try {
                                seen.set(capture(p.getWindow()));
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        }
                    }
                }
                IJ.wait(20);
            }
        }, "preview-watcher");
        watcher.start();
        Commands.textToImage(Map.of("prompt", "red heart", "model", "demo", "steps", "200", "seed", "7",
                "preview", "true"));
        watcher.join(10000);
        assertTrue(updates.get() >= 20, "preview updates seen: " + updates.get());
        assertTrue(ij.WindowManager.getImage("Pigment preview") == null, "the preview window closes at the end");
        save(seen.get(), "imagej-preview.png");
    }

    private static void waitVisible(Window w) throws InterruptedException {
        for (int i = 0; i < 100 && (w == null || !w.isShowing()); i++) {
            Thread.sleep(50);
        }
        assertTrue(w != null && w.isShowing(), "window did not appear");
        Thread.sleep(700);
    }

    private static BufferedImage capture(Window w) throws Exception {
        Rectangle r = w.getBounds();
        return new Robot().createScreenCapture(r);
    }

    private static void save(BufferedImage shot, String name) throws Exception {
        File f = DIR.resolve(name).toFile();
        ImageIO.write(shot, "png", f);
        long distinct = java.util.Arrays.stream(shot.getRGB(0, 0, shot.getWidth(), shot.getHeight(), null, 0,
                shot.getWidth())).distinct().count();
        // Flat AWT widgets under Xvfb (no window manager) use few colours; a blank capture has one.
        assertTrue(distinct > 4, name + " looks blank (" + distinct + " colours)");
    }
}
