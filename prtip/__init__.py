"""prtip: an nmap-style port scanner (connect, SYN/FIN/NULL/Xmas/ACK and UDP scans) in pure Python."""

__version__ = "0.1.0"
