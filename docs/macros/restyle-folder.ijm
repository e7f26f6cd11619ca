// Pigment example: give every image of a folder the colours of one reference image (classic engine).
// Argument: "input folder|reference file|output folder". Given just a folder (or nothing: a temp folder),
// it first makes a small demo set there (in/, reference.tif) and writes to out/.
arg = getArgument();
setBatchMode(true);
if (indexOf(arg, "|") < 0) {
    base = arg;
    if (base == "") base = getDirectory("temp") + "pigment-restyle" + File.separator;
    File.makeDirectory(base);
    input = base + "in" + File.separator; File.makeDirectory(input);
    for (i = 1; i <= 2; i++) { newImage("img" + i, "RGB ramp", 64, 48, 1); run("Add Specified Noise...", "standard=" + (10 * i)); saveAs("Tiff", input + "img" + i + ".tif"); close(); }
    newImage("reference", "RGB ramp", 40, 40, 1); run("Invert"); reference = base + "reference.tif"; saveAs("Tiff", reference); close();
    output = base + "out" + File.separator;
} else {
    parts = split(arg, "|");
    input = parts[0]; reference = parts[1]; output = parts[2];
}
File.makeDirectory(output);
open(reference);
ref = getTitle();
list = getFileList(input);
count = 0;
for (i = 0; i < list.length; i++) {
    if (!endsWith(list[i], ".tif")) continue;
    open(input + list[i]);
    run("Style Transfer...", "reference=[" + ref + "] model=classic method=color");
    saveAs("Tiff", output + list[i]);
    close();
    close(list[i]);
    count++;
}
print("restyle-folder: restyled " + count + " images after " + ref);
