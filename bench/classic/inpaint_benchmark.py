#!/usr/bin/python3
"""Object removal: Pigment's classic fills against GIMP Resynthesizer's "Heal selection" and OpenCV.

Cases: freely licensed photos that Debian ships (read in place, never copied; licences in PHOTOS below),
scaled to at most 512 px, each with an object-shaped blob hole over its most salient content and a
rectangle, 5-20 % of the area. Every method fills the same inputs (the hole's pixels zeroed first).

Metrics (on the luma; see ../shared/research/inpaint-anchor.md), per case and mean:
  texture   15 feature maps (blurred gradient magnitude at sigma 1, 2, 4; Gabor energy at wavelengths
            4, 8, 16 px x 4 orientations); per map the 1-D Wasserstein distance between the values in the
            hole and in a 32 px ring of known pixels around it, over the ring's mean; averaged. Lower is
            better; the original content's own value is the floor.
  streak    share of the hole's gradient energy whose isophotes run radially from the hole's centroid
            (0.5 = no preferred direction, Telea-like smears approach 1). Goal: near the original's.
  seam      mean |gradient| across the hole's border over that across a ring of known pixels (<= 1: no
            visible seam).
  PSNR/SSIM in the hole, as information only: they reward blur.
  time      the fill alone: Pigment in one warmed JVM (dev.pigment.core.bench.ClassicInpaintCli), GIMP in
            one running GIMP (load, heal, save; GIMP's start-up not counted), cv2.inpaint in this process.

Methods: pigment-<variant> for each --variant (default: patchmatch with default options, telea),
gimp-heal (Resynthesizer heal, 50 px ring, its defaults), opencv-telea.

GIMP heal needs GIMP 2.10 and the Resynthesizer plug-in built from github.com/bootchk/resynthesizer
(docs/benchmarks.md says how); pass the folder holding the `resynthesizer` binary with --resynthesizer,
or --no-gimp to skip it.

Run from the repository root (needs python3-opencv, python3-skimage, python3-scipy, python3-matplotlib
from Debian, gimp + xvfb for GIMP, and a built plugin-core: mvn -q -B -o -pl plugin-core test-compile):
  /usr/bin/python3 bench/classic/inpaint_benchmark.py --resynthesizer DIR --sheet docs/classic-contact-sheet.png
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import cv2
import numpy as np
from scipy import ndimage
from scipy.stats import wasserstein_distance
from skimage import io
from skimage.metrics import structural_similarity

SKIMAGE = '/usr/lib/python3/dist-packages/skimage/data/'
# name -> (path, licence as stated by the shipping package)
PHOTOS = {
    'astronaut': (SKIMAGE + 'astronaut.png', 'NASA, public domain (python3-skimage)'),
    'chelsea': (SKIMAGE + 'chelsea.png', 'CC0, Stefan van der Walt (python3-skimage)'),
    'coffee': (SKIMAGE + 'coffee.png', 'CC0, Rachel Michetti (python3-skimage)'),
    'rocket': (SKIMAGE + 'rocket.jpg', 'SpaceX, public domain (python3-skimage)'),
    'hubble': (SKIMAGE + 'hubble_deep_field.jpg', 'NASA, public domain (python3-skimage)'),
    'brick': (SKIMAGE + 'brick.png', 'CC0, CC0Textures (python3-skimage)'),
    'grass': (SKIMAGE + 'grass.png', 'CC0, linolafett (python3-skimage)'),
    'gravel': (SKIMAGE + 'gravel.png', 'CC0, CC0Textures (python3-skimage)'),
    'raccoon': ('/usr/lib/python3/dist-packages/scipy/misc/face.dat',
                'public-domain-image.com, public domain (python3-scipy, scipy.misc.face)'),
    'hopper': ('/usr/share/matplotlib/mpl-data/sample_data/grace_hopper.jpg',
               'US Navy, public domain (python3-matplotlib sample data)'),
}
MAX_SIDE = 512
RING = 32
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_VARIANTS = ['patchmatch:fill=patchmatch', 'telea:fill=telea,radius=5']


# ---------------------------------------------------------------- cases

def load_photo(name):
    path = PHOTOS[name][0]
    if path.endswith('face.dat'):
        import bz2
        with open(path, 'rb') as f:
            img = np.frombuffer(bz2.decompress(f.read()), dtype=np.uint8).reshape(768, 1024, 3)
    else:
        img = io.imread(path)
    if img.ndim == 2:
        img = np.stack([img] * 3, axis=2)
    img = np.ascontiguousarray(img[:, :, :3])
    s = MAX_SIDE / max(img.shape[:2])
    if s < 1:
        img = cv2.resize(img, (round(img.shape[1] * s), round(img.shape[0] * s)), interpolation=cv2.INTER_AREA)
    return img


def salient_centre(img, margin):
    """Centre of the most detailed area (blurred gradient magnitude), where an object to remove would be."""
    y = luma(img)
    g = ndimage.gaussian_gradient_magnitude(y, 2)
    g = ndimage.gaussian_filter(g, min(img.shape[:2]) / 12)
    h, w = g.shape
    g[:margin, :] = g[h - margin:, :] = 0
    g[:, :margin] = g[:, w - margin:] = 0
    cy, cx = np.unravel_index(np.argmax(g), g.shape)
    return int(cx), int(cy)


def blob_mask(img, fraction, rng):
    """An object-shaped hole: a smooth random star-shaped outline around the salient centre."""
    h, w = img.shape[:2]
    theta = np.linspace(0, 2 * np.pi, 180, endpoint=False)
    rad = np.ones_like(theta)
    for k in (2, 3, 4, 5):
        rad += rng.uniform(0.05, 0.25) / k * np.cos(k * theta + rng.uniform(0, 2 * np.pi))
    stretch = rng.uniform(0.7, 1.4)
    base = np.sqrt(fraction * h * w / (np.pi * np.mean(rad ** 2)))
    cx, cy = salient_centre(img, int(base * 1.3))
    pts = np.stack([cx + base * stretch * rad * np.cos(theta), cy + base / stretch * rad * np.sin(theta)], 1)
    m = np.zeros((h, w), np.uint8)
    cv2.fillPoly(m, [np.round(pts).astype(np.int32)], 255)
    return m


def rect_mask(img, fraction, rng):
    h, w = img.shape[:2]
    aspect = rng.uniform(0.6, 1.6)
    bh = min(h - 8, int(round(np.sqrt(fraction * h * w / aspect))))
    bw = min(w - 8, int(round(fraction * h * w / bh)))
    y = rng.integers(4, h - bh - 4)
    x = rng.integers(4, w - bw - 4)
    m = np.zeros((h, w), np.uint8)
    m[y:y + bh, x:x + bw] = 255
    return m


def make_cases(names, seed):
    rng = np.random.default_rng(seed)
    cases = []
    for name in names:
        img = load_photo(name)
        for shape in ('blob', 'rect'):
            frac = rng.uniform(0.05, 0.20)
            mask = (blob_mask if shape == 'blob' else rect_mask)(img, frac, rng)
            cases.append(('%s_%s_%02d' % (name, shape, round(100 * (mask > 127).mean())), img, mask))
    return cases


# ---------------------------------------------------------------- metrics

def luma(rgb):
    f = rgb.astype(np.float64) / 255.0
    return 0.299 * f[:, :, 0] + 0.587 * f[:, :, 1] + 0.114 * f[:, :, 2]


def gabor_pair(lam, theta):
    sigma = 0.56 * lam
    size = int(np.ceil(3 * sigma)) * 2 + 1
    even = cv2.getGaborKernel((size, size), sigma, theta, lam, 0.5, 0, ktype=cv2.CV_64F)
    odd = cv2.getGaborKernel((size, size), sigma, theta, lam, 0.5, np.pi / 2, ktype=cv2.CV_64F)
    return even - even.mean(), odd - odd.mean()


GABORS = [gabor_pair(lam, t) for lam in (4, 8, 16) for t in (0, np.pi / 4, np.pi / 2, 3 * np.pi / 4)]


def feature_maps(y):
    maps = [ndimage.gaussian_gradient_magnitude(y, s) for s in (1, 2, 4)]
    for even, odd in GABORS:
        e = cv2.filter2D(y, cv2.CV_64F, even, borderType=cv2.BORDER_REFLECT)
        o = cv2.filter2D(y, cv2.CV_64F, odd, borderType=cv2.BORDER_REFLECT)
        maps.append(np.sqrt(e * e + o * o))
    return maps


def ring_of(hole, width):
    return ndimage.binary_dilation(hole, iterations=width) & ~hole


def texture_distance(out, hole, ring):
    ds = []
    for f in feature_maps(luma(out)):
        ds.append(wasserstein_distance(f[hole], f[ring]) / max(f[ring].mean(), 1e-9))
    return float(np.mean(ds))


def streak_score(out, hole):
    y = ndimage.gaussian_filter(luma(out), 1)
    gx = ndimage.sobel(y, 1)
    gy = ndimage.sobel(y, 0)
    ys, xs = np.nonzero(hole)
    cy, cx = ys.mean(), xs.mean()
    dx, dy = xs - cx, ys - cy
    d = np.hypot(dx, dy)
    keep = d > 3
    tx, ty = -dy[keep] / d[keep], dx[keep] / d[keep]
    g = np.stack([gx[ys, xs][keep], gy[ys, xs][keep]])
    tan = (g[0] * tx + g[1] * ty) ** 2
    return float(tan.sum() / max((g ** 2).sum(), 1e-12))


def seam_ratio(out, hole):
    """Mean |luma step| over 4-neighbour pairs straddling the border, over that of pairs in a known ring."""
    y = luma(out)
    known = ~hole
    ring = ring_of(hole, 6) & ~ring_of(hole, 2)
    across, inside = [], []
    for a, b, ha, hb, ra, rb in ((y[:, 1:], y[:, :-1], hole[:, 1:], hole[:, :-1], ring[:, 1:], ring[:, :-1]),
                                 (y[1:, :], y[:-1, :], hole[1:, :], hole[:-1, :], ring[1:, :], ring[:-1, :])):
        step = np.abs(a - b)
        across.append(step[ha != hb])
        inside.append(step[ra & rb])
    return float(np.concatenate(across).mean() / max(np.concatenate(inside).mean(), 1e-9))


def hole_psnr_ssim(gt, out, hole):
    diff = gt[hole].astype(np.float64) - out[hole].astype(np.float64)
    mse = np.mean(diff ** 2)
    psnr = 99.0 if mse == 0 else 10 * np.log10(255.0 ** 2 / mse)
    _, smap = structural_similarity(gt, out, channel_axis=2, data_range=255, full=True)
    return psnr, float(smap.mean(axis=2)[hole].mean())


def metrics(gt, out, mask):
    hole = mask > 127
    ring = ring_of(hole, RING)
    psnr, ssim = hole_psnr_ssim(gt, out, hole)
    return dict(texture=texture_distance(out, hole, ring), streak=streak_score(out, hole),
                seam=seam_ratio(out, hole), psnr=psnr, ssim=ssim)


# ---------------------------------------------------------------- runners

def java_classpath():
    cp_file = os.path.join(tempfile.gettempdir(), 'pigment-classic-cp.txt')
    subprocess.run(['mvn', '-q', '-B', '-o', '-pl', 'plugin-core', 'dependency:build-classpath',
                    '-Dmdep.includeScope=test', '-Dmdep.outputFile=' + cp_file], cwd=REPO, check=True)
    with open(cp_file) as f:
        deps = f.read().strip()
    core = os.path.join(REPO, 'plugin-core', 'target')
    return os.pathsep.join([deps, os.path.join(core, 'classes'), os.path.join(core, 'test-classes')])


def run_java(jobs, workdir, cp, java_opts):
    path = os.path.join(workdir, 'jobs.tsv')
    with open(path, 'w') as f:
        for job in jobs:
            f.write('\t'.join(job) + '\n')
    res = subprocess.run(['java', '-Dai.djl.offline=true'] + java_opts
                         + ['-cp', cp, 'dev.pigment.core.bench.ClassicInpaintCli', '--batch', path],
                         capture_output=True, text=True)
    if res.returncode != 0:
        sys.exit('java failed:\n' + res.stderr)
    times = {}
    for line in res.stdout.splitlines():
        out, ms = line.split('\t')
        times[out] = float(ms) / 1000.0
    return times


HEAL_SCM = r'''
(define (pigment-heal in mask out ring)
  (let* ((img (car (file-png-load RUN-NONINTERACTIVE in in)))
         (drw (car (gimp-image-get-active-drawable img)))
         (ml (car (gimp-file-load-layer RUN-NONINTERACTIVE img mask))))
    (gimp-image-insert-layer img ml 0 -1)
    (gimp-context-set-antialias FALSE)
    (gimp-context-set-feather FALSE)
    (gimp-context-set-sample-threshold 0.5)
    (gimp-image-select-color img CHANNEL-OP-REPLACE ml '(255 255 255))
    (gimp-image-remove-layer img ml)
    (let* ((tmp (car (gimp-image-duplicate img)))
           (orig (car (gimp-selection-save tmp))))
      (gimp-selection-grow tmp ring)
      (gimp-image-select-item tmp CHANNEL-OP-SUBTRACT orig)
      (let* ((b (gimp-selection-bounds tmp))
             (x1 (cadr b)) (y1 (caddr b)) (x2 (cadddr b)) (y2 (car (cddddr b))))
        (gimp-image-crop tmp (- x2 x1) (- y2 y1) x1 y1))
      (plug-in-resynthesizer RUN-NONINTERACTIVE img drw 0 0 1
                             (vector-ref (cadr (gimp-image-get-layers tmp)) 0) -1 -1 0.0 0.117 16 500)
      (gimp-image-delete tmp))
    (gimp-selection-none img)
    (file-png-save-defaults RUN-NONINTERACTIVE img drw out out)
    (gimp-image-delete img)))
'''


class Gimp:
    """One headless GIMP with a throw-away profile whose plug-in path holds Resynthesizer; Script-Fu on stdin."""

    def __init__(self, plugin_dir, workdir):
        prof = os.path.join(workdir, 'gimp-profile')
        plugins = os.path.join(prof, 'plug-ins')
        os.makedirs(plugins, exist_ok=True)
        for sub in ('gradients', 'brushes', 'patterns', 'palettes'):
            os.makedirs(os.path.join(prof, sub), exist_ok=True)
        shutil.copy(os.path.join(plugin_dir, 'resynthesizer'), plugins)
        with open(os.path.join(prof, 'gimprc'), 'w') as f:
            f.write('(plug-in-path "%s:/usr/lib/gimp/2.0/plug-ins")\n' % plugins)
        env = dict(os.environ, GIMP2_DIRECTORY=prof)
        self.proc = subprocess.Popen(['xvfb-run', '-a', 'gimp', '-i', '-d', '-f', '-b', '-'], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True, bufsize=1)
        self.send(HEAL_SCM)

    def send(self, expr):
        self.proc.stdin.write(expr.strip() + '\n')
        self.proc.stdin.flush()

    def heal(self, src, mask, out, ring=50, timeout=120):
        """Heals; returns the wall time until GIMP has written the whole PNG (its stdout is block-buffered)."""
        if os.path.exists(out):
            os.remove(out)
        t0 = time.perf_counter()
        self.send('(pigment-heal "%s" "%s" "%s" %d)' % (src, mask, out, ring))
        while time.perf_counter() - t0 < timeout:
            if self.proc.poll() is not None:
                sys.exit('GIMP exited')
            try:
                with open(out, 'rb') as f:
                    f.seek(-12, os.SEEK_END)
                    if f.read(12).endswith(b'IEND\xaeB`\x82'):
                        return time.perf_counter() - t0
            except OSError:
                pass
            time.sleep(0.005)
        sys.exit('GIMP did not write %s within %d s' % (out, timeout))

    def close(self):
        try:
            self.proc.stdin.write('(gimp-quit 0)\n')
            self.proc.stdin.close()
            self.proc.wait(60)
        except Exception:
            self.proc.kill()


# ---------------------------------------------------------------- report

def contact_sheet(cases, outputs, methods, path, thumb=150):
    """One row per case: masked input, original, then each method; labels on top."""
    font = cv2.FONT_HERSHEY_SIMPLEX
    cols = ['input', 'original'] + methods
    rows = []
    head = np.full((36, thumb * len(cols), 3), 255, np.uint8)
    for i, c in enumerate(cols):
        for j, part in enumerate(c.split('-', 1)):  # two lines: tool, then method
            cv2.putText(head, part, (i * thumb + 4, 14 + 16 * j), font, 0.42, (0, 0, 0), 1, cv2.LINE_AA)
    rows.append(head)
    for stem, img, mask in cases:
        shown = img.copy()
        shown[mask > 127] = (255, 0, 255)
        tiles = [shown, img] + [outputs[(stem, m)] for m in methods]
        h, w = img.shape[:2]
        s = thumb / max(h, w)
        size = (max(1, round(w * s)), max(1, round(h * s)))
        row = np.full((thumb, thumb * len(cols), 3), 255, np.uint8)
        for i, t in enumerate(tiles):
            small = cv2.resize(t, size, interpolation=cv2.INTER_AREA)
            row[:size[1], i * thumb:i * thumb + size[0]] = small
        rows.append(row)
    io.imsave(path, np.concatenate(rows, 0), check_contrast=False)


def print_tables(cases, rows, methods):
    keys = ('texture', 'streak', 'seam', 'psnr', 'ssim', 'time')
    print('\nPer case: texture / streak / seam / seconds')
    print('%-22s' % 'case' + ''.join('%-30s' % m for m in methods))
    for stem, _, _ in cases:
        cells = []
        for m in methods:
            r = rows[(stem, m)]
            cells.append('%.3f / %.3f / %.2f / %6.2f' % (r['texture'], r['streak'], r['seam'], r.get('time', 0)))
        print('%-22s' % stem + ''.join('%-30s' % c for c in cells))

    def table(select_stem, title):
        print('\n' + title)
        print('| method | texture distance | streak | seam ratio | PSNR (dB) | SSIM | time (s) |')
        print('| --- | ---: | ---: | ---: | ---: | ---: | ---: |')
        for m in methods:
            sel = [rows[(s, m)] for s, _, _ in cases if select_stem(s)]
            means = [np.mean([r.get(k, np.nan) for r in sel]) for k in keys]
            cells = ['%.3f' % means[0], '%.3f' % means[1], '%.2f' % means[2]]
            cells += ['' if m == 'original' else '%.2f' % means[3], '' if m == 'original' else '%.3f' % means[4],
                      '' if np.isnan(means[5]) else '%.2f' % means[5]]
            print('| %s | %s |' % (m, ' | '.join(cells)))

    table(lambda s: True, 'Mean over %d cases:' % len(cases))
    table(lambda s: '_blob_' in s, 'Blobs:')
    table(lambda s: '_rect_' in s, 'Rectangles:')


def megapixel_case(cp, workdir, args):
    """Engine time on a 1024x1024 photo with a 10 % square hole (PatchMatch defaults), best of 3 runs."""
    big = cv2.resize(load_photo('raccoon'), (1024, 1024), interpolation=cv2.INTER_CUBIC)
    m = np.zeros((1024, 1024), np.uint8)
    side = int(round(np.sqrt(0.10 * 1024 * 1024)))
    m[340:340 + side, 360:360 + side] = 255
    src, mp = os.path.join(workdir, 'mp_in.png'), os.path.join(workdir, 'mp_mask.png')
    io.imsave(src, big, check_contrast=False)
    io.imsave(mp, m, check_contrast=False)
    jobs = [['patchmatch', src, mp, os.path.join(workdir, 'mp_out%d.png' % i)] for i in range(4)]
    times = run_java(jobs, workdir, cp, args.java_opt)
    best = min(times[j[3]] for j in jobs[1:])
    print('\n1024x1024, 10 %% square hole, pigment-patchmatch defaults: best of 3 = %.2f s' % best)
    return best


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--photos', nargs='*', default=list(PHOTOS))
    ap.add_argument('--seed', type=int, default=2026, help='seed of the hole shapes')
    ap.add_argument('--variant', action='append', default=None,
                    help='NAME:key=value,... a Pigment fill to run, e.g. pm5:fill=patchmatch,patch-size=5')
    ap.add_argument('--java-opt', action='append', default=[], help='extra JVM option, e.g. -Xmx2g')
    ap.add_argument('--resynthesizer', help='folder holding the built Resynthesizer plug-in binary')
    ap.add_argument('--no-gimp', action='store_true')
    ap.add_argument('--no-megapixel', action='store_true', help='skip the 1-megapixel timing case')
    ap.add_argument('--keep', help='write inputs and outputs to this folder instead of a temporary one')
    ap.add_argument('--sheet', help='write the contact sheet PNG here')
    ap.add_argument('--json', help='write all per-case figures here')
    args = ap.parse_args()
    if not args.no_gimp and not args.resynthesizer:
        ap.error('pass --resynthesizer DIR (see docs/benchmarks.md) or --no-gimp')

    variants = []
    for v in args.variant or DEFAULT_VARIANTS:
        name, _, opts = v.partition(':')
        kv = dict(o.split('=', 1) for o in opts.split(',') if o)
        variants.append(('pigment-' + name, kv.pop('fill', 'patchmatch'), ['%s=%s' % i for i in kv.items()]))

    cp = java_classpath()
    workdir = args.keep or tempfile.mkdtemp(prefix='pigment-inpaint-bench-')
    os.makedirs(workdir, exist_ok=True)
    cases = make_cases(args.photos, args.seed)
    jobs, outs = [], {}
    for stem, img, mask in cases:
        src = img.copy()
        src[mask > 127] = 0  # the hole's content must not leak into any method
        io.imsave(os.path.join(workdir, stem + '_in.png'), src, check_contrast=False)
        io.imsave(os.path.join(workdir, stem + '_mask.png'), mask, check_contrast=False)
        for label, fill, extra in variants:
            out = os.path.join(workdir, '%s_%s.png' % (stem, label))
            outs[(stem, label)] = out
            jobs.append([fill, os.path.join(workdir, stem + '_in.png'), os.path.join(workdir, stem + '_mask.png'),
                         out] + extra)
    # Warm-up: the first jobs again, unrecorded, so JIT compilation is not billed to the first case.
    warm = [j[:3] + [os.path.join(workdir, 'warmup_%d.png' % i)] + j[4:] for i, j in enumerate(jobs[:6])]
    times = run_java(warm + jobs, workdir, cp, args.java_opt)

    gimp_times = {}
    if not args.no_gimp:
        gimp = Gimp(args.resynthesizer, workdir)
        try:
            gimp.heal(*[os.path.join(workdir, cases[0][0] + s) for s in ('_in.png', '_mask.png')],
                      os.path.join(workdir, 'warmup_gimp.png'))
            for stem, _, _ in cases:
                out = os.path.join(workdir, stem + '_gimp-heal.png')
                gimp_times[stem] = gimp.heal(os.path.join(workdir, stem + '_in.png'),
                                             os.path.join(workdir, stem + '_mask.png'), out)
                outs[(stem, 'gimp-heal')] = out
        finally:
            gimp.close()

    methods = ['original'] + [v[0] for v in variants] + (['gimp-heal'] if gimp_times else []) + ['opencv-telea']
    rows, images = {}, {}
    for stem, img, mask in cases:
        src = io.imread(os.path.join(workdir, stem + '_in.png'))
        t0 = time.perf_counter()
        cv = cv2.cvtColor(cv2.inpaint(cv2.cvtColor(src, cv2.COLOR_RGB2BGR), mask, 5, cv2.INPAINT_TELEA),
                          cv2.COLOR_BGR2RGB)
        images[(stem, 'opencv-telea')] = (cv, time.perf_counter() - t0)
        images[(stem, 'original')] = (img, np.nan)
        for (s, label), path in outs.items():
            if s == stem:
                images[(stem, label)] = (io.imread(path)[:, :, :3], gimp_times[stem] if label == 'gimp-heal'
                                         else times[path])
        for m in methods:
            out, secs = images[(stem, m)]
            if m != 'original' and not np.array_equal(out[mask <= 127], src[mask <= 127]):
                print('warning: %s changed pixels outside the hole in %s' % (m, stem), file=sys.stderr)
            rows[(stem, m)] = dict(metrics(img, out, mask), time=secs)
    print('Photos and licences:')
    for name in args.photos:
        print('  %-10s %s: %s' % (name, PHOTOS[name][0], PHOTOS[name][1]))
    print_tables(cases, rows, methods)
    if not args.no_megapixel:
        megapixel_case(cp, workdir, args)
    if args.sheet:
        contact_sheet(cases, {k: v[0] for k, v in images.items()}, methods[1:], args.sheet)
        print('contact sheet:', args.sheet)
    if args.json:
        with open(args.json, 'w') as f:
            json.dump({'%s|%s' % k: v for k, v in rows.items()}, f, indent=1)
    print('files in', workdir)


if __name__ == '__main__':
    main()
