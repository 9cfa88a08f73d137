do local hidden = 1 end
print(hidden) -- expect: nil
