"""Limits apply per hook call (fresh instruction and time budget each call), are configurable
in config.toml for all plugins and per plugin, and are enforced exactly."""

from __future__ import annotations

from plugin_helpers import load_one, port_result

SIX_HUNDRED_K = """
    function analyze_banner(b)
        local x = 0
        for i = 1, 300000 do x = x + i end  -- 2 instructions per iteration
        return {service = "busy", version = tostring(x)}
    end
    """


def used(plugin) -> int:
    return plugin.code.rt.stats.instructions


def test_budget_is_per_call_not_cumulative(home):
    manager, plugin = load_one(home, "busy", SIX_HUNDRED_K)
    hooks = manager.hooks()
    counts = []
    for port in range(1, 11):  # 10 calls of ~600k each: 6M in total under a 1M limit
        result = hooks.analyze_banner(port_result(port, banner=b"x"))
        assert result.service is not None and result.service.name == "busy"
        counts.append(used(plugin))
    assert hooks.errors == []
    assert all(500_000 < c < 1_000_000 for c in counts) and len(set(counts)) == 1  # same work, same count


def test_operator_limits_and_per_plugin_overrides(home):
    home.config("""
        [plugins.limits]
        instructions = 500000
        [plugins.limits.busy-two]
        instructions = 800000
        """)
    manager, one = load_one(home, "busy-one", SIX_HUNDRED_K)
    _, two = load_one(home, "busy-two", SIX_HUNDRED_K)
    assert not one.call("analyze_banner", b"x").ok
    assert manager.faults[-1].message == "instruction limit of 500000 exceeded"
    assert two.call("analyze_banner", b"x").ok
    assert one.code.rt.limits.instructions == 500000 and two.code.rt.limits.instructions == 800000


def test_default_limits_are_the_documented_ones(home):
    _, plugin = load_one(home, "defaults", SIX_HUNDRED_K)
    limits = plugin.code.rt.limits
    assert (limits.instructions, limits.memory, limits.seconds) == (1_000_000, 100 * 2**20, 5.0)


def test_exact_instruction_limit_is_deterministic(home):
    manager, plugin = load_one(home, "exact", SIX_HUNDRED_K)
    assert plugin.call("analyze_banner", b"x").ok
    need = used(plugin)
    home.config(f"""
        [plugins.limits.exact]
        instructions = {need}
        [plugins.limits.exact-minus]
        instructions = {need - 1}
        """)
    m2, enough = load_one(home, "exact", SIX_HUNDRED_K)
    _, short = load_one(home, "exact-minus", SIX_HUNDRED_K)
    assert enough.call("analyze_banner", b"x").ok
    assert not short.call("analyze_banner", b"x").ok


def test_a_limit_hit_does_not_poison_the_next_call(home):
    manager, plugin = load_one(home, "sometimes", """
        function analyze_banner(b)
            if b == "loop" then while true do end end
            return {service = "fine"}
        end
        """)
    assert not plugin.call("analyze_banner", b"loop").ok
    r = plugin.call("analyze_banner", b"ok")
    assert r.ok and r.first[b"service"] == b"fine"
