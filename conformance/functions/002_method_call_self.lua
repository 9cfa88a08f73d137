local obj = {name = "obj"}
function obj:greet(g) return g .. ", " .. self.name end
print(obj:greet("hi"), obj.greet(obj, "yo")) -- expect: hi, obj	yo, obj
