// Pigment example: repaint the same selection on every slice of a stack (slice i uses seed + i).
// Argument: the output folder. Uses the current stack if one is open, else makes a 3-slice test stack.
out = getArgument();
if (out == "") out = getDirectory("home") + "pigment" + File.separator;
File.makeDirectory(out);
setBatchMode(true);
if (nImages == 0) {
    newImage("stack", "16-bit ramp", 96, 64, 3);
    run("Add Specified Noise...", "standard=800 stack");
}
makeRectangle(30, 20, 24, 16);
run("Inpaint Selection...", "model=classic fill=telea seed=5 stack");
run("Select None");
saveAs("Tiff", out + "stack-inpainted.tif");
print("process-stack: inpainted " + nSlices + " slices");
