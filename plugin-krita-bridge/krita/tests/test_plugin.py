"""The Krita plugin's Krita-free parts: geometry, layer names, and the rule that only qt.py imports PyQt."""
import ast
import os
import unittest

from pigment_krita import geometry
from pigment_krita.geometry import Rect

PLUGIN = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "pigment_krita")


class GeometryTest(unittest.TestCase):
    def test_context_crop_pads_the_selection_and_keeps_multiples_of_8_inside_the_document(self):
        crop = geometry.context_crop(Rect(40, 30, 32, 24), 128, 96)
        self.assertEqual(Rect(24, 14, 64, 56), crop)
        for sel in (Rect(0, 0, 5, 5), Rect(120, 90, 8, 6), Rect(3, 7, 101, 77), Rect(0, 0, 128, 96)):
            c = geometry.context_crop(sel, 128, 96)
            self.assertEqual(0, c.width % 8)
            self.assertEqual(0, c.height % 8)
            self.assertTrue(c.x <= sel.x and c.y <= sel.y, (sel, c))
            self.assertTrue(c.x + c.width >= min(128, sel.x + sel.width), (sel, c))
            self.assertTrue(c.x >= 0 and c.y >= 0 and c.x + c.width <= 128 and c.y + c.height <= 96, (sel, c))

    def test_padding_grows_with_the_selection_like_krita_ai_diffusion(self):
        big = geometry.context_crop(Rect(1000, 1000, 1000, 1000), 4000, 4000)
        self.assertEqual(1000 - 85, big.x)  # 6 % of the diagonal (1414) = 85 px

    def test_the_feather_widens_the_context_and_defaults_to_a_tenth_of_the_diagonal(self):
        plain = geometry.context_crop(Rect(1000, 1000, 1000, 1000), 4000, 4000)
        feathered = geometry.context_crop(Rect(1000, 1000, 1000, 1000), 4000, 4000, feather=40)
        self.assertEqual(plain.x - 40, feathered.x)
        self.assertEqual(0, feathered.width % 8)
        self.assertEqual(141, geometry.auto_feather(Rect(0, 0, 1000, 1000)))
        self.assertEqual(256, geometry.auto_feather(Rect(0, 0, 4000, 4000)))  # the core's limit
        self.assertEqual(0, geometry.auto_feather(None))

    def test_no_selection_means_the_whole_image(self):
        self.assertEqual(Rect(0, 0, 128, 96), geometry.context_crop(None, 128, 96))

    def test_mask_alpha_keeps_colour_and_scales_alpha(self):
        out = geometry.mask_alpha(bytes([1, 2, 3, 255, 4, 5, 6, 255]), bytes([0, 128]), 2, 1)
        self.assertEqual(bytes([1, 2, 3, 0, 4, 5, 6, 128]), out)

    def test_layer_names_follow_the_convention(self):
        self.assertEqual("[Pigment] red heart (42)", geometry.layer_name("  red   heart ", 42))
        self.assertTrue(geometry.layer_name("x" * 200, 1).endswith("\u2026 (1)"))
        self.assertEqual("[Pigment] orange", geometry.layer_name("orange", -1))


class QtIsolationTest(unittest.TestCase):
    def test_only_the_shim_imports_pyqt(self):
        offenders = []
        for name in sorted(os.listdir(PLUGIN)):
            if not name.endswith(".py") or name == "qt.py":
                continue
            tree = ast.parse(open(os.path.join(PLUGIN, name)).read())
            for node in ast.walk(tree):
                mods = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                    [node.module or ""] if isinstance(node, ast.ImportFrom) else []
                offenders += ["%s: %s" % (name, m) for m in mods if m.startswith(("PyQt", "PySide"))]
        self.assertEqual([], offenders)


if __name__ == "__main__":
    unittest.main()
