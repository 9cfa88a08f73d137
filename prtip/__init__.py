"""prtip: an nmap-style port scanner (connect, SYN/FIN/NULL/Xmas/ACK and UDP scans) in pure Python."""

# prtip implements the plugin API of ProRT-IP v0.5 (the plugin document, docs/PLUGINS.md), so
# its version is 0.5.x: a plugin.toml written for it (min_prtip_version = "0.4.0" or "0.5.0")
# loads. PLUGIN_API_VERSION changes only when the API plugins see changes.
__version__ = "0.5.0"
PLUGIN_API_VERSION = "0.5"
