-- scan-statistics: the plugin guide's Scan Statistics example, extended a little.
--
-- The three log lines of the guide are kept as written ("Scanning N targets", "Found open
-- port: P", "Scan complete: N results"). Added: counts per port state and per service,
-- kept while the scan runs (on_target) and checked against the final results (post_scan),
-- a summary line, and each open port's rank among the open ports stored with
-- prtip.add_result (on_target is the hook that has a port result to add to).

local top_services = 5
local stats

local function reset()
    stats = { targets = 0, results = 0, open = 0, states = {}, services = {} }
end

local function count(map, key)
    map[key] = (map[key] or 0) + 1
end

-- "open=2 closed=998" with the keys sorted, so the line is the same from run to run
local function format_counts(map, limit)
    local keys = {}
    for key in pairs(map) do keys[#keys + 1] = key end
    table.sort(keys, function(a, b)
        if map[a] ~= map[b] then return map[a] > map[b] end
        return a < b
    end)
    local parts = {}
    for i = 1, math.min(#keys, limit or #keys) do
        parts[#parts + 1] = string.format("%s=%d", keys[i], map[keys[i]])
    end
    return table.concat(parts, " ")
end

function on_load(config)
    if type(config) == "table" and math.type(config.top_services) == "integer" and config.top_services > 0 then
        top_services = config.top_services
    end
    reset()
    return true
end

function on_unload()
    stats = nil
end

function pre_scan(targets)
    reset()
    stats.targets = #targets
    prtip.log("info", string.format("Scanning %d targets", #targets))
end

function on_target(target, result)
    stats.results = stats.results + 1
    count(stats.states, result.state or "unknown")
    if result.state == "open" then
        stats.open = stats.open + 1
        prtip.log("info", string.format("Found open port: %d", result.port))
        prtip.add_result("open_port_rank", stats.open)
    end
end

function post_scan(results)
    prtip.log("info", string.format("Scan complete: %d results", #results))
    -- the final results are the truth (detection may have named services after on_target)
    local states, services = {}, {}
    for _, result in ipairs(results) do
        count(states, result.state or "unknown")
        if result.state == "open" then
            count(services, result.service or "unknown")
        end
    end
    stats.states, stats.services, stats.results = states, services, #results
    prtip.log("info", string.format("Port states: %s", format_counts(states)))
    if next(services) then
        prtip.log("info", string.format("Open services: %s", format_counts(services, top_services)))
    end
end

-- for tests and other Lua code: the numbers gathered so far
function statistics()
    return stats
end
