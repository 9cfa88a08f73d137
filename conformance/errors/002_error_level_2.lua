local function check(x) if type(x) ~= "number" then error("expected number", 2) end end
local ok, err = pcall(function()
  check("no")
end)
print(err) -- expect: conformance/errors/002_error_level_2.lua:3: expected number
