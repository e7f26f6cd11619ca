package dev.pigment.imagej.scijava;

import dev.pigment.imagej.Commands;
import ij.ImagePlus;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Text to Image for Fiji scripting ({@code #@ CommandService}): the same call as the menu command, with the
 * menu command's macro keys as parameter names. No menu entry, so Fiji's menus show the IJ1 command only.
 * Like the other Pigment commands here, no parameter is persisted: a script that omits a key gets the macro
 * default, never a value left over from an earlier call, so the same script gives the same pixels.
 */
@Plugin(type = Command.class, headless = true, label = "Pigment: Text to Image")
public class TextToImageCommand implements Command {
    @Parameter(label = "Prompt", persist = false)
    private String prompt = "";
    @Parameter(label = "Negative prompt", persist = false, required = false)
    private String negative = "";
    @Parameter(label = "Model", persist = false, required = false)
    private String model = "demo";
    @Parameter(label = "Width (0 = the model's)", persist = false, required = false)
    private int width;
    @Parameter(label = "Height (0 = the model's)", persist = false, required = false)
    private int height;
    @Parameter(label = "Steps (0 = the model's)", persist = false, required = false)
    private int steps;
    // Text, as in the menu command: 0 means guidance off, so "the model's" must be a distinct value (empty).
    @Parameter(label = "Guidance (empty = the model's, 0 or 1 = off)", persist = false, required = false)
    private String guidance = "";
    @Parameter(label = "Scheduler (empty = the model's)", persist = false, required = false)
    private String scheduler = "";
    @Parameter(label = "Seed (-1 = random)", persist = false, required = false)
    private long seed = -1;
    @Parameter(label = "Batch", persist = false, required = false)
    private int batch = 1;
    @Parameter(type = ItemIO.OUTPUT, persist = false)
    private ImagePlus result;

    @Override
    public void run() {
        MacroValues v = new MacroValues();
        v.put("prompt", prompt);
        v.put("negative", negative);
        v.put("model", model);
        v.put("width", width);
        v.put("height", height);
        v.put("steps", steps);
        v.put("guidance", guidance);
        v.put("scheduler", scheduler);
        v.put("seed", seed);
        v.put("batch", batch);
        result = Commands.textToImage(v.map());
    }
}
