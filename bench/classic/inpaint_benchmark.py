#!/usr/bin/python3
"""Inpainting quality and speed: Pigment's classic fills against OpenCV's cv2.inpaint.

Real photographs from Debian's python3-skimage (read in place, never copied: CC0 / public domain, see
each loader's docstring in skimage/data/_fetchers.py), holes of several shapes covering 5, 10 and 20 %
of the image. For every case it reports PSNR and SSIM restricted to the hole (SSIM map of the whole image
averaged over the hole pixels) and the fill time, for:
  pigment-patchmatch, pigment-telea  (Java, one JVM, warmed up: dev.pigment.core.bench.ClassicInpaintCli)
  opencv-telea, opencv-ns            (cv2.inpaint, same radius)
plus the time of each method on a 1-megapixel image with a 10 % hole.

Run from the repository root (needs python3-opencv and python3-skimage from Debian, and a built
plugin-core: mvn -q -B -o -pl plugin-core test-compile):
  /usr/bin/python3 bench/classic/inpaint_benchmark.py
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

import cv2
import numpy as np
from skimage import io
from skimage.metrics import structural_similarity

DATA = '/usr/lib/python3/dist-packages/skimage/data'
IMAGES = ['astronaut.png', 'chelsea.png', 'coffee.png', 'rocket.jpg', 'motorcycle_left.png']
SHAPES = ['rect', 'ellipse', 'strokes', 'blobs']
FRACTIONS = [0.05, 0.10, 0.20]
RADIUS = 5
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def make_mask(h, w, shape, fraction, rng):
    """A uint8 mask (255 = hole) of the given shape whose area is close to fraction * h * w."""
    target = fraction * h * w
    m = np.zeros((h, w), np.uint8)
    if shape in ('rect', 'ellipse'):
        aspect = rng.uniform(0.6, 1.6)
        area = target if shape == 'rect' else target * 4 / np.pi
        bh = int(round(np.sqrt(area / aspect)))
        bw = int(round(area / max(bh, 1)))
        bh, bw = min(bh, h - 2), min(bw, w - 2)
        y = rng.integers(1, h - bh)
        x = rng.integers(1, w - bw)
        if shape == 'rect':
            m[y:y + bh, x:x + bw] = 255
        else:
            cv2.ellipse(m, (int(x + bw / 2), int(y + bh / 2)), (bw // 2, bh // 2), 0, 0, 360, 255, -1)
    elif shape == 'strokes':
        thick = max(6, int(min(h, w) * 0.04))
        x, y = rng.integers(0, w), rng.integers(0, h)
        while (m > 0).sum() < target:
            angle = rng.uniform(0, 2 * np.pi)
            length = rng.uniform(0.1, 0.3) * min(h, w)
            nx = int(np.clip(x + length * np.cos(angle), 0, w - 1))
            ny = int(np.clip(y + length * np.sin(angle), 0, h - 1))
            cv2.line(m, (int(x), int(y)), (nx, ny), 255, thick)
            x, y = nx, ny
    elif shape == 'blobs':
        while (m > 0).sum() < target:
            r = int(rng.uniform(0.02, 0.06) * min(h, w))
            cx, cy = rng.integers(r, w - r), rng.integers(r, h - r)
            cv2.circle(m, (int(cx), int(cy)), r, 255, -1)
    return m


def hole_metrics(gt, out, mask):
    hole = mask > 127
    diff = gt[hole].astype(np.float64) - out[hole].astype(np.float64)
    mse = np.mean(diff ** 2)
    psnr = 99.0 if mse == 0 else 10 * np.log10(255.0 ** 2 / mse)
    _, smap = structural_similarity(gt, out, channel_axis=2, data_range=255, full=True)
    ssim = float(smap.mean(axis=2)[hole].mean())
    return psnr, ssim


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
    res = subprocess.run(['java'] + java_opts + ['-cp', cp, 'dev.pigment.core.bench.ClassicInpaintCli',
                          '--batch', path], capture_output=True, text=True)
    if res.returncode != 0:
        sys.exit('java failed:\n' + res.stderr)
    times = {}
    for line in res.stdout.splitlines():
        out, ms = line.split('\t')
        times[out] = float(ms) / 1000.0
    return times


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--images', nargs='*', default=IMAGES)
    ap.add_argument('--shapes', nargs='*', default=SHAPES)
    ap.add_argument('--fractions', nargs='*', type=float, default=FRACTIONS)
    ap.add_argument('--seed', type=int, default=2024)
    ap.add_argument('--java-opt', action='append', default=[], help='extra JVM option, e.g. -Dx=y')
    ap.add_argument('--pm-option', action='append', default=[], help='extra patchmatch option key=value')
    ap.add_argument('--keep', help='write inputs and outputs to this folder instead of a temporary one')
    ap.add_argument('--no-megapixel', action='store_true', help='skip the 1-megapixel timing case')
    args = ap.parse_args()

    cp = java_classpath()
    rng = np.random.default_rng(args.seed)
    workdir = args.keep or tempfile.mkdtemp(prefix='pigment-inpaint-bench-')
    os.makedirs(workdir, exist_ok=True)
    cases = []
    for name in args.images:
        img = io.imread(os.path.join(DATA, name))[:, :, :3]
        for shape in args.shapes:
            for frac in args.fractions:
                mask = make_mask(img.shape[0], img.shape[1], shape, frac, rng)
                stem = '%s_%s_%02d' % (os.path.splitext(name)[0], shape, round(frac * 100))
                cases.append((stem, img, mask))
    if not args.no_megapixel:
        big = cv2.resize(io.imread(os.path.join(DATA, 'astronaut.png'))[:, :, :3], (1024, 1024),
                         interpolation=cv2.INTER_CUBIC)
        m = np.zeros((1024, 1024), np.uint8)
        side = int(round(np.sqrt(0.10 * 1024 * 1024)))
        m[340:340 + side, 360:360 + side] = 255
        cases.append(('megapixel_rect_10', big, m))

    jobs = []
    for stem, img, mask in cases:
        src = img.copy()
        src[mask > 127] = 0  # the hole's content must not leak into any method
        io.imsave(os.path.join(workdir, stem + '_in.png'), src, check_contrast=False)
        io.imsave(os.path.join(workdir, stem + '_mask.png'), mask, check_contrast=False)
        for fill in ('patchmatch', 'telea'):
            extra = ['radius=%d' % RADIUS] if fill == 'telea' else list(args.pm_option)
            jobs.append([fill, os.path.join(workdir, stem + '_in.png'), os.path.join(workdir, stem + '_mask.png'),
                         os.path.join(workdir, '%s_pigment-%s.png' % (stem, fill))] + extra)
    # Warm-up: the first jobs again, unrecorded, so JIT compilation is not billed to the first case.
    warm = [j[:3] + [os.path.join(workdir, 'warmup_%d.png' % i)] + j[4:] for i, j in enumerate(jobs[:4])]
    times = run_java(warm + jobs, workdir, cp, args.java_opt)

    rows = []
    for stem, img, mask in cases:
        src = io.imread(os.path.join(workdir, stem + '_in.png'))
        bgr = cv2.cvtColor(src, cv2.COLOR_RGB2BGR)
        results = {}
        for fill in ('patchmatch', 'telea'):
            path = os.path.join(workdir, '%s_pigment-%s.png' % (stem, fill))
            results['pigment-' + fill] = (io.imread(path)[:, :, :3], times[path])
        for label, flag in (('opencv-telea', cv2.INPAINT_TELEA), ('opencv-ns', cv2.INPAINT_NS)):
            t0 = time.perf_counter()
            out = cv2.inpaint(bgr, mask, RADIUS, flag)
            results[label] = (cv2.cvtColor(out, cv2.COLOR_BGR2RGB), time.perf_counter() - t0)
            if args.keep:
                io.imsave(os.path.join(workdir, '%s_%s.png' % (stem, label)), results[label][0], check_contrast=False)
        for label, (out, secs) in results.items():
            outside = mask <= 127
            if not np.array_equal(out[outside], src[outside]):
                print('warning: %s changed pixels outside the hole in %s' % (label, stem), file=sys.stderr)
            psnr, ssim = hole_metrics(img, out, mask)
            rows.append((stem, label, psnr, ssim, secs))

    methods = ['pigment-patchmatch', 'pigment-telea', 'opencv-telea', 'opencv-ns']
    print('\nPer case (hole-restricted PSNR dB / SSIM / seconds):')
    print('%-28s' % 'case' + ''.join('%-26s' % m for m in methods))
    for stem, _, _ in cases:
        cells = []
        for m in methods:
            r = next(r for r in rows if r[0] == stem and r[1] == m)
            cells.append('%5.2f / %.3f / %6.3f' % (r[2], r[3], r[4]))
        print('%-28s' % stem + ''.join('%-26s' % c for c in cells))

    def summary(select, title):
        print('\n' + title)
        print('| method | cases | mean PSNR (dB) | mean SSIM | mean time (s) |')
        print('| --- | ---: | ---: | ---: | ---: |')
        for m in methods:
            sel = [r for r in rows if r[1] == m and select(r[0])]
            if sel:
                print('| %s | %d | %.2f | %.4f | %.3f |' % (m, len(sel), np.mean([r[2] for r in sel]),
                                                          np.mean([r[3] for r in sel]), np.mean([r[4] for r in sel])))

    summary(lambda s: not s.startswith('megapixel'), 'All skimage cases:')
    for frac in args.fractions:
        tag = '_%02d' % round(frac * 100)
        summary(lambda s, tag=tag: s.endswith(tag) and not s.startswith('megapixel'), 'Hole %d %%:' % round(frac * 100))
    for shape in args.shapes:
        summary(lambda s, shape=shape: ('_%s_' % shape) in s and not s.startswith('megapixel'), 'Shape %s:' % shape)
    if not args.no_megapixel:
        summary(lambda s: s.startswith('megapixel'), '1024x1024, 10 % square hole (time is what matters here):')
    print('\nfiles in', workdir)


if __name__ == '__main__':
    main()
