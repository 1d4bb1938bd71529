"""What a process that runs one preview and exits does first, before its heavy imports: the command line
(`python -m tools.preview`) and the bench's fresh-interpreter runs, so that the bench measures what users run."""
from __future__ import annotations

from . import collector


def one_preview_process() -> None:
    collector.for_one_run()  # no collections from here on: they would only walk what lives until exit
    from .sdk_internals import lazy_pulumi
    lazy_pulumi.defer_unused_packages()  # before pulumi is imported
