"""The README's engine example runs as written (docs that match the code)."""

import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def test_engine_example_runs_and_learns(capsys):
    text = README.read_text()
    block = re.search(r"## The engine in ten lines\s+```python\n(.*?)```", text, re.S).group(1)
    assert len(block.strip().splitlines()) <= 10
    namespace = {}
    exec(compile(block, str(README), "exec"), namespace)
    trainer = namespace["trainer"]
    val = trainer.val_history.as_dict()["val_loss"]
    assert val[-1] < 0.1 * val[0]
    assert capsys.readouterr().out.strip()


def test_quick_start_has_exactly_the_documented_commands():
    quick = README.read_text().split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```bash\n(.*?)```", quick, re.S)
    assert [c.strip() for c in commands] == [
        "pip install -r requirements.txt\nstreamlit run app.py",
        "./run_tests.sh",
    ]
