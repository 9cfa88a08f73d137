"""-oJ's layout (docs/OUTPUT.md): a key per line, a port per line, and always the same JSON
as the document it renders, whatever the values."""

from __future__ import annotations

import json

from hypothesis import given, strategies as st

from prtip.outputs.jsonout import _compact, render

values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
                      lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
                      max_leaves=8)
hosts = st.lists(values | st.fixed_dictionaries({"ports": st.lists(st.dictionaries(st.text(), values, max_size=4), max_size=4)},
                                       optional={"address": st.text(), "status": values}), max_size=3)
documents = st.fixed_dictionaries({"hosts": hosts}, optional={"prtip_version": st.text(), "stats": values,
                                                              "errors": st.lists(st.text())})


@given(documents)
def test_the_rendered_text_reads_back_as_the_document(doc):
    assert json.loads(render(doc)) == doc


@given(values)
def test_each_line_is_what_json_dumps_writes(value):
    assert _compact(value) == json.dumps(value, default=str)


def test_one_port_per_line():
    doc = {"prtip_version": "1", "hosts": [{"address": "127.0.0.1", "ports": [{"port": p} for p in (1, 2, 3)]}],
           "errors": []}
    lines = render(doc).splitlines()
    assert lines == ['{', '  "prtip_version": "1",', '  "hosts": [', '    {"address": "127.0.0.1", "ports": [',
                     '      {"port": 1},', '      {"port": 2},', '      {"port": 3}', '    ]}', '  ],',
                     '  "errors": []', '}']
