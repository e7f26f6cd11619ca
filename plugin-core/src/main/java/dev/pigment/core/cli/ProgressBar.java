package dev.pigment.core.cli;

import dev.pigment.core.api.Phase;
import dev.pigment.core.api.Progress;
import dev.pigment.core.api.ProgressListener;
import java.io.PrintWriter;

/**
 * A one-line progress bar on stderr, redrawn in place: "denoise [#######.....] 12/20". When stderr
 * is not a terminal (logs, CI), redrawing would only fill the log, so each phase prints one line as it ends.
 */
final class ProgressBar implements ProgressListener {
    private static final int WIDTH = 30;
    private final PrintWriter err;
    private final boolean quiet;
    private final boolean interactive;
    private boolean drawn;

    ProgressBar(PrintWriter err, boolean quiet) {
        this(err, quiet, System.console() != null);
    }

    ProgressBar(PrintWriter err, boolean quiet, boolean interactive) {
        this.err = err;
        this.quiet = quiet;
        this.interactive = interactive;
    }

    @Override
    public void onProgress(Progress p) {
        // The CLI runs one job, so it is never behind another in a queue.
        if (quiet || p.phase() == Phase.QUEUED || (!interactive && (p.totalSteps() == 0 || p.step() < p.totalSteps()))) {
            return;
        }
        int filled = p.totalSteps() == 0 ? 0 : (int) Math.round(WIDTH * p.fraction());
        String bar = "#".repeat(filled) + ".".repeat(WIDTH - filled);
        String image = p.imageIndex() > 0 ? " image " + (p.imageIndex() + 1) : "";
        String line = String.format("%-13s [%s] %d/%d%s", p.phase(), bar, p.step(), p.totalSteps(), image);
        if (interactive) {
            err.print("\r" + line + "   ");
            drawn = true;
        } else {
            err.println(line);
        }
        err.flush();
    }

    void finish() {
        if (drawn) {
            err.println();
            err.flush();
        }
    }
}
