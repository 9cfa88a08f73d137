-- Unit tests for ssl-checker (run with: prtip plugin test ssl-checker)
package.path = package.path .. ";./?.lua"
local checker = require("main")
local tls = checker.tls

local function server_hello(legacy, cipher, extensions)
  local body = string.pack(">I2", legacy) .. string.rep("\1", 32) .. string.pack(">s1", "")
      .. string.pack(">I2B", cipher, 0) .. string.pack(">s2", extensions or "")
  local handshake = string.pack(">B", 2) .. string.pack(">I3", #body) .. body
  return string.pack(">BI2s2", 22, 0x0303, handshake)
end

function test_client_hello()
  local hello = tls.client_hello("example.org")
  local ctype, version, length = string.unpack(">BI2I2", hello)
  assert(ctype == 22 and version == 0x0301, "a handshake record")
  assert(length == #hello - 5, "record length matches")
  local htype, hlen = string.unpack(">BI3", hello, 6)
  assert(htype == 1 and hlen == #hello - 9, "one ClientHello message")
  assert(string.unpack(">I2", hello, 10) == 0x0303, "legacy_version TLS 1.2")
  assert(string.find(hello, "example.org", 1, true), "server_name sent for a host name")
  assert(not string.find(tls.client_hello("127.0.0.1"), "127.0.0.1", 1, true), "no server_name for an IP")
  assert(string.find(hello, "\0\43", 1, true), "supported_versions extension present")
  print("✓ test_client_hello passed")
end

function test_parse_server_hello()
  -- TLS 1.3: legacy_version says 1.2, supported_versions (43) says 1.3
  local h13 = server_hello(0x0303, 0x1302, string.pack(">I2s2", 43, "\3\4"))
  local r = tls.parse_server_hello(h13)
  assert(r.version == "TLSv1.3", r.version)
  assert(r.cipher == "TLS_AES_256_GCM_SHA384", r.cipher)
  -- TLS 1.2 without extensions
  r = tls.parse_server_hello(server_hello(0x0303, 0xc02f))
  assert(r.version == "TLSv1.2" and r.cipher == "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")
  -- an unknown suite is shown by number
  r = tls.parse_server_hello(server_hello(0x0303, 0x1234))
  assert(r.cipher == "0x1234")
  -- a ServerHello followed by more records (the certificate) is still read
  r = tls.parse_server_hello(h13 .. string.pack(">BI2s2", 22, 0x0303, "\11\0\0\0"))
  assert(r.version == "TLSv1.3")
  print("✓ test_parse_server_hello passed")
end

function test_parse_other_answers()
  local r = tls.parse_server_hello(string.pack(">BI2s2", 21, 0x0303, "\2\40"))
  assert(r.alert == "handshake_failure" and r.fatal)
  local h13 = server_hello(0x0303, 0x1301)
  local none, why = tls.parse_server_hello(string.sub(h13, 1, 20))
  assert(none == nil and why == "incomplete", "half a ServerHello needs more bytes")
  none, why = tls.parse_server_hello("SSH-2.0-OpenSSH_9.2p1\r\n")
  assert(none == nil and why == "not a TLS record")
  none, why = tls.parse_server_hello(string.pack(">BI2s2", 22, 0x0303, "\1\0\0\0"))
  assert(none == nil and string.find(why, "not a ServerHello"))
  print("✓ test_parse_other_answers passed")
end

function test_analyze_banner()
  prtip.target = { ip = "127.0.0.1", port = 22, protocol = "tcp" }
  local r = checker.analyze_banner(server_hello(0x0303, 0xc030))
  assert(r.service == "ssl" and r.info == "TLSv1.2 TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384" and r.confidence == 0.8)
  r = checker.analyze_banner("HTTP/1.1 400 Bad Request\r\n\r\nYou're speaking plain HTTP to an SSL-enabled server port.")
  assert(r.service == "ssl" and r.confidence == 0.7)
  -- words containing ssl/tls are not signatures
  assert(checker.analyze_banner("HTTP/1.1 200 OK\r\nServer: Apache/2.4 (Unix) OpenSSL/3.0 mod_ssl/2.4\r\n\r\n") == nil)
  assert(checker.analyze_banner("250-STARTTLS\r\n") == nil)
  -- by port: 993 is IMAPS
  prtip.target = { ip = "127.0.0.1", port = 993, protocol = "tcp" }
  r = checker.analyze_banner("* OK Dovecot ready.\r\n")
  assert(r.service == "ssl" and r.info == "TLS port (imaps)" and r.confidence == 0.6)
  print("✓ test_analyze_banner passed")
end

function test_probe_closed_port()
  checker.on_load({ probe_all_ports = true, timeout = 1.0 })
  -- a real connection attempt: nothing listens on 127.0.0.1:1
  assert(checker.probe_service({ ip = "127.0.0.1", port = 1, protocol = "tcp" }) == nil)
  checker.on_load({ probe_all_ports = false })
  -- not a TLS port: not probed at all
  assert(checker.probe_service({ ip = "127.0.0.1", port = 1, protocol = "tcp" }) == nil)
  print("✓ test_probe_closed_port passed")
end

test_client_hello()
test_parse_server_hello()
test_parse_other_answers()
test_analyze_banner()
test_probe_closed_port()
print("All tests passed!")
