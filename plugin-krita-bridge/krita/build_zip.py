"""Builds the Krita plugin zip (Tools > Scripts > Import Python Plugin from File).

Layout: pigment_krita.desktop and pigment_krita/ at the top (what Krita's importer extracts), with the
stdlib client vendored inside as pigment_krita/pigment_client so the plugin needs nothing else.
Usage: python3 build_zip.py OUT.zip
"""
import os
import sys
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))


def add_tree(z, src, arcdir):
    for root, dirs, files in os.walk(src):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for f in sorted(files):
            if f.endswith((".pyc", ".pyo")):
                continue
            path = os.path.join(root, f)
            z.write(path, os.path.join(arcdir, os.path.relpath(path, src)))


def main(out):
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.write(os.path.join(HERE, "pigment_krita.desktop"), "pigment_krita.desktop")
        add_tree(z, os.path.join(HERE, "pigment_krita"), "pigment_krita")
        add_tree(z, os.path.join(HERE, "pigment_client"), "pigment_krita/pigment_client")
    print("wrote " + out)


if __name__ == "__main__":
    main(sys.argv[1])
