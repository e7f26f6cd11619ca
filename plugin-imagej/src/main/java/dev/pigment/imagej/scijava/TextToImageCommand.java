package dev.pigment.imagej.scijava;

import dev.pigment.imagej.Commands;
import ij.ImagePlus;
import java.util.LinkedHashMap;
import java.util.Map;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Text to Image for Fiji scripting ({@code #@ CommandService}): the same call as the menu command, with the
 * menu command's macro keys as parameter names. No menu entry, so Fiji's menus show the IJ1 command only.
 */
@Plugin(type = Command.class, headless = true, label = "Pigment: Text to Image")
public class TextToImageCommand implements Command {
    @Parameter(label = "Prompt")
    private String prompt = "";
    @Parameter(label = "Negative prompt", required = false)
    private String negative = "";
    @Parameter(label = "Model", required = false)
    private String model = "demo";
    @Parameter(label = "Width (0 = the model's)", required = false)
    private int width;
    @Parameter(label = "Height (0 = the model's)", required = false)
    private int height;
    @Parameter(label = "Steps (0 = the model's)", required = false)
    private int steps;
    @Parameter(label = "Guidance (0 = the model's)", required = false)
    private double guidance;
    @Parameter(label = "Scheduler (empty = the model's)", required = false)
    private String scheduler = "";
    @Parameter(label = "Seed (-1 = random)", required = false)
    private long seed = -1;
    @Parameter(label = "Batch", required = false)
    private int batch = 1;
    @Parameter(type = ItemIO.OUTPUT)
    private ImagePlus result;

    @Override
    public void run() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("prompt", prompt);
        v.put("negative", negative == null ? "" : negative);
        v.put("model", model);
        v.put("width", Integer.toString(width));
        v.put("height", Integer.toString(height));
        v.put("steps", Integer.toString(steps));
        v.put("guidance", Double.toString(guidance));
        v.put("scheduler", scheduler == null ? "" : scheduler);
        v.put("seed", Long.toString(seed));
        v.put("batch", Integer.toString(batch));
        result = Commands.textToImage(v);
    }
}
