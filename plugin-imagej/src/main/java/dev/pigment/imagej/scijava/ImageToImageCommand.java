package dev.pigment.imagej.scijava;

import dev.pigment.imagej.Commands;
import ij.ImagePlus;
import java.util.LinkedHashMap;
import java.util.Map;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** Image to Image for Fiji scripting: {@code image} redrawn towards the prompt, as a new image. */
@Plugin(type = Command.class, headless = true, label = "Pigment: Image to Image")
public class ImageToImageCommand implements Command {
    @Parameter(label = "Image")
    private ImagePlus image;
    @Parameter(label = "Prompt", required = false)
    private String prompt = "";
    @Parameter(label = "Negative prompt", required = false)
    private String negative = "";
    @Parameter(label = "Model", required = false)
    private String model = "demo";
    @Parameter(label = "Strength (0..1)", required = false)
    private double strength = 0.6;
    @Parameter(label = "Steps (0 = the model's)", required = false)
    private int steps;
    @Parameter(label = "Seed (-1 = random)", required = false)
    private long seed = -1;
    @Parameter(label = "Stack (all slices)", required = false)
    private boolean stack;
    @Parameter(type = ItemIO.OUTPUT)
    private ImagePlus result;

    @Override
    public void run() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("prompt", prompt == null ? "" : prompt);
        v.put("negative", negative == null ? "" : negative);
        v.put("model", model);
        v.put("strength", Double.toString(strength));
        v.put("steps", Integer.toString(steps));
        v.put("seed", Long.toString(seed));
        v.put("stack", Boolean.toString(stack));
        result = Commands.imageToImage(image, v);
    }
}
