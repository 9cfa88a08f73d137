print(utf8.char(72, 228, 8364, 128512) == "H\u{E4}\u{20AC}\u{1F600}", #utf8.char(128512)) -- expect: true	4
print(utf8.charpattern == "[\0-\x7F\xC2-\xFD][\x80-\xBF]*") -- expect: true
