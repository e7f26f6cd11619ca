package dev.pigment.core.model;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What {@link ModelRegistry#validate} found in a model folder.
 *
 * @param folder   the folder checked
 * @param family   the family detected (or declared); the checks follow it
 * @param problems reasons the model cannot run; empty when it can
 * @param warnings things worth knowing that do not stop it (e.g. no vae_encoder: no img2img)
 */
public record ValidationReport(Path folder, ModelFamily family, List<Problem> problems, List<String> warnings) {
    public ValidationReport {
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(family, "family");
        problems = List.copyOf(problems);
        warnings = List.copyOf(warnings);
    }

    public boolean ok() {
        return problems.isEmpty();
    }

    /** A user-facing explanation, one problem per line, each with its fix; warnings after. */
    public String explain() {
        StringBuilder sb = new StringBuilder();
        if (ok()) {
            sb.append("Model folder ").append(folder).append(" is usable (").append(family.id()).append(").");
        } else {
            sb.append("Model folder ").append(folder).append(" is not usable:");
            for (Problem p : problems) {
                sb.append("\n - ").append(p);
            }
        }
        if (!warnings.isEmpty()) {
            sb.append(ok() ? "\nWarnings:" : "\nAlso:");
            for (String w : warnings) {
                sb.append("\n - ").append(w);
            }
        }
        return sb.toString();
    }
}
