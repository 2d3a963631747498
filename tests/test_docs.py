"""The documentation stays true: README commands, the CLI reference, the Python example."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]


def test_the_readme_starts_with_two_commands_that_exist():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```bash\n(.*?)```", text, re.S).group(1)
    commands = [line.split("#")[0].strip() for line in block.splitlines() if line.strip()]
    assert len(commands) == 2
    for command in commands:
        script = command.split()[1]
        assert (ROOT / script).is_file(), f"README names a missing script: {script}"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1] in ci, ".ci/run must call the README's test command"


def test_the_cli_reference_is_up_to_date():
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import gen_cli_docs
    finally:
        sys.path.pop(0)
    current = (ROOT / "docs" / "reference" / "cli.md").read_text(encoding="utf-8")
    assert current == gen_cli_docs.render(), "run: .venv/bin/python scripts/gen_cli_docs.py"


def test_the_readme_python_example_runs_on_the_demo_data(tmp_path):
    import rightsmarker as rm
    from rightsmarker.demo import demo_data

    demo_data(n_cities=4).write(tmp_path)
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    code = re.search(r"```python\n(.*?)```", text, re.S).group(1)
    code = code.replace('"observations.csv"', repr(str(tmp_path / "observations.csv")))
    code = code.replace('rm.load_method("method.yaml")', "rm.load_method(None)")
    code = code.replace("result.regenerate({...})", "result.regenerate({})")
    scope: dict = {}
    exec(compile(code, "README.md", "exec"), scope)  # noqa: S102 - our own README
    result = scope["result"]
    assert isinstance(result.scores, pd.DataFrame)
    assert set(result.scores["unit"]) == set(rm.read_observations(
        tmp_path / "observations.csv", scope["fw"]).data["unit"])


def test_every_guide_linked_from_the_readme_exists():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for link in re.findall(r"\]\((docs/[^)#]+)", text):
        assert (ROOT / link).exists(), f"README links to a missing file: {link}"


def test_the_cli_help_runs_without_a_traceback():
    proc = subprocess.run([sys.executable, "-m", "rightsmarker", "--help"],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0
    assert "score" in proc.stdout and "Traceback" not in proc.stderr
