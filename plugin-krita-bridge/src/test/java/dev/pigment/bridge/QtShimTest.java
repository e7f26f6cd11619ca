package dev.pigment.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The plugin's Qt shim imports and works under PyQt5 (Krita 5) and PyQt6 (Krita 6), with Debian's python3. */
class QtShimTest {
    @ParameterizedTest
    @ValueSource(ints = {5, 6})
    void theShimLoadsAndScalesImagesUnder(int major) throws Exception {
        Path python = Path.of("/usr/bin/python3");
        External.require("python3");
        String probe = "import importlib.util,sys; sys.exit(0 if importlib.util.find_spec('PyQt" + major + "') else 3)";
        External.Run has = External.run(List.of(python.toString(), "-c", probe), External.kritaDir(), Map.of(), 60);
        if (has.exitCode() != 0) {
            External.missing("PyQt" + major + " is not installed for " + python + " (apt-get install python3-pyqt"
                    + major + ")");
        }
        String script = String.join("\n",
                "from pigment_krita import qt",
                "app = qt.QtWidgets.QApplication(['t', '-platform', 'offscreen'])",
                "out = qt.scale_bgra(bytes([10, 20, 30, 255]) * 4, 2, 2, 4, 3)",
                "assert len(out) == 48 and out[:4] == bytes([10, 20, 30, 255]), out",
                "print('qt', qt.QT_MAJOR)");
        External.Run r = External.run(List.of(python.toString(), "-c", script), External.kritaDir(),
                Map.of("PIGMENT_QT_API", String.valueOf(major), "PYTHONDONTWRITEBYTECODE", "1"), 60);
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("qt " + major), r.output());
        assertTrue(Files.exists(External.kritaDir().resolve("pigment_krita/qt.py")));
    }
}
