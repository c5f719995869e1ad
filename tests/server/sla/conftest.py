"""SLA test settings: keep Hypothesis' files out of the checkout (pytest would trip on them)."""

import tempfile
from pathlib import Path

from hypothesis.configuration import set_hypothesis_home_dir

set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "servio-hypothesis")
