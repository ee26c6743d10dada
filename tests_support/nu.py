"""The Nu HTML checker (npm vnu-jar, run by Java), for the browser tests.

scripts/ensure-vnu.sh installs the jar pinned in tests_support/package.json
into tests_support/node_modules (`make test` and CI run it first).
"""

import json
import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlparse

VNU_JAR = Path(__file__).resolve().parent / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def nu_missing():
    """Why the checker cannot run here, or None when it can."""
    if shutil.which("java") is None:
        return "Java is not installed (apt-get install default-jre-headless, or scripts/ensure-vnu.sh)"
    if not VNU_JAR.is_file():
        return f"the Nu HTML checker is not installed at {VNU_JAR} (run scripts/ensure-vnu.sh)"
    return None


def nu_errors(documents, folder):
    """Check {name: html} documents in one run of the checker; return its errors as "name:line: message".

    One Java start-up for all of them: the checker takes a second or two to start
    and a few milliseconds per page.
    """
    folder = Path(folder)
    files = {}
    for n, (name, html) in enumerate(documents.items()):
        path = folder / f"page-{n:02}.html"
        path.write_text(html, encoding="utf-8")
        files[path.resolve()] = name
    run = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--stdout", *map(str, files)],
        capture_output=True, text=True, timeout=300, check=False,
    )
    try:
        messages = json.loads(run.stdout)["messages"]
    except (ValueError, KeyError):
        raise AssertionError(f"the Nu checker gave no report (exit {run.returncode}): {run.stderr[-2000:]}")
    errors = []
    for message in messages:
        name = files.get(Path(unquote(urlparse(message.get("url", "")).path)).resolve(), message.get("url"))
        where = f"{name}:{message.get('lastLine', '?')}"
        extract = (message.get("extract") or "").strip().replace("\n", " ")
        errors.append(f"{where}: {message['message']} [{extract[:120]}]")
    return errors
