local cfg
cfg.x = 1

-- expect error: conformance/tables/019_newindex_nil_error.lua:2: attempt to index a nil value (local 'cfg')
