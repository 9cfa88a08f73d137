"""`prtip plugin new`: a plugin folder that validates, loads and passes its own test from the start.

The files follow the plugin guide: plugin.toml (every field it documents), main.lua with the
lifecycle functions and the plugin type's hooks, README.md with the sections the guide asks
for, and test_<name>.lua in the guide's unit-test style. An output plugin asks for the
filesystem capability because its export writes a file.
"""

from __future__ import annotations

from pathlib import Path
from string import Template

from prtip.plugins.manifest import MAX_NAME, NAME_RE, PLUGIN_TYPES
from prtip import PLUGIN_API_VERSION
from prtip.tooling.errors import ScaffoldError

CAPABILITIES = {"scan": "", "output": '"filesystem"', "detection": ""}

MANIFEST = Template('''\
[plugin]
name = "$name"
version = "0.1.0"
author = "$author"
description = "$description"
license = "GPL-3.0"
plugin_type = "$type"
capabilities = [$capabilities]

[plugin.dependencies]
min_prtip_version = "$min_prtip"
lua_version = "5.4"

[plugin.metadata]
tags = ["$type"]
category = "$type"

# [config] is handed to on_load(config)
[config]
''')

LIFECYCLE = Template('''\
-- $name: $description

function on_load(config)
    prtip.log("info", "$name loaded")
    return true
end

function on_unload()
    prtip.log("info", "$name unloaded")
end
''')

HOOKS = {
    "detection": '''
-- Passive: look at the bytes a service sent. Return nil when they are not yours.
function analyze_banner(banner)
    local version = string.match(banner, "^HTTP/(%d%.%d) %d%d%d")
    if version then
        return {
            service = "http",
            info = "HTTP/" .. version,
            confidence = 0.8,
        }
    end
    return nil
end

-- Active probing needs capabilities = ["network"] in plugin.toml.
-- function probe_service(target) end
''',
    "scan": '''
local open_ports = 0

-- targets: a list of {ip = ..., hostname = ...}; return a new list to change what is scanned
function pre_scan(targets)
    open_ports = 0
    prtip.log("info", string.format("Scanning %d targets", #targets))
end

function on_target(target, result)
    if result.state == "open" then
        open_ports = open_ports + 1
        prtip.log("info", string.format("Found open port: %d", result.port))
    end
end

function post_scan(results)
    prtip.log("info", string.format("Scan complete: %d results, %d open", #results, open_ports))
end
''',
    "output": '''
-- One line per result in prtip's normal output
function format_result(result)
    return string.format("%s:%d [%s]", result.target_ip, result.port, result.state)
end

-- Called with the path given to --plugin-output
function export(results, path)
    local file = assert(io.open(path, "w"))
    file:write("IP,Port,State\\n")
    for _, result in ipairs(results) do
        file:write(string.format("%s,%d,%s\\n", result.target_ip, result.port, result.state))
    end
    file:close()
end
''',
}

TESTS = {
    "detection": '''
function test_analyze_banner()
    local result = plugin.analyze_banner("HTTP/1.1 200 OK\\r\\nServer: Apache\\r\\n")
    assert(result ~= nil, "Should detect HTTP")
    assert(result.service == "http", "Should identify as HTTP")
    assert(result.confidence > 0.5, "Should have reasonable confidence")
    assert(plugin.analyze_banner("SSH-2.0-OpenSSH_9.2p1\\r\\n") == nil, "Should ignore SSH")
    print("✓ test_analyze_banner passed")
end

test_analyze_banner()
''',
    "scan": '''
function test_scan_hooks()
    prtip.reset()
    plugin.pre_scan({ { ip = "127.0.0.1" } })
    plugin.on_target({ ip = "127.0.0.1", port = 22, protocol = "tcp" }, { port = 22, state = "open" })
    plugin.on_target({ ip = "127.0.0.1", port = 23, protocol = "tcp" }, { port = 23, state = "closed" })
    plugin.post_scan({ {}, {} })
    local last = prtip.logs[#prtip.logs]
    assert(last.message == "Scan complete: 2 results, 1 open", last.message)
    print("✓ test_scan_hooks passed")
end

test_scan_hooks()
''',
    "output": '''
function test_format_result()
    local line = plugin.format_result({ target_ip = "127.0.0.1", port = 80, state = "open" })
    assert(line == "127.0.0.1:80 [open]", line)
    print("✓ test_format_result passed")
end

function test_export()
    local path = "export.csv"  -- in the test's temporary data folder (relative paths point there)
    plugin.export({ { target_ip = "127.0.0.1", port = 80, state = "open" } }, path)
    local file = assert(io.open(path))
    local text = file:read("a")
    file:close()
    assert(text == "IP,Port,State\\n127.0.0.1,80,open\\n", text)
    print("✓ test_export passed")
end

test_format_result()
test_export()
''',
}

TEST_HEAD = Template('''\
-- Unit tests for $name: prtip plugin test $name
package.path = package.path .. ";./?.lua"
local plugin = require("main")

function test_on_load()
    assert(plugin.on_load({}) == true, "on_load should accept an empty config")
    print("✓ test_on_load passed")
end

test_on_load()
''')

README = Template('''\
# $name

$description

## Overview

A prtip $type plugin. It defines $hooks.

## Installation

```sh
prtip plugin validate .          # check plugin.toml and main.lua
prtip plugin install .           # copy into $$PRTIP_HOME/plugins (default ~/.prtip/plugins)
prtip --list-plugins             # $name v0.1.0 ($type) ...
```

## Usage

```sh
prtip -sT -p 80 127.0.0.1 --plugin $name$usage
```

## API

$api

## Development

```sh
prtip plugin test .              # runs test_*.lua with luavm; require("main") gives the functions
```

## Troubleshooting

- Not in `prtip --list-plugins`: run `prtip plugin validate .` (one line per problem), or
  `prtip --log-level debug --list-plugins`.
- `Plugin lacks '...' capability`: add it to `capabilities` in plugin.toml.
- Logs: `$$PRTIP_HOME/logs/prtip.log`.
''')

API = {
    "detection": "- `analyze_banner(banner)` returns `{service, product, version, info, os_type, confidence}` or nil.",
    "scan": "- `pre_scan(targets)`, `on_target(target, result)`, `post_scan(results)`: log what the scan finds.",
    "output": "- `format_result(result)` returns the line shown for a result.\n"
              "- `export(results, path)` writes `IP,Port,State` CSV to the `--plugin-output` path.",
}
USAGE = {"detection": "", "scan": "", "output": " --plugin-output results.csv"}
HOOK_NAMES = {"detection": "analyze_banner", "scan": "pre_scan, on_target and post_scan",
              "output": "format_result and export"}


def unit_test_name(name: str) -> str:
    """test_my_plugin.lua for my-plugin (the plugin guide's name for the unit test)."""
    return f"test_{name.replace('-', '_')}.lua"


def scaffold_plugin(name: str, plugin_type: str, parent: Path, *, author: str = "Your Name",
                    description: str | None = None) -> Path:
    """Create ``parent/name`` with the four files; refuses to overwrite anything."""
    if len(name) > MAX_NAME or not NAME_RE.match(name):
        raise ScaffoldError(f"{name!r} is not a valid plugin name (lowercase letters, digits and single hyphens, "
                            f"starting with a letter, at most {MAX_NAME} characters)")
    if plugin_type not in PLUGIN_TYPES:
        raise ScaffoldError(f"{plugin_type!r} is not a plugin type (scan, output or detection)")
    description = description or f"A prtip {plugin_type} plugin"
    if len(description) > 80 or "\n" in description or '"' in description or "\\" in description:
        raise ScaffoldError("the description must be one line of at most 80 characters, without quotes or backslashes")
    if '"' in author or "\\" in author or "\n" in author:
        raise ScaffoldError("the author must be one line without quotes or backslashes")
    folder = Path(parent) / name
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ScaffoldError(f"{folder} already exists and is not empty")
    values = {"name": name, "type": plugin_type, "author": author, "description": description,
              "capabilities": CAPABILITIES[plugin_type], "hooks": HOOK_NAMES[plugin_type],
              "api": API[plugin_type], "usage": USAGE[plugin_type],
              "min_prtip": f"{PLUGIN_API_VERSION}.0"}
    files = {
        "plugin.toml": MANIFEST.substitute(values),
        "main.lua": LIFECYCLE.substitute(values) + HOOKS[plugin_type],
        "README.md": README.substitute(values),
        unit_test_name(name): TEST_HEAD.substitute(values) + TESTS[plugin_type] + 'print("All tests passed!")\n',
    }
    folder.mkdir(parents=True, exist_ok=True)
    for file, text in files.items():
        (folder / file).write_text(text, encoding="utf-8")
    return folder
