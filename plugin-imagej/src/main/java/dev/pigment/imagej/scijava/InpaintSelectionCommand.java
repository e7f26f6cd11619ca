package dev.pigment.imagej.scijava;

import dev.pigment.imagej.Commands;
import ij.ImagePlus;
import java.util.LinkedHashMap;
import java.util.Map;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** Inpaint Selection for Fiji scripting: repaints {@code image}'s selection in place (the same call as the menu). */
@Plugin(type = Command.class, headless = true, label = "Pigment: Inpaint Selection")
public class InpaintSelectionCommand implements Command {
    @Parameter(label = "Image (its selection is the mask)", type = ItemIO.BOTH)
    private ImagePlus image;
    @Parameter(label = "Prompt", required = false)
    private String prompt = "";
    @Parameter(label = "Negative prompt", required = false)
    private String negative = "";
    @Parameter(label = "Model", required = false)
    private String model = "classic";
    @Parameter(label = "Fill", required = false)
    private String fill = "default";
    @Parameter(label = "Grow (pixels)", required = false)
    private int grow;
    @Parameter(label = "Feather (pixels)", required = false)
    private int feather;
    @Parameter(label = "Strength (empty = default)", required = false)
    private String strength = "";
    @Parameter(label = "Steps (0 = the model's)", required = false)
    private int steps;
    @Parameter(label = "Seed (-1 = random)", required = false)
    private long seed = -1;
    @Parameter(label = "Stack (all slices)", required = false)
    private boolean stack;

    @Override
    public void run() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("prompt", prompt == null ? "" : prompt);
        v.put("negative", negative == null ? "" : negative);
        v.put("model", model);
        v.put("fill", fill == null ? "default" : fill);
        v.put("grow", Integer.toString(grow));
        v.put("feather", Integer.toString(feather));
        v.put("strength", strength == null ? "" : strength);
        v.put("steps", Integer.toString(steps));
        v.put("seed", Long.toString(seed));
        v.put("stack", Boolean.toString(stack));
        Commands.inpaint(image, v);
    }
}
