-- Unit tests for scan-statistics (run with: prtip plugin test scan-statistics)
package.path = package.path .. ";./?.lua"
local stats = require("main")

local function logged(text)
  for _, entry in ipairs(prtip.logs) do
    if entry.message == text then return true end
  end
  return false
end

local results = {
  { target_ip = "127.0.0.1", port = 22, state = "open", service = "ssh" },
  { target_ip = "127.0.0.1", port = 80, state = "open", service = "http" },
  { target_ip = "127.0.0.1", port = 81, state = "closed" },
  { target_ip = "127.0.0.2", port = 8080, state = "open", service = "http" },
}

function test_lifecycle()
  prtip.reset()
  assert(stats.on_load({ top_services = 1 }) == true)
  stats.pre_scan({ { ip = "127.0.0.1" }, { ip = "127.0.0.2" } })
  assert(logged("Scanning 2 targets"))
  for _, result in ipairs(results) do
    stats.on_target({ ip = result.target_ip, port = result.port, protocol = "tcp" }, result)
  end
  assert(logged("Found open port: 22") and logged("Found open port: 8080"))
  assert(not logged("Found open port: 81"))
  assert(prtip.results.open_port_rank == 3, "the last open port was the third")
  local s = stats.statistics()
  assert(s.targets == 2 and s.results == 4 and s.open == 3)
  assert(s.states.open == 3 and s.states.closed == 1)
  stats.post_scan(results)
  assert(logged("Scan complete: 4 results"))
  assert(logged("Port states: open=3 closed=1"))
  assert(logged("Open services: http=2"), "top_services = 1 names only the most frequent")
  s = stats.statistics()
  assert(s.services.http == 2 and s.services.ssh == 1)
  print("✓ test_lifecycle passed")
end

function test_empty_scan()
  prtip.reset()
  stats.on_load({})
  stats.pre_scan({})
  stats.post_scan({})
  assert(logged("Scanning 0 targets") and logged("Scan complete: 0 results"))
  assert(logged("Port states: "))
  print("✓ test_empty_scan passed")
end

test_lifecycle()
test_empty_scan()
print("All tests passed!")
