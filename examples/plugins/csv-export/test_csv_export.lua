-- Unit tests for csv-export (run with: prtip plugin test csv-export)
package.path = package.path .. ";./?.lua"
local csv = require("main")

local results = {
  { target_ip = "127.0.0.1", port = 22, protocol = "tcp", state = "open", service = "ssh" },
  { target_ip = "127.0.0.1", port = 80, protocol = "tcp", state = "closed" },
  { target_ip = "10.0.0.7", port = 443, protocol = "tcp", state = "filtered" },
}

function test_format_result()
  assert(csv.format_result(results[1]) == "127.0.0.1:22 [open]")
  assert(csv.format_result(results[3]) == "10.0.0.7:443 [filtered]")
  print("✓ test_format_result passed")
end

function test_export()
  -- tests run in the sandbox: io reaches the plugin's (temporary) data folder, where relative
  -- paths point; in a scan, io also reaches --plugin-output's path
  local path = "export.csv"
  csv.export(results, path)
  local file = assert(io.open(path, "r"))
  local text = file:read("a")
  file:close()
  assert(text == "IP,Port,State\n127.0.0.1,22,open\n127.0.0.1,80,closed\n10.0.0.7,443,filtered\n", text)
  print("✓ test_export passed")
end

function test_export_empty()
  local path = "export-empty.csv"
  csv.export({}, path)
  local file = assert(io.open(path, "r"))
  assert(file:read("a") == "IP,Port,State\n")
  file:close()
  print("✓ test_export_empty passed")
end

test_format_result()
test_export()
test_export_empty()
print("All tests passed!")
