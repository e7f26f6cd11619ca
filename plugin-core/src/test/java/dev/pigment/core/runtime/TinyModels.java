package dev.pigment.core.runtime;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The tiny fixtures made by {@code src/test/fixtures/make_tiny_models.py} and the numpy reference
 * outputs it wrote beside them.
 */
public final class TinyModels {
    private TinyModels() {
    }

    /** A folder or file under src/test/resources, e.g. {@code models/tiny-sd}. */
    public static Path resource(String relative) {
        URL url = TinyModels.class.getResource("/" + relative);
        if (url == null) {
            throw new IllegalStateException("test resource " + relative + " is missing; run "
                    + "src/test/fixtures/make_tiny_models.py");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Path model(String folder, String component) {
        return resource("models/" + folder + "/" + component + "/model.onnx");
    }

    public static JsonObject reference() {
        try {
            return JsonParser.parseString(Files.readString(resource("reference/tiny-models.json"),
                    StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static float[] floats(JsonArray array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).getAsFloat();
        }
        return out;
    }

    /** The script's input formula: value(i) = ((i * 7919 + salt) % 1000) / 500 - 1. */
    public static float[] pattern(int count, int salt) {
        float[] out = new float[count];
        for (int i = 0; i < count; i++) {
            out[i] = (float) ((((long) i * 7919 + salt) % 1000) / 500.0 - 1.0);
        }
        return out;
    }

    public static double maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
        }
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs((double) a[i] - b[i]));
        }
        return max;
    }
}
