package dev.pigment.imagej;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.IJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.gui.GenericDialog;
import ij.plugin.frame.Recorder;
import java.awt.Button;
import java.awt.TextField;
import java.awt.Window;
import java.awt.event.ActionEvent;
import java.util.Vector;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A user's session: Plugins>Macros>Record is on, Text to Image is chosen from the menu, the dialog filled in
 * and OK pressed; ImageJ's Recorder writes the run(...) line, and running that line as a macro draws the same
 * pixels.
 */
class RecorderIT {
    @BeforeAll
    static void display() {
        ImageJTesting.requireDisplay();
    }

    @Test
    void recordedLineReplaysTheSamePixels() throws Exception {
        Recorder recorder = new Recorder(false);
        IJ.doCommand("Text to Image...");
        GenericDialog gd = waitForDialog("Pigment: Text to Image");
        @SuppressWarnings("unchecked")
        Vector<TextField> fields = gd.getStringFields();
        fields.get(0).setText("red heart");
        fields.get(4).setText("4");
        fields.get(6).setText("7");
        Button ok = gd.getButtons()[0];
        gd.actionPerformed(new ActionEvent(ok, ActionEvent.ACTION_PERFORMED, "OK"));

        String text = waitFor(() -> recorder.getText().contains("Text to Image") ? recorder.getText() : null);
        Matcher m = Pattern.compile("run\\(\"Text to Image\\.\\.\\.\", \"([^\"]*)\"\\);").matcher(text);
        assertTrue(m.find(), text);
        String options = m.group(1);
        System.out.println("recorded: " + m.group());
        assertTrue(options.matches("prompt=\\[red heart\\] negative=\\[?\\]? ?model=demo width=0 height=0 steps=4"
                + " guidance=\\[\\] scheduler=default seed=7 batch=1"), "recorded: " + options);
        ImagePlus first = waitFor(() -> WindowManager.getImage("red heart"));
        first.setTitle("first");

        IJ.runMacro("run(\"Text to Image...\", \"" + options + "\");");
        ImagePlus replay = waitFor(() -> WindowManager.getImage("red heart"));
        ImageJTesting.assertSamePixels(first.getProcessor(), replay.getProcessor());
        Recorder.record = false;
        recorder.close();
    }

    private static GenericDialog waitForDialog(String title) throws InterruptedException {
        return waitFor(() -> {
            for (Window w : Window.getWindows()) {
                if (w instanceof GenericDialog gd && w.isShowing() && title.equals(gd.getTitle())) {
                    return gd;
                }
            }
            return null;
        });
    }

    private static <T> T waitFor(java.util.function.Supplier<T> probe) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            T v = probe.get();
            if (v != null) {
                return v;
            }
            Thread.sleep(50);
        }
        T v = probe.get();
        assertNotNull(v, "timed out");
        return v;
    }
}
