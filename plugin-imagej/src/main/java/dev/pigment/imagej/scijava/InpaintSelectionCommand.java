package dev.pigment.imagej.scijava;

import dev.pigment.imagej.Commands;
import ij.ImagePlus;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** Inpaint Selection for Fiji scripting: repaints {@code image}'s selection in place (the same call as the menu). */
@Plugin(type = Command.class, headless = true, label = "Pigment: Inpaint Selection")
public class InpaintSelectionCommand implements Command {
    @Parameter(label = "Image (its selection is the mask)", persist = false, type = ItemIO.BOTH)
    private ImagePlus image;
    @Parameter(label = "Prompt", persist = false, required = false)
    private String prompt = "";
    @Parameter(label = "Negative prompt", persist = false, required = false)
    private String negative = "";
    @Parameter(label = "Model", persist = false, required = false)
    private String model = "classic";
    @Parameter(label = "Fill", persist = false, required = false)
    private String fill = "default";
    @Parameter(label = "Grow (pixels)", persist = false, required = false)
    private int grow;
    @Parameter(label = "Feather (pixels)", persist = false, required = false)
    private int feather;
    @Parameter(label = "Strength (empty = default)", persist = false, required = false)
    private String strength = "";
    @Parameter(label = "Steps (0 = the model's)", persist = false, required = false)
    private int steps;
    @Parameter(label = "Seed (-1 = random)", persist = false, required = false)
    private long seed = -1;
    @Parameter(label = "Stack (all slices)", persist = false, required = false)
    private boolean stack;

    @Override
    public void run() {
        MacroValues v = new MacroValues();
        v.put("prompt", prompt);
        v.put("negative", negative);
        v.put("model", model);
        v.put("fill", fill);
        v.put("grow", grow);
        v.put("feather", feather);
        v.put("strength", strength);
        v.put("steps", steps);
        v.put("seed", seed);
        v.put("stack", stack);
        Commands.inpaint(image, v.map());
    }
}
