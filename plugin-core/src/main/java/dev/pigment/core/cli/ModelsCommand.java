package dev.pigment.core.cli;

import dev.pigment.core.model.ModelInfo;
import dev.pigment.core.model.ModelRegistry;
import dev.pigment.core.model.ValidationReport;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "models", mixinStandardHelpOptions = true,
        description = "List the installed models, or check one folder thoroughly (--check).")
final class ModelsCommand implements Callable<Integer> {
    @Mixin
    RuntimeArgs runtime;

    @Option(names = "--check", paramLabel = "ID", description = "Validate this model (files, ONNX inputs, sha256) and explain any problem.")
    String check;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ModelRegistry registry = runtime.registry();
        if (check != null) {
            ModelInfo model = ModelRegistry.CLASSIC_ID.equalsIgnoreCase(check.trim()) ? null : registry.resolve(check);
            if (model == null) {
                out.println("classic: built in, needs no files.");
                return PigmentCli.EXIT_OK;
            }
            ValidationReport report = registry.validate(model.folder(), true);
            out.println(report.ok() ? model.id() + ": OK (" + model.folder() + ")" : report.explain());
            report.warnings().forEach(w -> out.println("warning: " + w));
            return report.ok() ? PigmentCli.EXIT_OK : PigmentCli.EXIT_MODEL;
        }
        out.printf("%-24s %-18s %10s  %s%n", "ID", "FAMILY", "SIZE", "NAME");
        for (ModelInfo m : registry.list()) {
            out.printf("%-24s %-18s %10s  %s%n", m.id(), m.family().id(), humanSize(m.sizeBytes()),
                    m.displayName() + (m.licence() == null ? "" : " [" + m.licence() + "]"));
        }
        out.println();
        out.println("Searched: " + registry.roots());
        return PigmentCli.EXIT_OK;
    }

    static String humanSize(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KB", "MB", "GB", "TB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
