package dev.pigment.imagej.scijava;

import dev.pigment.imagej.Commands;
import ij.ImagePlus;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** Style Transfer for Fiji scripting: {@code image} with the look of {@code reference}, as a new image. */
@Plugin(type = Command.class, headless = true, label = "Pigment: Style Transfer")
public class StyleTransferCommand implements Command {
    @Parameter(label = "Image", persist = false)
    private ImagePlus image;
    @Parameter(label = "Reference image", persist = false)
    private ImagePlus reference;
    @Parameter(label = "Style strength (empty = default)", persist = false, required = false)
    private String style = "";
    @Parameter(label = "Prompt", persist = false, required = false)
    private String prompt = "";
    @Parameter(label = "Model", persist = false, required = false)
    private String model = "classic";
    @Parameter(label = "Method (classic)", persist = false, required = false)
    private String method = "color";
    @Parameter(label = "Seed (-1 = random)", persist = false, required = false)
    private long seed = -1;
    @Parameter(type = ItemIO.OUTPUT, persist = false)
    private ImagePlus result;

    @Override
    public void run() {
        MacroValues v = new MacroValues();
        v.put("style", style);
        v.put("prompt", prompt);
        v.put("model", model);
        v.put("method", method);
        v.put("seed", seed);
        result = Commands.styleTransfer(image, reference, v.map());
    }
}
