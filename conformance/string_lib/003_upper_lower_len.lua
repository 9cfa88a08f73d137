print(("MiXeD"):upper(), ("MiXeD"):lower(), ("abc"):len(), string.len("")) -- expect: MIXED	mixed	3	0
