package dev.pigment.imagej.scijava;

import dev.pigment.imagej.Commands;
import ij.ImagePlus;
import java.util.LinkedHashMap;
import java.util.Map;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** Style Transfer for Fiji scripting: {@code image} with the look of {@code reference}, as a new image. */
@Plugin(type = Command.class, headless = true, label = "Pigment: Style Transfer")
public class StyleTransferCommand implements Command {
    @Parameter(label = "Image")
    private ImagePlus image;
    @Parameter(label = "Reference image")
    private ImagePlus reference;
    @Parameter(label = "Style strength (empty = default)", required = false)
    private String style = "";
    @Parameter(label = "Prompt", required = false)
    private String prompt = "";
    @Parameter(label = "Model", required = false)
    private String model = "classic";
    @Parameter(label = "Method (classic)", required = false)
    private String method = "color";
    @Parameter(label = "Seed (-1 = random)", required = false)
    private long seed = -1;
    @Parameter(type = ItemIO.OUTPUT)
    private ImagePlus result;

    @Override
    public void run() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("style", style == null ? "" : style);
        v.put("prompt", prompt == null ? "" : prompt);
        v.put("model", model);
        v.put("method", method);
        v.put("seed", Long.toString(seed));
        result = Commands.styleTransfer(image, reference, v);
    }
}
