"""Regenerate docs/reference/framework-schema.json from the pydantic framework model.

Usage: .venv/bin/python scripts/gen_schema.py   (a test checks that the published file is current)
"""

from __future__ import annotations

import json
from pathlib import Path

from rightsmarker.framework.io import framework_schema

OUT = Path(__file__).resolve().parents[1] / "docs" / "reference" / "framework-schema.json"


def main() -> None:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(framework_schema(), indent=2, ensure_ascii=False) + "\n", "utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
