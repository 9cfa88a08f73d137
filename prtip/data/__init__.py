"""prtip's static data files, read with importlib.resources (they ship in the wheel).

- ``services.tsv``: ``protocol<TAB>port<TAB>name``, nmap's service name of each port;
- ``top_ports.txt``: ``protocol<TAB>port,port,...``, ports by nmap's open frequency.

Both are generated from nmap's nmap-services by tools/build_port_tables.py (``make tables``);
their first line records the nmap version they came from.
"""
