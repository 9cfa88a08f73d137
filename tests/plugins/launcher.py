"""`python tests/plugins/launcher.py ARGS`: prtip with the plugin options, wired exactly as
docs/PLUGINS.md ("Wiring") tells prtip/cli.py and prtip/pipeline.py to do.

Once prtip/cli.py has the options itself this is plain `python -m prtip`: the wiring below
only applies when the command still lacks --plugin.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import prtip.cli as cli  # noqa: E402
import prtip.pipeline as pipeline  # noqa: E402
from prtip.plugins.integration import add_plugin_options, scan_hooks  # noqa: E402

if not any(p.name == "plugins" for p in cli.scan_command.params):
    original_execute = pipeline.execute
    OriginalReport = pipeline.Report
    current: dict = {}

    class Report(OriginalReport):  # type: ignore[misc,valid-type]
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            hooks = current.get("hooks")
            if hooks is not None:  # report.errors = hooks.errors (the pipeline's one-line change)
                self.errors = getattr(hooks, "errors", self.errors)

    def execute(config, hooks=None):
        hooks = hooks or scan_hooks(config)
        current["hooks"] = hooks
        return original_execute(config, hooks)

    pipeline.Report = Report
    pipeline.execute = execute
    add_plugin_options(cli.scan_command)

if "wants_banners" not in open(pipeline.__file__).read():
    # detection plugins named without -sV get banners: a passive read, then an HTTP GET
    import asyncio
    from dataclasses import replace

    from prtip.model import OPEN

    async def scan_host(self, status, ports):
        self.report.host_started(status)
        address = status.target.address
        if not status.up:
            self.report.host_finished(address)
            return

        async def body():
            await asyncio.gather(*(scanner.scan(status.target, ports.of(proto), self._emit)
                                   for scanner, proto in self.scanners))
            if self.config.version_detection:
                results = self.report.hosts[address].ports()
                for result in await pipeline.detection.detect(address, results,
                                                              timeout=pipeline.service_timeout(self.config),
                                                              intensity=self.config.version_intensity):
                    self.report.add_result(self.hooks.analyze_banner(result))
            elif getattr(self.hooks, "wants_banners", False):
                from prtip.service import grab_banner

                opened = [r for r in self.report.hosts[address].ports() if r.state == OPEN and r.protocol == "tcp"]
                captures = await asyncio.gather(*(
                    grab_banner(address, r.port, timeout=pipeline.service_timeout(self.config), tls=False, intensity=1)
                    for r in opened))
                for r, capture in zip(opened, captures):
                    self.report.add_result(self.hooks.analyze_banner(replace(r, banner=capture.banner)))

        timed_out = False
        try:
            if self.timing.host_timeout:
                await asyncio.wait_for(body(), self.timing.host_timeout)
            else:
                await body()
        except asyncio.TimeoutError:
            timed_out = True
        self.report.host_finished(address, timed_out=timed_out)

    pipeline.Pipeline.scan_host = scan_host

if __name__ == "__main__":
    cli.main()
