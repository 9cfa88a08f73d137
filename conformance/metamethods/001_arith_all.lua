local mt = {}
for _, e in ipairs({"add", "sub", "mul", "div", "mod", "pow", "unm", "idiv"}) do
  mt["__" .. e] = function(a, b) return e end
end
local t = setmetatable({}, mt)
print(t + 1, 1 - t, t * t, t / 2, t % 2, t ^ 2, -t, t // 2) -- expect: add	sub	mul	div	mod	pow	unm	idiv
