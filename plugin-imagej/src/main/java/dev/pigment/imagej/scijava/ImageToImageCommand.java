package dev.pigment.imagej.scijava;

import dev.pigment.imagej.Commands;
import ij.ImagePlus;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** Image to Image for Fiji scripting: {@code image} redrawn towards the prompt, as a new image. */
@Plugin(type = Command.class, headless = true, label = "Pigment: Image to Image")
public class ImageToImageCommand implements Command {
    @Parameter(label = "Image", persist = false)
    private ImagePlus image;
    @Parameter(label = "Prompt", persist = false, required = false)
    private String prompt = "";
    @Parameter(label = "Negative prompt", persist = false, required = false)
    private String negative = "";
    @Parameter(label = "Model", persist = false, required = false)
    private String model = "demo";
    @Parameter(label = "Strength (0..1)", persist = false, required = false)
    private double strength = 0.6;
    @Parameter(label = "Steps (0 = the model's)", persist = false, required = false)
    private int steps;
    @Parameter(label = "Seed (-1 = random)", persist = false, required = false)
    private long seed = -1;
    @Parameter(label = "Stack (all slices)", persist = false, required = false)
    private boolean stack;
    @Parameter(type = ItemIO.OUTPUT, persist = false)
    private ImagePlus result;

    @Override
    public void run() {
        MacroValues v = new MacroValues();
        v.put("prompt", prompt);
        v.put("negative", negative);
        v.put("model", model);
        v.put("strength", strength);
        v.put("steps", steps);
        v.put("seed", seed);
        v.put("stack", stack);
        result = Commands.imageToImage(image, v.map());
    }
}
