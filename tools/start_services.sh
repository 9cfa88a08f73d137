#!/usr/bin/env bash
# Real Debian services on 127.0.0.1 for prtip's service-detection corpus and live test.
#
#   tools/start_services.sh [install|start|stop|status|all]     (default: all = install + start)
#
# Every daemon binds to 127.0.0.1 only, on the ports listed in PORTS below (tests/data/banners/
# uses the same ones). Needs root and Debian 12 (apt-get). `install` is idempotent and only
# installs what is missing; `start` skips a service whose port already listens; `stop` ends only
# the processes this script started (by the pid files in $STATE).
#
# Packages that conflict with one another in Debian (vsftpd vs proftpd: ftp-server; postfix vs
# exim4: mail-transport-agent) are not installed side by side: the second one is unpacked with
# dpkg-deb into $ROOT and run from there, with its library dependencies installed by apt-get.
# Mail servers get no route out: postfix is "Local only" with DNS disabled and a chroot resolver
# pointing at 127.0.0.1, exim has no routers and no host or ident lookups.
set -u

STATE=${PRTIP_SERVICES_STATE:-/var/tmp/prtip-services}
ROOT=/opt/prtip-services/root          # unpacked, not installed: proftpd, exim
TLS=$STATE/tls
export DEBIAN_FRONTEND=noninteractive

PACKAGES="openssh-server dropbear-bin vsftpd postfix dovecot-pop3d dovecot-imapd nginx-light
  apache2 lighttpd mariadb-server postgresql redis-server memcached mosquitto rsync slapd
  ldap-utils bind9 dnsmasq-base openssl
  libhiredis0.14 libmemcached11 libmemcachedutil2 libpcre2-posix3 libpcre2-8-0
  libgnutls-dane0 libidn12 libnsl2 libdb5.3"
UNPACKED="proftpd-core exim4-daemon-light"

# name:port pairs, the contract with tests/data/banners/*.json
PORTS="openssh:22 dropbear:2222 vsftpd:21 vsftpd-ftps:990 proftpd:2121 postfix:25 postfix-smtps:465
  exim:2525 dovecot-pop3:110 dovecot-imap:143 dovecot-pop3s:995 dovecot-imaps:993 nginx:80
  nginx-https:443 apache:8080 apache-https:8443 lighttpd:8081 mariadb:3306 postgresql:5432
  redis:6379 memcached:11211 mosquitto:1883 rsync:873 slapd:389 bind9:53 dnsmasq:5300"

log() { printf '%s\n' "$*" >&2; }

listening() { ss -Htln "sport = :$1" | grep -q '127.0.0.1'; }

install() {
  local missing="" p t0=$SECONDS
  for p in $PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
  done
  if [ -n "$missing" ]; then
    log "installing:$missing"
    echo "postfix postfix/main_mailer_type select Local only" | debconf-set-selections
    echo "postfix postfix/mailname string localhost" | debconf-set-selections
    apt-get update -qq
    # Debian's policy-rc.d (exit 101) in containers keeps packages from starting daemons here;
    # where it is missing, the daemons the packages start are stopped again in start().
    apt-get install -y -qq --no-install-recommends $missing >/dev/null || return 1
  fi
  if [ ! -x "$ROOT/usr/sbin/proftpd" ] || [ ! -x "$ROOT/usr/sbin/exim4" ]; then
    mkdir -p /opt/prtip-services/debs "$ROOT"
    (cd /opt/prtip-services/debs && apt-get download -qq $UNPACKED 2>/dev/null) || return 1
    for d in /opt/prtip-services/debs/*.deb; do dpkg-deb -x "$d" "$ROOT"; done
  fi
  # exim's binary has its user compiled in; exim4-base's postinst would have created it
  getent passwd Debian-exim >/dev/null || adduser --system --group --no-create-home --allow-bad-names \
    --home /var/spool/exim4 Debian-exim >/dev/null
  log "install: done in $((SECONDS - t0))s"
}

pidfile() { echo "$STATE/pids/$1.pid"; }

# ---- configuration files --------------------------------------------------------------------
configure() {
  mkdir -p "$STATE/pids" "$STATE/logs" "$TLS" "$STATE/www" "$STATE/empty" "$STATE/rsync"
  chmod 755 "$STATE" "$STATE/pids" "$STATE/logs"
  chmod 777 "$STATE/pids" "$STATE/logs"
  if [ ! -s "$TLS/cert.pem" ]; then
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj /CN=localhost \
      -keyout "$TLS/key.pem" -out "$TLS/cert.pem" 2>/dev/null
    cat "$TLS/cert.pem" "$TLS/key.pem" > "$TLS/both.pem"
  fi
  chmod 644 "$TLS"/*.pem
  echo "prtip test page" > "$STATE/www/index.html"
}

# ---- one function per daemon ----------------------------------------------------------------
start_openssh() {
  mkdir -p /run/sshd; ssh-keygen -A >/dev/null
  cat > "$STATE/sshd_config" <<EOF
ListenAddress 127.0.0.1:22
HostKey /etc/ssh/ssh_host_ed25519_key
HostKey /etc/ssh/ssh_host_rsa_key
PidFile $(pidfile openssh)
UsePAM no
EOF
  /usr/sbin/sshd -f "$STATE/sshd_config"
}

start_dropbear() {
  [ -s "$STATE/dropbear_ed25519" ] || dropbearkey -t ed25519 -f "$STATE/dropbear_ed25519" >/dev/null 2>&1
  dropbear -p 127.0.0.1:2222 -r "$STATE/dropbear_ed25519" -P "$(pidfile dropbear)"
}

vsftpd_conf() {  # $1 = port, $2 = extra lines
  cat <<EOF
listen=YES
listen_ipv6=NO
listen_address=127.0.0.1
listen_port=$1
background=YES
anonymous_enable=YES
anon_root=$STATE/empty
no_anon_password=YES
allow_anon_ssl=YES
local_enable=NO
secure_chroot_dir=$STATE/empty
ftpd_banner=
$2
EOF
}

start_vsftpd() {
  vsftpd_conf 21 "" | grep -v '^ftpd_banner=' > "$STATE/vsftpd.conf"
  vsftpd "$STATE/vsftpd.conf" && sleep 0.2 && pgrep -n -f "vsftpd $STATE/vsftpd.conf" > "$(pidfile vsftpd)"
}

start_vsftpd-ftps() {
  vsftpd_conf 990 "ssl_enable=YES
implicit_ssl=YES
rsa_cert_file=$TLS/cert.pem
rsa_private_key_file=$TLS/key.pem" | grep -v '^ftpd_banner=' > "$STATE/vsftpd-ftps.conf"
  vsftpd "$STATE/vsftpd-ftps.conf" && sleep 0.2 &&
    pgrep -n -f "vsftpd $STATE/vsftpd-ftps.conf" > "$(pidfile vsftpd-ftps)"
}

start_proftpd() {  # Debian's default identity (ServerName "Debian", ServerIdent left on)
  cat > "$STATE/proftpd.conf" <<EOF
ServerName "Debian"
ServerType standalone
DefaultServer on
UseIPv6 off
Port 2121
DefaultAddress 127.0.0.1
SocketBindTight on
User nobody
Group nogroup
PidFile $(pidfile proftpd)
ScoreboardFile $STATE/proftpd.scoreboard
DelayTable none
WtmpLog off
UseReverseDNS off
EOF
  "$ROOT/usr/sbin/proftpd" -c "$STATE/proftpd.conf" >>"$STATE/logs/proftpd.log" 2>&1
}

start_postfix() {
  postconf -e inet_interfaces=loopback-only inet_protocols=ipv4 default_transport=error \
    relay_transport=error relayhost= disable_dns_lookups=yes smtp_dns_support_level=disabled \
    smtpd_peername_lookup=no "smtpd_tls_cert_file=$TLS/cert.pem" "smtpd_tls_key_file=$TLS/key.pem" \
    smtpd_tls_security_level=may
  postconf -M smtps/inet="smtps inet n - y - - smtpd -o smtpd_tls_wrappermode=yes"
  mkdir -p /var/spool/postfix/etc
  cp /etc/hosts /var/spool/postfix/etc/hosts
  echo "nameserver 127.0.0.1" > /var/spool/postfix/etc/resolv.conf
  postfix start >>"$STATE/logs/postfix.log" 2>&1
  sleep 0.5; cp /var/spool/postfix/pid/master.pid "$(pidfile postfix)" 2>/dev/null
}
start_postfix-smtps() { :; }  # same master as postfix

start_exim() {
  mkdir -p "$STATE/exim/spool" "$STATE/exim/log"; chown -R mail:mail "$STATE/exim"
  cat > "$STATE/exim.conf" <<EOF
primary_hostname = localhost
domainlist local_domains = localhost
daemon_smtp_ports = 2525
local_interfaces = 127.0.0.1
exim_user = mail
exim_group = mail
never_users = root
host_lookup =
rfc1413_hosts =
spool_directory = $STATE/exim/spool
log_file_path = $STATE/exim/log/%slog
pid_file_path = $(pidfile exim)
acl_smtp_rcpt = acl_check_rcpt
begin acl
acl_check_rcpt:
  deny
begin routers
begin transports
EOF
  "$ROOT/usr/sbin/exim4" -C "$STATE/exim.conf" -bd >>"$STATE/logs/exim.log" 2>&1
}

start_dovecot() {
  cat > "$STATE/dovecot.conf" <<EOF
protocols = imap pop3
listen = 127.0.0.1
base_dir = $STATE/dovecot-run
state_dir = $STATE/dovecot-state
ssl = yes
ssl_cert = <$TLS/cert.pem
ssl_key = <$TLS/key.pem
mail_location = maildir:~/Maildir
passdb {
  driver = static
  args = password=unused-password-never-logged-in
}
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=$STATE/empty
}
log_path = $STATE/logs/dovecot.log
EOF
  dovecot -c "$STATE/dovecot.conf" && sleep 0.3 && cp "$STATE/dovecot-run/master.pid" "$(pidfile dovecot)"
}
start_dovecot-pop3() { start_dovecot; }
start_dovecot-imap() { :; }
start_dovecot-pop3s() { :; }
start_dovecot-imaps() { :; }

start_nginx() {
  cat > "$STATE/nginx.conf" <<EOF
pid $(pidfile nginx);
error_log $STATE/logs/nginx.err;
events { worker_connections 64; }
http {
  access_log off;
  server {
    listen 127.0.0.1:80;
    listen 127.0.0.1:443 ssl;
    ssl_certificate $TLS/cert.pem;
    ssl_certificate_key $TLS/key.pem;
    root $STATE/www;
  }
}
EOF
  nginx -c "$STATE/nginx.conf"
}
start_nginx-https() { :; }

start_apache() {  # Debian's default ServerTokens OS: "Apache/2.4.x (Debian)"
  local m=/usr/lib/apache2/modules
  cat > "$STATE/apache2.conf" <<EOF
ServerRoot /etc/apache2
DefaultRuntimeDir $STATE/apache-run
PidFile $(pidfile apache)
Mutex file:$STATE/apache-run default
LoadModule mpm_event_module $m/mod_mpm_event.so
LoadModule authz_core_module $m/mod_authz_core.so
LoadModule dir_module $m/mod_dir.so
LoadModule socache_shmcb_module $m/mod_socache_shmcb.so
LoadModule ssl_module $m/mod_ssl.so
User www-data
Group www-data
ServerName localhost
ServerTokens OS
ErrorLog $STATE/logs/apache.err
Listen 127.0.0.1:8080
Listen 127.0.0.1:8443
DocumentRoot $STATE/www
<Directory $STATE/www>
  Require all granted
</Directory>
<VirtualHost 127.0.0.1:8443>
  SSLEngine on
  SSLCertificateFile $TLS/cert.pem
  SSLCertificateKeyFile $TLS/key.pem
</VirtualHost>
EOF
  mkdir -p "$STATE/apache-run"
  apache2 -f "$STATE/apache2.conf" -k start
}
start_apache-https() { :; }

start_lighttpd() {
  cat > "$STATE/lighttpd.conf" <<EOF
server.bind = "127.0.0.1"
server.port = 8081
server.document-root = "$STATE/www"
server.pid-file = "$(pidfile lighttpd)"
server.errorlog = "$STATE/logs/lighttpd.err"
server.username = "www-data"
server.groupname = "www-data"
EOF
  lighttpd -f "$STATE/lighttpd.conf"
}

start_mariadb() {
  [ -d /var/lib/mysql/mysql ] || mariadb-install-db --user=mysql --datadir=/var/lib/mysql >/dev/null
  mkdir -p /run/mysqld; chown mysql:mysql /run/mysqld
  mariadbd --no-defaults --user=mysql --datadir=/var/lib/mysql --bind-address=127.0.0.1 \
    --port=3306 --socket=/run/mysqld/prtip.sock --pid-file="$(pidfile mariadb)" \
    --log-error="$STATE/logs/mariadb.err" >/dev/null 2>&1 &
}

start_postgresql() {
  local v; v=$(ls /etc/postgresql | sort -V | tail -1)
  [ -d "/etc/postgresql/$v/main" ] || pg_createcluster "$v" main >/dev/null
  pg_ctlcluster "$v" main start -o "-c listen_addresses=127.0.0.1 -c port=5432" &&
    cp "/var/lib/postgresql/$v/main/postmaster.pid" "$STATE/pids/postgresql.pidfile" &&
    head -1 "$STATE/pids/postgresql.pidfile" > "$(pidfile postgresql)"
}

start_redis() {
  redis-server --bind 127.0.0.1 --port 6379 --daemonize yes --pidfile "$(pidfile redis)" \
    --logfile "$STATE/logs/redis.log" --dir "$STATE" --save ''
}

start_memcached() {
  memcached -u memcache -l 127.0.0.1 -p 11211 -U 0 -d -P "$(pidfile memcached)"
}

start_mosquitto() {
  cat > "$STATE/mosquitto.conf" <<EOF
listener 1883 127.0.0.1
allow_anonymous true
pid_file $(pidfile mosquitto)
log_dest file $STATE/logs/mosquitto.log
EOF
  mosquitto -c "$STATE/mosquitto.conf" -d
}

start_rsync() {
  cat > "$STATE/rsyncd.conf" <<EOF
pid file = $(pidfile rsync)
use chroot = no
[files]
  path = $STATE/rsync
  read only = yes
EOF
  rsync --daemon --address=127.0.0.1 --port=873 --config="$STATE/rsyncd.conf"
}

start_slapd() {
  slapd -h ldap://127.0.0.1:389/ -u openldap -g openldap -F /etc/ldap/slapd.d &&
    sleep 0.3 && pgrep -n -x slapd > "$(pidfile slapd)"
}

start_bind9() {
  mkdir -p "$STATE/named"; chown bind:bind "$STATE/named"
  cat > "$STATE/named.conf" <<EOF
options {
  directory "$STATE/named";
  pid-file "$(pidfile bind9)";
  listen-on port 53 { 127.0.0.1; };
  listen-on-v6 { none; };
  recursion no;
  allow-query { 127.0.0.1; };
};
EOF
  named -4 -u bind -c "$STATE/named.conf"
}

start_dnsmasq() {
  dnsmasq --port=5300 --listen-address=127.0.0.1 --bind-interfaces --no-resolv --no-hosts \
    --pid-file="$(pidfile dnsmasq)" --user=nobody
}

start() {
  configure
  local entry name port
  for entry in $PORTS; do
    name=${entry%%:*}; port=${entry##*:}
    if listening "$port"; then continue; fi
    # daemons must not keep the caller's stdout open (a pipe would never see EOF)
    "start_$name" </dev/null >>"$STATE/logs/$name.out" 2>&1 || log "start $name: failed (see $STATE/logs)"
  done
  sleep 1
  status
}

stop() {
  local f pid
  for f in "$STATE"/pids/*.pid; do
    [ -s "$f" ] || continue
    pid=$(head -1 "$f" | tr -dc 0-9)
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && log "stopped $(basename "$f" .pid) ($pid)"
    rm -f "$f"
  done
}

status() {
  local entry name port bad=0
  for entry in $PORTS; do
    name=${entry%%:*}; port=${entry##*:}
    if listening "$port"; then echo "up   $name 127.0.0.1:$port"; else echo "DOWN $name 127.0.0.1:$port"; bad=1; fi
  done
  return $bad
}

case "${1:-all}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  all) install && start ;;
  *) echo "usage: $0 [install|start|stop|status|all]" >&2; exit 2 ;;
esac
