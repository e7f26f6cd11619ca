package dev.pigment.imagej;

import dev.pigment.core.api.RequestKeys;
import dev.pigment.core.model.ModelInfo;
import dev.pigment.core.model.ValidationReport;
import dev.pigment.core.service.Capabilities;
import dev.pigment.core.service.GenerationService;
import ij.IJ;
import ij.plugin.PlugIn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Plugins>Pigment>Pigment Models...: lists the models (family, size, tasks, status, and for a broken model the
 * check's explanation of what is missing) and the model folders in the Log, and sets the model the dialogs
 * preselect ({@code model=id}).
 */
public class PigmentModels implements PlugIn {
    public static final String COMMAND = "Pigment Models...";

    @Override
    public void run(String arg) {
        try {
            GenerationService service = PigmentSession.service();
            String report = report(service);
            IJ.log(report);
            List<String> ids = new ArrayList<>();
            service.models().forEach(m -> ids.add(m.id()));
            CommandDialog d = new CommandDialog("Pigment: Models");
            d.message(report.length() > 1500 ? report.substring(0, 1500) + "\n... (the Log holds the full list)" : report);
            d.choice(RequestKeys.MODEL.name(), "Model to preselect in the Pigment dialogs", ids,
                    PigmentSession.defaultModel());
            if (!d.show()) {
                return;
            }
            String chosen = d.read().get(RequestKeys.MODEL.name());
            if (!ids.contains(chosen)) {
                throw dev.pigment.core.api.PigmentException.badRequest("model=" + chosen + " is not installed: use one of "
                        + String.join(", ", ids) + ".");
            }
            PigmentSession.setDefaultModel(chosen);
            IJ.showStatus("Pigment: dialogs now preselect " + chosen);
        } catch (Throwable t) {
            Errors.report(COMMAND, t);
        }
    }

    /** The model table and the model folders, as plain text. */
    static String report(GenerationService service) {
        StringBuilder sb = new StringBuilder("Pigment models (" + ImageProvenance.version() + ")\n");
        Map<String, ModelInfo> byId = new java.util.HashMap<>();
        service.models().forEach(m -> byId.put(m.id(), m));
        for (Capabilities.ModelCapabilities m : service.capabilities().models()) {
            ModelInfo info = byId.get(m.id());
            sb.append(String.format(Locale.ROOT, "%-14s %-18s %8s  %s  %s%n", m.id(), m.family().id(),
                    size(info.sizeBytes()), m.tasks().isEmpty() ? "(cannot run yet)" : m.tasks().stream()
                            .map(t -> t.id()).sorted().toList(), status(service, info)));
        }
        sb.append("Model folders (first wins):\n");
        for (Path root : service.registry().roots()) {
            sb.append("  ").append(root).append(Files.isDirectory(root) ? "" : " (does not exist)").append('\n');
        }
        return sb.toString();
    }

    private static String status(GenerationService service, ModelInfo info) {
        if (info.isClassic()) {
            return "ok (built in)";
        }
        ValidationReport r = service.registry().validate(info.folder(), false);
        return r.ok() ? "ok" : "BROKEN:\n    " + r.explain().replace("\n", "\n    ");
    }

    private static String size(long bytes) {
        return bytes == 0 ? "-" : String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
}
