package dev.pigment.core.model;

import java.util.Objects;

/**
 * One reason a model folder cannot be used.
 *
 * @param file the file or folder concerned, relative to the model folder with forward slashes
 *             (e.g. {@code unet/model.onnx}); {@code .} for the folder itself
 * @param what what is wrong, e.g. {@code missing}
 * @param fix  what the user should do about it
 */
public record Problem(String file, String what, String fix) {
    public Problem {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(what, "what");
        Objects.requireNonNull(fix, "fix");
    }

    /** One line: {@code unet/model.onnx: missing. Fix: ...}. */
    @Override
    public String toString() {
        return file + ": " + what + ". Fix: " + fix;
    }
}
