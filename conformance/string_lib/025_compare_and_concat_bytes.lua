print(("\255"):byte(), #("\255\254"), ("abc") < ("abd")) -- expect: 255	2	true
