package dev.pigment.core.cli;

import dev.pigment.core.api.Progress;
import dev.pigment.core.api.ProgressListener;
import java.io.PrintWriter;

/** A one-line progress bar on stderr, redrawn in place: "denoise [#######.....] 12/20". */
final class ProgressBar implements ProgressListener {
    private static final int WIDTH = 30;
    private final PrintWriter err;
    private final boolean quiet;
    private boolean drawn;

    ProgressBar(PrintWriter err, boolean quiet) {
        this.err = err;
        this.quiet = quiet;
    }

    @Override
    public void onProgress(Progress p) {
        if (quiet) {
            return;
        }
        int filled = p.totalSteps() == 0 ? 0 : (int) Math.round(WIDTH * p.fraction());
        String bar = "#".repeat(filled) + ".".repeat(WIDTH - filled);
        String image = p.imageIndex() > 0 ? " image " + (p.imageIndex() + 1) : "";
        err.print(String.format("\r%-13s [%s] %d/%d%s   ", p.phase(), bar, p.step(), p.totalSteps(), image));
        err.flush();
        drawn = true;
    }

    void finish() {
        if (drawn) {
            err.println();
            err.flush();
        }
    }
}
