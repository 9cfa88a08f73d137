-- Unit tests for banner-analyzer (run with: prtip plugin test banner-analyzer)
package.path = package.path .. ";./?.lua"
local analyzer = require("main")

local function check(banner, service, product, version, os_type)
  local r = analyzer.analyze_banner(banner)
  assert(r ~= nil, "no answer for " .. string.format("%q", banner))
  assert(r.service == service, string.format("service %s, expected %s", tostring(r.service), service))
  assert(r.product == product, string.format("product %s, expected %s", tostring(r.product), tostring(product)))
  assert(r.version == version, string.format("version %s, expected %s", tostring(r.version), tostring(version)))
  if os_type ~= nil then
    assert(r.os_type == os_type, string.format("os %s, expected %s", tostring(r.os_type), os_type))
  end
  assert(r.confidence >= 0.7 and r.confidence <= 0.95, "confidence out of range: " .. r.confidence)
  return r
end

function test_http()
  check("HTTP/1.1 200 OK\r\nServer: Apache/2.4.71 (Debian)\r\n\r\n", "http", "Apache httpd", "2.4.71", "Linux")
  check("HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\n\r\n", "http", "nginx", "1.22.1")
  check("HTTP/1.1 404 Not Found\r\nServer: Microsoft-IIS/10.0\r\n\r\n", "http", "Microsoft IIS httpd", "10.0", "Windows")
  check("HTTP/1.1 403 Forbidden\r\nServer: lighttpd/1.4.69\r\n\r\n", "http", "lighttpd", "1.4.69")
  -- ServerTokens Prod: the product without a version, never a guessed one
  local r = check("HTTP/1.1 200 OK\r\nServer: Apache\r\n\r\n", "http", "Apache httpd", nil)
  assert(r.confidence == 0.9)
  -- Tomcat's Coyote connector is not Apache httpd; "apache" in the body proves nothing
  check("HTTP/1.1 200 OK\r\nServer: Apache-Coyote/1.1\r\n\r\n", "http", nil, nil)
  check("HTTP/1.0 200 OK\r\n\r\nPowered by Apache/2.4.1", "http", nil, nil)
  print("✓ test_http passed")
end

function test_ssh()
  check("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10\r\n", "ssh", "OpenSSH", "9.2p1", "Linux")
  check("SSH-2.0-dropbear_2022.83\r\n", "ssh", "Dropbear sshd", "2022.83")
  local r = check("SSH-2.0-libssh_0.10.5\r\n", "ssh", nil, nil)
  assert(r.info == "protocol 2.0")
  print("✓ test_ssh passed")
end

function test_mail_and_ftp()
  -- Postfix is SMTP (the system we compete with calls it FTP)
  check("220 vm ESMTP Postfix (Debian/GNU)\r\n", "smtp", "Postfix smtpd", nil, "Linux")
  check("220 localhost ESMTP Exim 4.96 Thu, 26 Nov 2026 07:56:04 +0000\r\n", "smtp", "Exim smtpd", "4.96")
  check("220 mx.example.org ESMTP Sendmail 8.15.2/8.15.2/Debian-22; Thu, 26 Nov 2026\r\n", "smtp", "Sendmail", "8.15.2")
  check("220 (vsFTPd 3.0.3)\r\n", "ftp", "vsftpd", "3.0.3")
  check("220 ProFTPD Server (Debian) [127.0.0.1]\r\n", "ftp", "ProFTPD", nil, "Linux")
  check("220 ProFTPD 1.3.8 Server (Debian) [::ffff:127.0.0.1]\r\n", "ftp", "ProFTPD", "1.3.8")
  check("220 Microsoft FTP Service\r\n", "ftp", nil, nil)
  print("✓ test_mail_and_ftp passed")
end

function test_databases()
  -- a MySQL packet: 3-byte length, sequence 0, then the handshake (protocol 10, version)
  local function packet(body) return string.pack("<I3", #body) .. "\0" .. body end
  check(packet("\n5.5.5-10.11.19-MariaDB-0+deb12u1\0\9\0\0\0"), "mysql", "MariaDB", "10.11.19", "Linux")
  check(packet("\n8.0.35\0abcdefgh"), "mysql", "MySQL", "8.0.35")
  check("R\0\0\0\23\0\0\0\nSCRAM-SHA-256\0\0", "postgresql", "PostgreSQL DB", nil)
  check("+PONG\r\n$20\r\n# Server\r\nredis_version:7.0.15\r\nos:Linux 6.1 x86_64\r\n", "redis",
        "Redis key-value store", "7.0.15", "Linux")
  check("-NOAUTH Authentication required.\r\n", "redis", "Redis key-value store", nil)
  local doc = "\2version\0\7\0\0\0" .. "7.0.14\0" .. "\16maxWireVersion\0\21\0\0\0"
  check(string.pack("<i4i4i4i4", 16 + #doc, 1, 0, 1) .. doc, "mongodb", "MongoDB", "7.0.14")
  check("HTTP/1.0 200 OK\r\nContent-Length: 85\r\n\r\nIt looks like you are trying to access MongoDB over HTTP on the native driver port.\r\n",
        "mongodb", "MongoDB", nil)
  print("✓ test_databases passed")
end

function test_rejects()
  assert(analyzer.analyze_banner("") == nil)
  assert(analyzer.analyze_banner("ab") == nil)
  assert(analyzer.analyze_banner("+OK Dovecot (Debian) ready.\r\n") == nil, "POP3 is not Redis")
  assert(analyzer.analyze_banner("-ERR unknown command\r\n") == nil, "a bare -ERR is POP3 or Redis")
  assert(analyzer.analyze_banner("@RSYNCD: 32.0\n") == nil)
  assert(analyzer.analyze_banner(string.rep("\0", 64)) == nil)
  assert(analyzer.analyze_banner("HTTP/") == nil)
  print("✓ test_rejects passed")
end

test_http()
test_ssh()
test_mail_and_ftp()
test_databases()
test_rejects()
print("All tests passed!")
