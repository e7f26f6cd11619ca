"""python3 -m pigment_client generate|inpaint|restyle|models  (talks to a running `pigment serve`)."""
import argparse
import os
import struct
import sys

from .client import Client, PigmentError, DEFAULT_HOST, DEFAULT_PORT
from .frames import Attachment


def png_attachment(path, what):
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise SystemExit("pigment_client: cannot read the %s '%s': %s" % (what, path, e.strerror))
    if data[:8] != b"\x89PNG\r\n\x1a\n" or len(data) < 24:
        raise SystemExit("pigment_client: the %s '%s' is not a PNG file." % (what, path))
    w, h = struct.unpack(">II", data[16:24])
    return Attachment("png", w, h, data)


def parser():
    p = argparse.ArgumentParser(prog="python3 -m pigment_client", description=__doc__)
    p.add_argument("--host", default=DEFAULT_HOST)
    p.add_argument("--port", type=int, default=DEFAULT_PORT)
    p.add_argument("--token", help="the server's token, if it has one")
    p.add_argument("--timeout", type=float, default=300.0, help="seconds to wait for the server")
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("models", help="list the server's models")
    for name in ("generate", "inpaint", "restyle"):
        c = sub.add_parser(name)
        c.add_argument("-o", "--output", required=True, help="PNG to write (with the parameters in its text)")
        c.add_argument("--model", default="demo" if name == "generate" else "classic")
        c.add_argument("--prompt", default="")
        c.add_argument("--negative", default="")
        c.add_argument("--seed", type=int, default=-1)
        c.add_argument("--steps", type=int)
        c.add_argument("--guidance", type=float)
        c.add_argument("--scheduler")
        c.add_argument("--strength", type=float)
        c.add_argument("-W", "--width", type=int)
        c.add_argument("-H", "--height", type=int)
        c.add_argument("--option", action="append", default=[], metavar="KEY=VALUE", help="engine option")
        if name != "generate":
            c.add_argument("--image", required=True, help="the PNG to edit")
        if name == "inpaint":
            c.add_argument("--mask", required=True, help="PNG, white = repaint")
        if name == "restyle":
            c.add_argument("--reference", required=True, help="PNG whose look to copy")
            c.add_argument("--style-strength", type=float)
    return p


def request_of(args):
    task = {"generate": "text-to-image", "inpaint": "inpaint", "restyle": "restyle"}[args.command]
    r = {"task": task, "model": args.model, "prompt": args.prompt, "negative": args.negative, "seed": args.seed}
    for key in ("steps", "guidance", "scheduler", "strength", "width", "height"):
        if getattr(args, key) is not None:
            r[key] = getattr(args, key)
    if getattr(args, "style_strength", None) is not None:
        r["style"] = args.style_strength
    options = {}
    for kv in args.option:
        if "=" not in kv:
            raise SystemExit("pigment_client: --option '%s' is not KEY=VALUE." % kv)
        k, v = kv.split("=", 1)
        options[k] = v
    if options:
        r["options"] = options
    return r


def main(argv=None):
    args = parser().parse_args(argv)
    try:
        with Client(args.host, args.port, args.token, timeout=args.timeout) as c:
            if args.command == "models":
                for m in c.models():
                    print("%-20s %-18s %s" % (m["id"], m["family"], ", ".join(m["tasks"])))
                return 0
            image = png_attachment(args.image, "image") if args.command != "generate" else None
            mask = png_attachment(args.mask, "mask") if args.command == "inpaint" else None
            refs = [png_attachment(args.reference, "reference")] if args.command == "restyle" else []
            result = c.generate(request_of(args), image=image, mask=mask, references=refs, result_format="png")
            # Write beside and rename, so a failure never leaves a half-written PNG.
            part = args.output + ".part"
            with open(part, "wb") as f:
                f.write(result.images[0].data)
            os.replace(part, args.output)
            for note in result.notes:
                print("note: " + note, file=sys.stderr)
            print("wrote %s (seed %d)" % (args.output, result.seeds[0]))
            return 0
    except PigmentError as e:
        print("pigment_client: %s" % e, file=sys.stderr)
        return 3 if e.code in ("connect", "disconnected", "timeout", "shutdown") else 2


if __name__ == "__main__":
    sys.exit(main())
