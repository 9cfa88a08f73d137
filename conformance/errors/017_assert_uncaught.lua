assert(false, "assertion said no")

-- expect error: conformance/errors/017_assert_uncaught.lua:1: assertion said no
