package dev.pigment.imagej;

import dev.pigment.core.api.CancelledException;
import dev.pigment.core.api.PigmentException;
import ij.IJ;

/**
 * How a command reports failure: the core's user message in ImageJ's error dialog, or, when a macro runs the
 * command, a Log line plus ImageJ's macro error, so {@code run(...)} in a macro stops visibly instead of
 * silently going on without a result. Never a stack trace in the user's face.
 */
final class Errors {
    static final String TITLE = "Pigment";

    private Errors() {
    }

    /** Reports {@code t} for the command {@code command}. */
    static void report(String command, Throwable t) {
        if (t instanceof CancelledException) {
            IJ.showStatus("Pigment: " + command + " cancelled; nothing was changed.");
            IJ.showProgress(1.0);
            return;
        }
        String message = t instanceof PigmentException p ? p.getMessage() : unexpected(t);
        if (IJ.isMacro()) {
            IJ.log("Pigment: " + command + ": " + message);
        }
        IJ.error(TITLE, message);
    }

    private static String unexpected(Throwable t) {
        IJ.log("Pigment: unexpected failure, details for a bug report:\n" + stackTrace(t));
        if (t instanceof OutOfMemoryError) {
            return "ImageJ ran out of memory: use a smaller image or size, or give ImageJ more memory"
                    + " (Edit>Options>Memory & Threads).";
        }
        return "Pigment failed unexpectedly (" + t.getClass().getSimpleName() + (t.getMessage() == null ? ""
                : ": " + t.getMessage()) + "). The Log window holds the details; please report them.";
    }

    private static String stackTrace(Throwable t) {
        java.io.StringWriter w = new java.io.StringWriter();
        t.printStackTrace(new java.io.PrintWriter(w));
        return w.toString();
    }
}
