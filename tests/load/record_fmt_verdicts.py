"""Regenerate `data/fmt_verdicts.json`, the corpus `test_differential.py` checks everywhere:
HCL files from `hcl_generator` (deterministic: hypothesis runs derandomized) and the shapes
found in public configurations, each with `terraform fmt`'s verdict.

    .venv/bin/python tests/load/record_fmt_verdicts.py   # needs terraform on PATH
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings

sys.path.insert(0, str(Path(__file__).parent))

from fmt_oracle import terraform_fmt_accepts, terraform_version  # noqa: E402
from hcl_generator import hcl_files  # noqa: E402

CORPUS = Path(__file__).parent / "data" / "fmt_verdicts.json"
GENERATED = 500

# Shapes reported as TFL001 on valid public Terraform, and the invalid shapes next to them.
FOUND_SHAPES = [
    'locals {\n  x = {\n    Prod = var.env == "prod"\n    Name = "x"\n  }\n}\n',
    "locals {\n  größe = 1\n}\n",
    "locals {\n  m = { for k, v in var.m : k\n    => v }\n}\n",
    'resource "a" /* c */ "b" {\n}\n',
    'locals {\n  js = <<EOT\nconst a = `$${b}`;\nconst c = `${"$${"}`;\nEOT\n}\n',
    "locals {\n  p = <<POLICY\n{}\nPOLICY  \n}\n",
    "a = 1\n+ 2\n",
    "a = x ? 1\n: 2\n",
    "a = 1 /* x\n */ b = 2\n",
    'resource "a" # c\n "b" {\n}\n',
    'a = "a\nb"\n',
    "b { c {} }\n",
    # Found by the long differential run.
    "a {\nfor = 0\n}\n",
    "a = <<EOT\nEOT\n.a\n",
    "a = <<EOT\nx\nEOT",
    "for {\nfor = 1\n/* c */\n}\n",  # a block whose type is a keyword, first argument `for`
    "in {\nfor = 1\nb = 2\n}\n",
    "endfor {\nfor = 1\n}\n",
    "a = {\nfor = 1\nb = 2\n}\n",  # in an object, `{ for` is a for expression
    # Identifiers at the edges of Unicode ID_Start and ID_Continue (the lexer reads non-ASCII
    # names widely and `grammar.invalid_identifier_at` decides).
    "नाम = 1\n",  # vowel sign: a spacing mark (Mc)
    "e\u0301 = 1\n",  # combining accent (Mn)
    "\u0301e = 1\n",  # a mark cannot start a name
    "x\u00bd = 1\n",  # ½ is a number (No), not ID_Continue
    "\u00bd = 1\n",
    "\u216b = 1\n",  # Roman numeral twelve, a letter number (Nl)
    "x\u203f = 1\n",  # connector punctuation (Pc)
    "x\u00b7y = 1\n",  # middle dot, Other_ID_Continue
    "\u2118 = 1\n",  # Other_ID_Start
    "\u2e2f = 1\n",  # a letter (Lm) that is Pattern_Syntax
    "x\u200dy = 1\n",  # zero width joiner
    "x\u0966 = 1\n",  # Devanagari digit zero (Nd)
    "\u0966x = 1\n",
    "a = b\u00d7c\n",
    "a = b\u00a0\n",  # no-break space is not whitespace
    "a = 1 \u00d7\n",
    "a = <<नाम\nx\nनाम\n",
    "a = <<\u00bd\nx\n\u00bd\n",
    "a = <<e\u0301\nx\ne\u0301\n",
    'a = "%{ for नाम in x }${नाम}%{ endfor }"\n',
    'a = "%{ for x\u00bd in x }y%{ endfor }"\n',
    "a = <<EOT\n%{ for नाम in x }${नाम}%{ endfor }\nEOT\n",
    "a = <<EOT\n%{ for e\u0301, v in x }${v}%{ endfor }\nEOT\n",
    "a = <<EOT\n%{ for x\u00bd in x }y%{ endfor }\nEOT\n",
    "a = <<EOT\n%{ for \u00bd in x }y%{ endfor }\nEOT\n",
]


def generated_files() -> list[str]:
    files: list[str] = []

    @settings(max_examples=GENERATED, derandomize=True, database=None, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(hcl_files())
    def collect(text: str) -> None:
        files.append(text)

    collect()
    return list(dict.fromkeys(files))


def main() -> None:
    texts = FOUND_SHAPES + generated_files()
    corpus = {
        "oracle": f"{terraform_version()}: terraform fmt -",
        "files": [{"text": text, "terraform_fmt_accepts": terraform_fmt_accepts(text)} for text in texts],
    }
    CORPUS.write_text(json.dumps(corpus, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    accepted = sum(entry["terraform_fmt_accepts"] for entry in corpus["files"])
    print(f"{CORPUS}: {len(texts)} files, {accepted} accepted")


if __name__ == "__main__":
    main()
