#!/usr/bin/python3
"""The layers of tseeder, and every #include held to them: a file may include its own area and
the areas below it, never one above. Exits 1 naming each include that runs back up.
docs/architecture.md explains the layers."""
import os
import re
import sys

# Each area of lib/, and what it may include besides itself.
LIB = {
    "core": set(),
    "model": {"core"},
    "config": {"core"},
    "progress": {"core"},
    "store": {"core", "model"},
    "net": {"core"},
    "plugin": {"core", "model", "config"},
    "storage": {"core", "model", "net"},
    "audit": {"core", "model", "config", "store"},
    "quota": {"core", "model", "store", "audit"},
    "auth": {"core", "model", "config", "store", "net", "audit"},
    "jobs": {"core", "model", "config", "progress", "store", "net", "plugin", "storage", "audit", "quota"},
    "fleet": {"core", "model", "config", "progress", "store", "net", "plugin", "storage", "audit", "quota", "jobs",
              "auth"},
    # Payments: receiving addresses, prices, orders; they change plans.
    "billing": {"core", "model", "config", "store", "net", "audit", "quota"},
    # The operator's views over everything: health, metrics.
    "ops": {"core", "model", "config", "progress", "store", "net", "plugin", "storage", "audit", "quota", "jobs",
            "auth", "fleet", "billing"},
}
# The programs on top: the daemon may use every area, the CLI only what a client needs.
TOP = {
    "daemon": set(LIB),
    "cmd": {"core", "model", "config", "net", "store"},
    # Plugins see only the ABI and the few helpers they link statically.
    "plugins": {"core", "net"},
}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def area_of(path):
    parts = path.split(os.sep)
    if parts[0] == "lib" and len(parts) > 2:
        return "lib", parts[1]
    return "top", parts[0]


def main(root):
    problems = []
    for top in ("lib", "daemon", "cmd", "plugins"):
        for base, _dirs, names in os.walk(os.path.join(root, top)):
            for name in names:
                if not name.endswith((".cc", ".h", ".c")):
                    continue
                rel = os.path.relpath(os.path.join(base, name), root)
                kind, area = area_of(rel)
                allowed = LIB.get(area) if kind == "lib" else TOP.get(area)
                if allowed is None:
                    problems.append("%s: %s is in no layer; add it to tests/tools/check_layers.py" % (rel, area))
                    continue
                with open(os.path.join(root, rel), encoding="utf-8", errors="replace") as f:
                    text = f.read()
                for inc in INCLUDE.findall(text):
                    target = inc.split("/")[0]
                    if "/" not in inc or target not in LIB or target == area:
                        continue  # the file's own area, a sibling header, or the plugin ABI
                    if target not in allowed:
                        problems.append("%s includes %s: %s may not reach up to %s" % (rel, inc, area, target))
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else os.getcwd()))
