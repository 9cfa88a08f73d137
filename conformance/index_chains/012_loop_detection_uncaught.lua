local t = {}
setmetatable(t, {__index = t})
print(t.x)

-- expect error: conformance/index_chains/012_loop_detection_uncaught.lua:3: '__index' chain too long; possible loop
