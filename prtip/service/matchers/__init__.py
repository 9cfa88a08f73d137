"""The matchers, one module per protocol family, in the order `identify` consults them.

Each entry is (name, matcher); a matcher reads one Exchange and returns a ServiceInfo or None
(see base.py for the rules every matcher keeps). Order only breaks ties of equal confidence.
"""

from __future__ import annotations

from prtip.service.matchers import dns, ftp, http, keyvalue, ldap, mail, mqtt, mysql, postgresql, rsync, ssh
from prtip.service.matchers.base import Matcher

MATCHERS: tuple[tuple[str, Matcher], ...] = (
    ("ssh", ssh.match),
    ("smtp", mail.smtp),
    ("ftp", ftp.match),
    ("pop3", mail.pop3),
    ("imap", mail.imap),
    ("http", http.match),
    ("mysql", mysql.match),
    ("postgresql", postgresql.match),
    ("redis", keyvalue.redis),
    ("memcached", keyvalue.memcached),
    ("domain", dns.match),
    ("ldap", ldap.match),
    ("mqtt", mqtt.match),
    ("rsync", rsync.match),
)

__all__ = ["MATCHERS", "Matcher"]
