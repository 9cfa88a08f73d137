"""prtip's plugin-author tooling: `prtip plugin new|test|validate|info|install|update|remove`.

The modules, one concept each::

    errors.py     the error tree (ToolingError and its kinds)
    scaffold.py   `new`: a plugin folder whose test passes from the first minute
    luatest.py    `test`: runs a plugin's test_*.lua in its sandbox and limits, require("main") as documented
    testapi.py    the test policy of the scanner's PluginApi (logs and results kept, loopback only)
    validate.py   `validate`: every problem of a plugin folder, one line each (file, field)
    archive.py    safe extraction of .tar.gz/.tgz/.zip plugin archives
    installer.py  `install`/`update`/`remove`: validate first, then copy into $PRTIP_HOME/plugins
    cli.py        the click group `plugin_group` that prtip's CLI attaches as `prtip plugin`

It builds on prtip.plugins (manifest validation, discovery, the plugin host) and never
changes it: a plugin that `validate` accepts is one the scanner loads.
"""

from prtip.tooling.errors import ArchiveError, InstallError, ToolingError
from prtip.tooling.installer import Installer, installed_plugins
from prtip.tooling.luatest import LuaTestResult, run_plugin_tests, run_test_file
from prtip.tooling.scaffold import scaffold_plugin
from prtip.tooling.validate import Problem, validate_plugin

__all__ = [
    "ArchiveError", "InstallError", "Installer", "LuaTestResult", "Problem", "ToolingError",
    "installed_plugins", "run_plugin_tests", "run_test_file", "scaffold_plugin", "validate_plugin",
]
