print(string.format("100%% sure"), string.format("%5.1f%%", 99.5)) -- expect: 100% sure	 99.5%
