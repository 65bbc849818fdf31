import pytest

import json

from tf_apigw_lint.report.escape import json_for_review, visible


@pytest.mark.parametrize("text, shown", [
    ('module.api.aws_api_gateway_stage.this["prod"]', 'module.api.aws_api_gateway_stage.this["prod"]'),
    ('s["prüfung"] größe 名前', 's["prüfung"] größe 名前'),  # printed as Terraform prints them
    ("a\nb\r\n", "a\\nb\\r\\n"),
    ("\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m"),
    ("tab\there", "tab\\there"),
    ("nul\x00 del\x7f c1\x9b", "nul\\x00 del\\x7f c1\\x9b"),
    ("abc\u202edcba\u2066", "abc\\u202edcba\\u2066"),  # bidirectional overrides reorder a line
    ("zero\u200bwidth", "zero\\u200bwidth"),
    ("line\u2028para\u2029", "line\\u2028para\\u2029"),
    ("bad byte \udcff", "bad byte \\udcff"),  # what surrogateescape makes of an undecodable file name
    ("private \U000f0000", "private \\U000f0000"),
    ("no\u00a0break", "no\u00a0break"),  # a space, if not ASCII, changes nothing
    ("100% :: <x> ]]> & \\n", "100% :: <x> ]]> & \\n"),  # each format escapes its own syntax
])
def test_visible(text, shown):
    assert visible(text) == shown


def test_keep_leaves_what_the_caller_handles():
    assert visible("\tx\n\x1b", keep="\t") == "\tx\\n\\x1b"
    assert visible("a\r\nb\x07", keep="\r\n") == "a\r\nb\\x07"


def test_json_for_review_escapes_only_what_a_reviewer_cannot_see():
    value = {"message": 'stage "prüfung\u202e" zero\u200bwidth c1\x85 astral \U000f0001 \x1b'}
    dumped = json_for_review(json.dumps(value, ensure_ascii=False))
    assert dumped == (
        '{"message": "stage \\"prüfung\\u202e\\" zero\\u200bwidth c1\\u0085 astral \\udb80\\udc01 \\u001b"}'
    )
    assert json.loads(dumped) == value
