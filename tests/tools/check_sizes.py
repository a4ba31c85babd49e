#!/usr/bin/python3
"""Source files stay small: exits 1 naming any file of lib/, daemon/, cmd/ or plugins/ over 700
lines, and lists those over 400 (the size to aim below) as a reminder."""
import os
import sys

LIMIT, AIM = 700, 400


def main(root):
    sizes = []
    for top in ("lib", "daemon", "cmd", "plugins"):
        for base, _dirs, names in os.walk(os.path.join(root, top)):
            for name in names:
                if name.endswith((".cc", ".h", ".c")):
                    path = os.path.join(base, name)
                    with open(path, encoding="utf-8", errors="replace") as f:
                        sizes.append((sum(1 for _ in f), os.path.relpath(path, root)))
    over = sorted((s for s in sizes if s[0] > AIM), reverse=True)
    for lines, path in over:
        print("%s %5d lines%s" % ("TOO LONG" if lines > LIMIT else "long    ", lines, "  " + path))
    too_long = [p for n, p in over if n > LIMIT]
    if too_long:
        print("%d file(s) over %d lines: split them along their roles" % (len(too_long), LIMIT))
    return 1 if too_long else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else os.getcwd()))
