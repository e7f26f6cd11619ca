package dev.pigment.imagej;

import dev.pigment.core.api.CancellationToken;
import dev.pigment.core.api.CancelledException;
import dev.pigment.core.api.GenerationRequest;
import dev.pigment.core.api.GenerationResult;
import dev.pigment.core.api.Progress;
import dev.pigment.core.api.ProgressListener;
import dev.pigment.core.image.RgbImage;
import ij.IJ;
import ij.ImagePlus;
import ij.macro.Interpreter;
import ij.process.ImageProcessor;

/**
 * Runs one request through the session's service on its worker thread while ImageJ shows the progress:
 * "Pigment: denoise 7/20" in the status bar, the progress bar, and optionally a live preview window. Esc
 * cancels between steps (the service throws {@code CancelledException} and nothing is written). Esc pressed
 * after the last step (during the decode, or before the result is pasted) is honoured too: callers call
 * {@link #requireNotCancelled()} right before they write anything.
 */
final class Generation implements ProgressListener {
    private final CancellationToken cancel = new CancellationToken();
    private final boolean preview;
    private final ProgressListener observer;
    private ImagePlus previewWindow;

    private Generation(boolean preview, ProgressListener observer) {
        // A preview window makes no sense when no window is shown (batch-mode macros).
        this.preview = preview && !Interpreter.isBatchMode() && !java.awt.GraphicsEnvironment.isHeadless();
        this.observer = observer;
    }

    /** How a command runs one request; tests substitute one that presses Esc at an exact moment. */
    @FunctionalInterface
    interface Runner {
        GenerationResult run(GenerationRequest request, boolean preview);
    }

    /** Runs {@code request}; blocks the calling thread (never the event thread: ImageJ runs commands off it). */
    static GenerationResult run(GenerationRequest request, boolean preview) {
        return run(request, preview, p -> { });
    }

    /** As {@link #run(GenerationRequest, boolean)}, also telling {@code observer} each event (after Esc is polled). */
    static GenerationResult run(GenerationRequest request, boolean preview, ProgressListener observer) {
        Generation g = new Generation(preview, observer);
        try {
            GenerationResult result = PigmentSession.service().run(request, g, g.cancel);
            // the service stops polling after its last step: Esc during the decode arrives here
            requireNotCancelled();
            return result;
        } finally {
            IJ.showProgress(1.0);
            if (g.previewWindow != null) {
                g.previewWindow.changes = false;
                g.previewWindow.close();
            }
        }
    }

    @Override
    public void onProgress(Progress p) {
        if (IJ.escapePressed()) {
            cancel.cancel();
        }
        String what = "Pigment: " + p.phase().id() + (p.totalSteps() > 0 ? " " + p.step() + "/" + p.totalSteps() : "");
        IJ.showStatus(what);
        if (p.totalSteps() > 0) {
            IJ.showProgress(p.step(), p.totalSteps());
        }
        if (preview && p.preview() != null) {
            showPreview(p.preview());
        }
        observer.onProgress(p);
    }

    /**
     * Throws {@link CancelledException} if Esc was pressed since the command started: the promise is that Esc
     * leaves the image exactly as it was, so a result that finished after Esc is thrown away, not written.
     */
    static void requireNotCancelled() {
        if (IJ.escapePressed()) {
            throw new CancelledException();
        }
    }

    @Override
    public boolean wantsPreview() {
        return preview;
    }

    private void showPreview(RgbImage image) {
        ImageProcessor ip = enlarged(ImageBridge.newRgb("", image).getProcessor());
        if (previewWindow == null) {
            previewWindow = new ImagePlus("Pigment preview", ip);
            previewWindow.show();
        } else {
            previewWindow.setProcessor(ip);
            previewWindow.updateAndDraw();
        }
    }

    /** Previews are latent-sized (an eighth of the image or less): shown at least 256 pixels wide, blocky. */
    private static ImageProcessor enlarged(ImageProcessor ip) {
        int k = Math.max(1, (int) Math.ceil(256.0 / Math.max(ip.getWidth(), ip.getHeight())));
        if (k == 1) {
            return ip;
        }
        ip.setInterpolationMethod(ImageProcessor.NONE);
        return ip.resize(ip.getWidth() * k, ip.getHeight() * k);
    }
}
