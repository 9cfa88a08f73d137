-- expect: return
-- result: nil nil nil nil nil nil nil nil
return io, os, debug, package, require, dofile, loadfile, string.dump
