// Pigment example: one image per prompt, saved as TIFF (Pigment's parameters travel in the TIFF).
// Argument: the output folder (default: a "pigment" folder in your home folder).
out = getArgument();
if (out == "") out = getDirectory("home") + "pigment" + File.separator;
File.makeDirectory(out);
prompts = newArray("red heart", "yellow star", "green apple");
setBatchMode(true);
for (i = 0; i < prompts.length; i++) {
    run("Text to Image...", "prompt=[" + prompts[i] + "] model=demo steps=8 seed=" + (100 + i));
    saveAs("Tiff", out + "prompt-" + (i + 1) + ".tif");
    close();
}
print("batch-text-to-image: wrote " + prompts.length + " images to " + out);
