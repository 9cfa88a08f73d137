print(1 == "1", "1" == 1, nil == false, {} == {}, print == print) -- expect: false	false	false	false	true
local t = {}
print(t == t, t ~= {}) -- expect: true	true
