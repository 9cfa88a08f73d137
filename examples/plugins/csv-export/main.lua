-- csv-export: the plugin guide's CSV Export example, as written.
--
-- format_result gives the line prtip shows for each result ("127.0.0.1:80 [open]");
-- export writes every result to the file given with --plugin-output PATH. io.open works
-- because the plugin has the filesystem capability, and only for that path (and the
-- plugin's own data folder): prtip's io for plugins is confined.

function format_result(result)
    return string.format("%s:%d [%s]",
        result.target_ip,
        result.port,
        result.state)
end

function export(results, path)
    local file = io.open(path, "w")
    file:write("IP,Port,State\n")
    for _, result in ipairs(results) do
        file:write(string.format("%s,%d,%s\n",
            result.target_ip,
            result.port,
            result.state))
    end
    file:close()
end
