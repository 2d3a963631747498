"""Regenerate docs/reference/cli.md from the CLI's own help texts.

Run: .venv/bin/python scripts/gen_cli_docs.py   (a test checks the file is up to date)
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "reference" / "cli.md"


def help_text(args: list[str]) -> str:
    env = {**os.environ, "TYPER_USE_RICH": "0", "COLUMNS": "100", "NO_COLOR": "1"}
    proc = subprocess.run([sys.executable, "-m", "rightsmarker", *args, "--help"],
                          capture_output=True, text=True, env=env, check=True)
    return proc.stdout.rstrip()


def commands(args: list[str]) -> list[str]:
    text = help_text(args)
    if "Commands:" not in text:
        return []
    block = text.split("Commands:", 1)[1].splitlines()
    return [line.split()[0] for line in block if line.startswith("  ") and line.strip()
            and not line.startswith("    ")]


def render() -> str:
    parts = ["# CLI reference", "",
             "Generated from the commands' own help by `scripts/gen_cli_docs.py`; every command "
             "prints one clear line and a hint on a user error and exits non-zero "
             "(`--debug` shows the traceback).", "",
             "```text", help_text([]), "```", ""]
    for cmd in commands([]):
        subs = commands([cmd])
        for args in ([[cmd]] if not subs else [[cmd]] + [[cmd, s] for s in subs]):
            parts += [f"## rightsmarker {' '.join(args)}", "", "```text", help_text(args), "```", ""]
    return "\n".join(parts)


if __name__ == "__main__":
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(render(), encoding="utf-8")
    print(f"wrote {OUT}")
