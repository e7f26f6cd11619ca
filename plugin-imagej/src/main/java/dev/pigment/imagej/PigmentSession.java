package dev.pigment.imagej;

import dev.pigment.core.model.ModelRegistry;
import dev.pigment.core.runtime.RuntimeOptions;
import dev.pigment.core.service.GenerationService;
import ij.IJ;
import ij.Prefs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The one {@link GenerationService} of an ImageJ session, so a model loaded by one command stays loaded for
 * the next. It lives in ImageJ's own session store ({@link IJ#setProperty}) rather than in a static field of
 * ours: ImageJ may load the plugin classes more than once (a plugin-folder refresh makes a new class loader),
 * and the store outlives that. It is closed when the JVM exits (ImageJ's Quit ends the JVM).
 */
public final class PigmentSession {
    private static final String KEY = "dev.pigment.imagej.service";
    /** ImageJ preference holding the model the dialogs preselect. */
    static final String DEFAULT_MODEL_PREF = "pigment.model";

    private PigmentSession() {
    }

    /** The session's service, created on first use. */
    public static GenerationService service() {
        synchronized (IJ.class) {
            Object existing = IJ.getProperty(KEY);
            if (existing instanceof GenerationService s) {
                return s;
            }
            GenerationService s = new GenerationService(registry(), RuntimeOptions.defaults(),
                    GenerationService.defaultBudget());
            Runtime.getRuntime().addShutdownHook(new Thread(s::close, "pigment-close"));
            IJ.setProperty(KEY, s);
            return s;
        }
    }

    /**
     * Model roots: {@code <ImageJ>/models}, then the usual ones ({@code <pigment.home>/models}, {@code
     * $PIGMENT_MODELS}).
     */
    static ModelRegistry registry() {
        List<Path> extra = new ArrayList<>();
        String ijDir = IJ.getDirectory("imagej");
        if (ijDir != null) {
            extra.add(Path.of(ijDir, "models"));
        }
        List<Path> roots = new ArrayList<>(extra);
        roots.addAll(ModelRegistry.standard(List.of()).roots());
        return new ModelRegistry(roots);
    }

    /** The model the dialogs preselect: the user's choice (Pigment Models...), else demo. */
    static String defaultModel() {
        return Prefs.get(DEFAULT_MODEL_PREF, "demo");
    }

    static void setDefaultModel(String id) {
        Prefs.set(DEFAULT_MODEL_PREF, id);
    }
}
