package dev.pigment.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pigment.core.image.ImageFiles;
import dev.pigment.core.image.Mask;
import dev.pigment.core.image.StoredPixels;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every PNG colour type goes through an edit with its unmasked pixels (and alpha) exactly as stored. */
class PixelFidelityTest {
    private static final int W = 24;
    private static final int H = 16;

    @TempDir
    Path dir;

    /** A PNG of the given type whose samples vary per pixel and band (at the full bit depth). */
    static BufferedImage png(boolean grey, boolean alpha, int bits) {
        ColorSpace cs = ColorSpace.getInstance(grey ? ColorSpace.CS_GRAY : ColorSpace.CS_sRGB);
        ComponentColorModel cm = new ComponentColorModel(cs, alpha, false,
                alpha ? Transparency.TRANSLUCENT : Transparency.OPAQUE, bits == 16 ? DataBuffer.TYPE_USHORT : DataBuffer.TYPE_BYTE);
        WritableRaster r = cm.createCompatibleWritableRaster(W, H);
        int max = (1 << bits) - 1;
        for (int b = 0; b < r.getNumBands(); b++) {
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    r.setSample(x, y, b, (int) (((long) (x * 7 + y * 13 + b * 29) * 2654435761L) % (max + 1)));
                }
            }
        }
        return new BufferedImage(cm, r, false, null);
    }

    static BufferedImage palette() {
        byte[] red = new byte[16];
        byte[] green = new byte[16];
        byte[] blue = new byte[16];
        for (int i = 0; i < 16; i++) {
            red[i] = (byte) (i * 17);
            green[i] = (byte) (255 - i * 13);
            blue[i] = (byte) (i * 5 + 40);
        }
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(4, 16, red, green, blue));
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                img.getRaster().setSample(x, y, 0, (x + 3 * y) % 16);
            }
        }
        return img;
    }

    private int inpaint(Path in, Path out) throws Exception {
        BufferedImage mask = new BufferedImage(W, H, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 4; y < 10; y++) {
            for (int x = 6; x < 14; x++) {
                mask.getRaster().setSample(x, y, 0, 255);
            }
        }
        Path maskFile = dir.resolve("mask.png");
        ImageIO.write(mask, "png", maskFile.toFile());
        picocli.CommandLine cl = PigmentCli.newCommandLine();
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(new StringWriter()));
        return cl.execute("inpaint", "--model", "classic", "--mask", maskFile.toString(), "-q", "-o", out.toString(), in.toString());
    }

    private void assertUnmaskedKept(BufferedImage source, String name) throws Exception {
        assertUnmaskedKept(source, name, "png");
    }

    private void assertUnmaskedKept(BufferedImage source, String name, String outputExtension) throws Exception {
        Path in = dir.resolve(name + ".png");
        ImageIO.write(source, "png", in.toFile());
        Path out = dir.resolve(name + "-out." + outputExtension);
        assertEquals(0, inpaint(in, out));
        StoredPixels before = ImageFiles.read(in);
        StoredPixels after = ImageFiles.read(out);
        assertEquals(before.bitsPerSample(), after.bitsPerSample(), name + ": precision kept");
        float[] a = before.rgb().data();
        float[] b = after.rgb().data();
        int n = W * H;
        for (int i = 0; i < n; i++) {
            int x = i % W;
            int y = i / W;
            boolean masked = x >= 6 && x < 14 && y >= 4 && y < 10;
            for (int c = 0; c < 3 && !masked; c++) {
                assertEquals(a[c * n + i], b[c * n + i], name + ": band " + c + " at " + x + "," + y);
            }
        }
        if (before.alpha() != null) {
            assertNotNull(after.alpha(), name + ": alpha carried through");
            for (int i = 0; i < n; i++) {
                assertEquals(before.alpha().data()[i], after.alpha().data()[i], name + ": alpha at pixel " + i);
            }
        } else {
            assertNull(after.alpha(), name);
        }
    }

    @ParameterizedTest
    @CsvSource({"true,false,8", "true,false,16", "true,true,8", "true,true,16",
                "false,false,8", "false,false,16", "false,true,8", "false,true,16"})
    void unmaskedPixelsOfEveryColourTypeRoundTripExactly(boolean grey, boolean alpha, int bits) throws Exception {
        assertUnmaskedKept(png(grey, alpha, bits), (grey ? "grey" : "rgb") + (alpha ? "a" : "") + bits);
    }

    @ParameterizedTest
    @CsvSource({"false,true,16", "true,false,16", "false,false,8"})
    void tiffOutputKeepsPrecisionAndAlphaToo(boolean grey, boolean alpha, int bits) throws Exception {
        assertUnmaskedKept(png(grey, alpha, bits), "tif" + grey + alpha + bits, "tif");
    }

    @Test
    void jpegOutputIsWrittenWithANoteOnWhatItCannotHold() throws Exception {
        Path in = dir.resolve("rgba.png");
        ImageIO.write(png(false, true, 8), "png", in.toFile());
        Path out = dir.resolve("out.jpeg");
        picocli.CommandLine cl = PigmentCli.newCommandLine();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(err));
        assertEquals(0, cl.execute("restyle", "--model", "classic", "--reference", in.toString(), "-q", "-o",
                out.toString(), in.toString()), err.toString());
        assertEquals(W, ImageIO.read(out.toFile()).getWidth());
        assertTrue(err.toString().contains("transparency was dropped") && err.toString().contains("only in PNG"),
                err.toString());
    }

    @Test
    void paletteImagesRoundTripExactly() throws Exception {
        assertUnmaskedKept(palette(), "palette");
    }

    @Test
    void greyValuesAreReadAsStoredNotThroughAColourConversion() throws Exception {
        BufferedImage grey = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(0, 0, 0, 60);
        grey.getRaster().setSample(1, 0, 0, 100);
        Path file = dir.resolve("g.png");
        ImageIO.write(grey, "png", file.toFile());
        StoredPixels px = ImageFiles.read(file);
        assertEquals(60 / 255f, px.rgb().get(0, 0, 0), "60 stays 60 (getRGB made it 133)");
        assertEquals(60 / 255f, px.rgb().get(2, 0, 0));
        Mask mask = Mask.fromStored(px);
        assertEquals(100 / 255f, mask.get(1, 0), 1e-6f, "a 39 % grey mask acts as 39 %");
    }
}
