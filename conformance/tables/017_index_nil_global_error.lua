print(nothing.field)

-- expect error: conformance/tables/017_index_nil_global_error.lua:1: attempt to index a nil value (global 'nothing')
