#!/usr/bin/python3
"""Documentation that repeats the code stays equal to it.

- every option `tseederd --help` lists is in man/tseederd.8;
- the exit codes README.md lists are the ones `tseeder --help` lists (the CLI's unit tests
  keep those equal to the codes it can return; man/tseeder.1 is generated from the help).

Usage: check_docs.py SOURCE_DIR TSEEDERD TSEEDER
"""
import re
import subprocess
import sys
from pathlib import Path


def help_text(binary):
    return subprocess.run([binary, "--help"], capture_output=True, text=True, timeout=30, check=True).stdout


def missing_daemon_options(root, tseederd):
    man = (root / "man" / "tseederd.8").read_text().replace("\\-", "-")
    options = set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", help_text(tseederd)))
    return sorted(o for o in options if not re.search(re.escape(o) + r"(?![\w-])", man))


def exit_codes_mismatch(root, tseeder):
    help_codes = set(int(c) for c in re.findall(r"^\s*(\d+)  ", help_text(tseeder).split("Exit codes:")[1], re.M))
    readme = (root / "README.md").read_text()
    listed = re.search(r"lists every command and the exit codes \(([^)]*)\)", readme)
    if not listed:
        return "README.md no longer lists the exit codes after 'lists every command and the exit codes ('"
    readme_codes = set(int(c) for c in re.findall(r"\b(\d+) [a-z]", listed.group(1)))
    if readme_codes != help_codes:
        return f"README.md lists exit codes {sorted(readme_codes)}, tseeder --help {sorted(help_codes)}"
    return None


def main():
    root, tseederd, tseeder = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    failures = []
    missing = missing_daemon_options(root, tseederd)
    if missing:
        failures.append("man/tseederd.8 does not describe: " + ", ".join(missing))
    mismatch = exit_codes_mismatch(root, tseeder)
    if mismatch:
        failures.append(mismatch)
    for f in failures:
        print(f)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
