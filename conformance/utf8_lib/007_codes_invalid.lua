print(pcall(function() for p, c in utf8.codes("a\xffb") do end end)) -- expect: false	conformance/utf8_lib/007_codes_invalid.lua:1: invalid UTF-8 code
