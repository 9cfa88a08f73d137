-- Unit tests for http-version-detector (run with: prtip plugin test http-version-detector)
package.path = package.path .. ";./?.lua"
local detector = require("main")

function test_analyze_banner()
  local result = detector.analyze_banner("HTTP/1.1 200 OK\r\nServer: Apache\r\n")
  assert(result ~= nil, "Should detect HTTP")
  assert(result.service == "http", "Should identify as HTTP")
  assert(result.confidence > 0.5, "Should have reasonable confidence")
  print("✓ test_analyze_banner passed")
end

function test_products()
  local r = detector.analyze_banner("HTTP/1.1 200 OK\r\nServer: Apache/2.4.71 (Debian)\r\n\r\n")
  assert(r.product == "Apache" and r.version == "2.4.71" and r.info == "HTTP/1.1" and r.confidence == 0.95)
  r = detector.analyze_banner("HTTP/1.0 200 OK\r\nServer: nginx\r\n\r\n")
  assert(r.product == "nginx" and r.version == nil and r.info == "HTTP/1.0" and r.confidence == 0.85)
  -- any other server: the document's example reports the HTTP version itself
  r = detector.analyze_banner("HTTP/1.1 403 Forbidden\r\nServer: lighttpd/1.4.69\r\n\r\n")
  assert(r.product == nil and r.version == "1.1" and r.confidence == 0.7)
  print("✓ test_products passed")
end

function test_not_http()
  assert(detector.analyze_banner("SSH-2.0-OpenSSH_9.2p1\r\n") == nil)
  assert(detector.analyze_banner("220 vm ESMTP Postfix (Debian/GNU)\r\n") == nil)
  assert(detector.probe_service({ ip = "127.0.0.1", port = 80, protocol = "tcp" }) == nil)
  print("✓ test_not_http passed")
end

function test_lifecycle()
  prtip.reset()
  assert(detector.on_load({}) == true)
  detector.on_unload()
  assert(prtip.logs[1].message == "HTTP Version Detector loaded")
  assert(prtip.logs[2].message == "HTTP Version Detector unloaded")
  print("✓ test_lifecycle passed")
end

test_analyze_banner()
test_products()
test_not_http()
test_lifecycle()
print("All tests passed!")
