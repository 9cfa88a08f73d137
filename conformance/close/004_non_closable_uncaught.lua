local x <close> = 42

-- expect error: conformance/close/004_non_closable_uncaught.lua:1: variable 'x' got a non-closable value
