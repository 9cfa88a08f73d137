-- expect: memory
-- limits: instructions=none
return (string.rep("ab", 50000):gsub("(a)(b)", "%0%0%0%0%0%0%0%0%1%2%1%2%1%2"))
