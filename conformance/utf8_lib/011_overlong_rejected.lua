print(utf8.len("\xC0\x80"), utf8.len("\xE0\x80\x80"), utf8.len("\xF4\x90\x80\x80")) -- expect: nil	nil	nil	1
