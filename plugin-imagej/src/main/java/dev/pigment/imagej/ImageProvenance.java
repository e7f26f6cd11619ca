package dev.pigment.imagej;

import dev.pigment.core.api.GenerationResult;
import dev.pigment.core.api.Provenance;
import ij.ImagePlus;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What made an image, stored on it: {@code pigment.*} image properties (ImageJ saves them in TIFF) and a
 * replayable {@code run("Command...", "options");} line in its Info (Image>Show Info). The options are the
 * dialog's values with the seed actually used, so replaying gives the same pixels.
 */
public final class ImageProvenance {
    public static final String COMMAND = "pigment.command";
    public static final String OPTIONS = "pigment.options";
    public static final String SEED = "pigment.seed";
    public static final String MODEL = "pigment.model";
    public static final String VERSION = "pigment.version";

    private ImageProvenance() {
    }

    /** Stores the provenance of {@code result} (seed {@code seed}) made by {@code command} with {@code values}. */
    static void apply(ImagePlus imp, String command, Map<String, String> values, GenerationResult result, long seed) {
        Provenance p = result.provenance();
        Map<String, String> replay = new LinkedHashMap<>(values);
        replay.put("seed", Long.toString(seed));
        String options = macroOptions(replay);
        imp.setProp(COMMAND, command);
        imp.setProp(OPTIONS, options);
        imp.setProp("pigment.task", p.task().id());
        imp.setProp(MODEL, p.modelId());
        imp.setProp("pigment.model-sha256", p.modelSha256() == null ? "" : p.modelSha256());
        imp.setProp("pigment.prompt", p.prompt());
        imp.setProp("pigment.negative", p.negativePrompt());
        imp.setProp(SEED, Long.toString(seed));
        p.parameters().forEach((k, v) -> imp.setProp("pigment." + k, v));
        imp.setProp(VERSION, version());
        imp.setProp("pigment.parameters", p.toA1111Text(seed));
        String line = "run(\"" + command + "\", \"" + options.replace("\\", "\\\\").replace("\"", "\\\"") + "\");";
        Object info = imp.getProperty("Info");
        imp.setProperty("Info", (info == null ? "" : info + "\n") + "Pigment: " + line + "\n"
                + "Pigment parameters: " + p.toA1111Text(seed).replace('\n', ' ') + "\n");
    }

    /** ImageJ macro options: key=value, values with spaces or brackets in [...]; flags as a bare key when true. */
    static String macroOptions(Map<String, String> values) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : values.entrySet()) {
            String v = e.getValue();
            boolean flag = ImageJKeys.FLAGS.contains(e.getKey());
            if (flag && "false".equals(v)) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append(' ');
            }
            if (flag) {
                sb.append(e.getKey());
                continue;
            }
            boolean wrap = v.isEmpty() || v.contains(" ") || v.contains("[") || v.contains("]") || v.contains("=");
            sb.append(e.getKey()).append('=').append(wrap ? "[" + v + "]" : v);
        }
        return sb.toString();
    }

    static String version() {
        String v = ImageProvenance.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
