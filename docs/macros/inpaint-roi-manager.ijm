// Pigment example: remove every ROI of the ROI Manager from an image with the classic fill (no model needed).
// Argument: the output folder. Uses the current image if one is open, else makes a test image with two ROIs.
out = getArgument();
if (out == "") out = getDirectory("home") + "pigment" + File.separator;
File.makeDirectory(out);
setBatchMode(true);
if (nImages == 0) {
    newImage("scene", "RGB ramp", 128, 96, 1);
    run("Add Specified Noise...", "standard=20");
    roiManager("reset");
    makeOval(20, 20, 24, 18); roiManager("add");
    makeRectangle(80, 50, 20, 20); roiManager("add");
    run("Select None");
}
title = getTitle();
n = roiManager("count");
for (i = 0; i < n; i++) {
    selectImage(title);
    roiManager("select", i);
    run("Inpaint Selection...", "model=classic fill=patchmatch grow=1 seed=" + i);
}
run("Select None");
saveAs("Tiff", out + "inpainted-rois.tif");
print("inpaint-roi-manager: filled " + n + " ROIs");
