"""pigment_client against a live `pigment serve` (the Maven test PythonClientTest starts it; PIGMENT_PORT)."""
import os
import random
import subprocess
import sys
import tempfile
import threading
import unittest

from pigment_client import Attachment, Client, PigmentError

from . import pngs

PORT = os.environ.get("PIGMENT_PORT")


def bgra(w, h, seed):
    r = random.Random(seed)
    return bytes(255 if i % 4 == 3 else r.randrange(256) for i in range(w * h * 4))


def rect_mask(w, h, x0, y0, x1, y1):
    return bytes(255 if x0 <= i % w < x1 and y0 <= i // w < y1 else 0 for i in range(w * h))


@unittest.skipUnless(PORT, "needs a live server: run through Maven (PythonClientTest) or set PIGMENT_PORT")
class ClientTest(unittest.TestCase):
    def client(self, **kw):
        c = Client(port=int(PORT), **kw)
        self.addCleanup(c.close)
        return c

    def test_hello_lists_demo_and_classic_with_their_tasks(self):
        models = {m["id"]: m for m in self.client().hello["models"]}
        self.assertIn("text-to-image", models["demo"]["tasks"])
        self.assertEqual(["inpaint", "restyle"], models["classic"]["tasks"])
        self.assertEqual(64, models["demo"]["recommended"]["width"])

    def test_demo_generation_is_deterministic_and_reports_progress(self):
        c = self.client()
        events = []
        req = {"task": "text-to-image", "model": "demo", "prompt": "red heart", "steps": 4, "seed": 11}
        a = c.generate(req, on_event=events.append, result_format="rgba8", previews=True)
        b = c.generate(req, result_format="rgba8")
        self.assertEqual([11], a.seeds)
        self.assertEqual((64, 64, 64 * 64 * 4), (a.images[0].width, a.images[0].height, len(a.images[0].data)))
        self.assertEqual(a.images[0].data, b.images[0].data)
        phases = [e.fields["phase"] for e in events if e.type == "progress"]
        self.assertIn("denoise", phases)
        self.assertEqual("queued", events[0].type)
        self.assertIn("Seed: 11", a.provenance[0])

    def test_the_event_iterator_exposes_each_preview_image(self):
        c = self.client()
        req = {"task": "text-to-image", "model": "demo", "prompt": "red heart", "steps": 4, "seed": 7}
        seen = {}
        for fmt in ("rgba8", "bgra8", "png"):
            events = list(c.submit(req, previews=True, result_format=fmt).events())
            self.assertEqual("result", events[-1].type)
            previews = [(e.fields["step"], e.preview()) for e in events if e.preview() is not None]
            self.assertEqual([1, 2, 3, 4], [step for step, _ in previews], fmt)
            rgb = []
            for step, p in previews:
                self.assertEqual(fmt, p.format)
                self.assertTrue(0 < p.width <= 64 and 0 < p.height <= 64, p)
                if fmt == "png":
                    w, h, channels, px = pngs.decode(p.data)
                    self.assertEqual((p.width, p.height), (w, h))
                    px = b"".join(px[i:i + 3] for i in range(0, len(px), channels)) if channels >= 3 else px
                else:
                    self.assertEqual(p.width * p.height * 4, len(p.data))
                    self.assertEqual({255}, set(p.data[3::4]), "alpha is 255 on output")
                    r, b = (0, 2) if fmt == "rgba8" else (2, 0)
                    px = b"".join(bytes((p.data[i + r], p.data[i + 1], p.data[i + b])) for i in range(0, len(p.data), 4))
                rgb.append(px)
            seen[fmt] = rgb
        # Same seed, same previews, whichever format carries them; and they follow the denoising.
        self.assertEqual(seen["rgba8"], seen["bgra8"])
        self.assertEqual(seen["rgba8"], seen["png"])
        self.assertEqual(len(seen["rgba8"]), len(set(seen["rgba8"])))

    def test_without_previews_no_event_carries_an_image(self):
        events = list(self.client().submit({"task": "text-to-image", "model": "demo", "steps": 3, "seed": 1}).events())
        self.assertEqual("result", events[-1].type)
        self.assertTrue(any(e.type == "progress" for e in events))
        self.assertTrue(all(e.preview() is None for e in events[:-1]))

    def test_classic_inpaint_keeps_pixels_outside_the_mask(self):
        w, h = 32, 24
        src = bgra(w, h, 5)
        mask = rect_mask(w, h, 8, 6, 16, 14)
        r = self.client().generate({"task": "inpaint", "model": "classic", "seed": 3},
                                   image=Attachment("bgra8", w, h, src), mask=Attachment("gray8", w, h, mask),
                                   result_format="bgra8")
        out = r.images[0].data
        for i in range(w * h):
            if not mask[i]:
                self.assertEqual(src[4 * i:4 * i + 3], out[4 * i:4 * i + 3], "pixel %d outside the mask" % i)
        self.assertNotEqual(src, out)

    def test_errors_carry_the_servers_code(self):
        c = self.client()
        with self.assertRaises(PigmentError) as e:
            c.generate({"task": "text-to-image", "model": "demo", "steps": 900})
        self.assertEqual("bad_request", e.exception.code)
        self.assertIn("900", e.exception.message)
        with self.assertRaises(PigmentError) as e:
            c.generate({"task": "text-to-image", "model": "no-such-model"})
        self.assertEqual("model_not_found", e.exception.code)
        c.ping()  # the connection is still good

    def test_cancel_from_another_thread_ends_the_job_as_cancelled(self):
        c = self.client()
        job = c.submit({"task": "text-to-image", "model": "demo", "steps": 500, "seed": 1})
        started = threading.Event()

        def on_event(e):
            if e.type == "progress" and e.fields["phase"] == "denoise":
                started.set()

        threading.Thread(target=lambda: started.wait(60) and job.cancel()).start()
        with self.assertRaises(PigmentError) as e:
            job.wait(on_event)
        self.assertEqual("cancelled", e.exception.code)

    def test_a_silent_server_times_out_clearly(self):
        c = self.client()
        with self.assertRaises(PigmentError) as e:
            c.next_event(timeout=0.2)
        self.assertEqual("timeout", e.exception.code)

    def test_no_server_is_a_clear_connect_error(self):
        with self.assertRaises(PigmentError) as e:
            Client(port=1, timeout=2)
        self.assertEqual("connect", e.exception.code)
        self.assertIn("pigment serve", e.exception.message)

    def cli(self, *args):
        env = dict(os.environ)
        return subprocess.run([sys.executable, "-m", "pigment_client", "--port", PORT] + list(args),
                              capture_output=True, text=True, env=env, timeout=120)

    def test_cli_generate_inpaint_restyle_and_models(self):
        d = tempfile.mkdtemp()
        out = os.path.join(d, "heart.png")
        p = self.cli("generate", "--prompt", "red heart", "--steps", "4", "--seed", "2", "-o", out)
        self.assertEqual(0, p.returncode, p.stderr)
        self.assertEqual((64, 64), pngs.size(out))
        self.assertIn("seed 2", p.stdout)
        img, mask, ref = (os.path.join(d, n) for n in ("img.png", "mask.png", "ref.png"))
        pngs.write(img, 40, 30, bytes(random.Random(1).randrange(256) for _ in range(40 * 30 * 3)), 3)
        pngs.write(mask, 40, 30, rect_mask(40, 30, 10, 10, 20, 20), 1)
        pngs.write(ref, 20, 20, bytes([200, 40, 40] * 400), 3)
        p = self.cli("inpaint", "--image", img, "--mask", mask, "--seed", "1", "-o", out)
        self.assertEqual(0, p.returncode, p.stderr)
        self.assertEqual((40, 30), pngs.size(out))
        p = self.cli("restyle", "--image", img, "--reference", ref, "-o", out)
        self.assertEqual(0, p.returncode, p.stderr)
        p = self.cli("models")
        self.assertIn("demo", p.stdout)
        p = self.cli("generate", "--steps", "900", "-o", os.path.join(d, "never.png"))
        self.assertEqual(2, p.returncode)
        self.assertIn("bad_request", p.stderr)
        self.assertFalse(os.path.exists(os.path.join(d, "never.png")))


if __name__ == "__main__":
    unittest.main()
