#!/usr/bin/env python3
"""Compares `evidencecheck inspect` with exiftool on image files (a manual check, not part of the tests).

Usage: compare-with-exiftool.py EVIDENCECHECK FILE...
Needs exiftool (Debian: libimage-exiftool-perl). Prints one line per file and field that differs,
then a summary. Fields: capture time (and offset), modify time, make, model, software, creator
tool, pixel size decoded from the header, EXIF-declared size.
"""
import json, subprocess, sys

def exiftool(files):
    out = subprocess.run(["exiftool", "-j", "-G1", "-a", "-n", *files], capture_output=True, text=True).stdout
    return {d["SourceFile"]: d for d in json.loads(out or "[]")}

def first(d, *keys):
    for k in keys:
        if k in d and str(d[k]).strip() not in ("", "0000:00:00 00:00:00"):
            return str(d[k]).strip()
    return None

def norm_time(t):
    if t is None: return None
    t = t.replace("T", " ").replace("-", ":", 2)
    return t[:19]

def main():
    ec, files = sys.argv[1], sys.argv[2:]
    ours = {}
    out = subprocess.run([ec, "inspect", *files], capture_output=True, text=True).stdout
    for path, line in zip(files, out.splitlines()):
        ours[path] = json.loads(line)
    theirs = exiftool(files)
    differences = checked = 0
    for path in files:
        o, x = ours[path], theirs.get(path, {})
        fields = {
            "captured": (norm_time(o["capturedLocal"]), norm_time(first(x, "ExifIFD:DateTimeOriginal", "XMP-exif:DateTimeOriginal", "XMP-photoshop:DateCreated", "XMP-xmp:CreateDate"))),
            "offset": (o["capturedOffset"], first(x, "ExifIFD:OffsetTimeOriginal") or (first(x, "XMP-exif:DateTimeOriginal", "XMP-photoshop:DateCreated", "XMP-xmp:CreateDate") or "")[19:] or None),
            "modified": (norm_time(o["modifiedLocal"]), norm_time(first(x, "IFD0:ModifyDate", "XMP-xmp:ModifyDate"))),
            "make": (o["make"], first(x, "IFD0:Make")),
            "model": (o["model"], first(x, "IFD0:Model")),
            "software": (o["software"], first(x, "IFD0:Software", "PNG:Software")),
            "creatorTool": (o["creatorTool"], first(x, "XMP-xmp:CreatorTool")),
            "pixels": ((o["pixelWidth"], o["pixelHeight"]), tuple(int(float(v)) if v else None for v in (first(x, "File:ImageWidth", "PNG:ImageWidth", "RIFF:ImageWidth", "QuickTime:ImageWidth"), first(x, "File:ImageHeight", "PNG:ImageHeight", "RIFF:ImageHeight", "QuickTime:ImageHeight")))),
            "exifSize": ((o["exifWidth"], o["exifHeight"]), tuple(int(float(v)) if v else None for v in (first(x, "ExifIFD:ExifImageWidth"), first(x, "ExifIFD:ExifImageHeight")))),
        }
        for name, (a, b) in fields.items():
            checked += 1
            if str(a) != str(b):
                differences += 1
                print(f"DIFF {path}: {name}: inspect={a!r} exiftool={b!r}")
    print(f"{len(files)} files, {checked} field comparisons, {differences} differences")
    return 1 if differences else 0

if __name__ == "__main__":
    sys.exit(main())
