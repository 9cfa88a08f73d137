-- expect: instructions
::top:: goto top
