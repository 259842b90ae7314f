"""What the package and its docs cite is in this repository (issue 14, item 4).

An installed copy must not cite material its user does not have: the shared theory notes and the
paper digest that the first sessions worked from live outside the repository. Derivations live in
``docs/`` (``docs/equations.md`` for the small ones), equations of the paper are cited as "paper eq. N".
"""

from __future__ import annotations

import functools
import io
import re
import tokenize
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
DOCS = ROOT / "docs"
TEXT_SUFFIXES = {".py", ".md", ".toml", ".txt", ".html", ".j2", ".jinja", ".css", ".js", ".cfg", ".json", ".csv"}

#: Names of documents that are not in the repository.
OUTSIDE = re.compile(r"theory[- _]notes|paper[- _]digest|\.\./shared|shared/(docs|data)", re.IGNORECASE)
#: "digest" as a word (not ``hexdigest``).
DIGEST = re.compile(r"(?<![A-Za-z_])digest", re.IGNORECASE)
#: The one legitimate use: the phase field's ``wetting_form`` value "digest" (eq. 11 as printed), quoted.
DIGEST_OPTION = re.compile(r"""(["'`])digest\1""")


def _files() -> list[Path]:
    files = [p for p in SRC.rglob("*") if p.is_file() and p.suffix in TEXT_SUFFIXES and "__pycache__" not in p.parts]
    files += sorted(DOCS.glob("*.md")) + [ROOT / "README.md"]
    return sorted(files)


@functools.cache
def _prose(path: Path) -> list[tuple[int, str]]:
    """(line number, text) of what a reader reads: comments and strings of Python, all of other files."""
    text = path.read_text(encoding="utf-8")
    if path.suffix != ".py":
        return list(enumerate(text.splitlines(), 1))
    out = []
    for tok in tokenize.generate_tokens(io.StringIO(text).readline):
        if tok.type in (tokenize.COMMENT, tokenize.STRING) or tok.type == getattr(tokenize, "FSTRING_MIDDLE", -1):
            for k, line in enumerate(tok.string.splitlines()):
                out.append((tok.start[0] + k, line))
    return out


def _outside_citations(path: Path, root: Path = ROOT) -> list[str]:
    found = []
    for number, line in _prose(path):
        if OUTSIDE.search(line):
            found.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
            continue
        rest = DIGEST_OPTION.sub("", line)
        if "wetting" in line.lower():  # the option value named on its own line: --wetting-form digest
            continue
        if DIGEST.search(rest):
            found.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    return found


def test_nothing_cites_documents_outside_the_repository():
    found = [hit for path in _files() for hit in _outside_citations(path)]
    assert not found, "cites the shared notes or the paper digest (not in the repository):\n" + "\n".join(found)


def test_the_check_catches_what_it_is_for(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text('"""Rate (digest eq. 10)."""\n# see theory-notes section 5\nx = 1  # ../shared/docs\n')
    assert len(_outside_citations(bad, tmp_path)) == 3
    good = tmp_path / "good.py"
    good.write_text('import hashlib\ndigest = hashlib.sha256(b"").hexdigest()\nform = "digest"  # as printed\n')
    assert _outside_citations(good, tmp_path) == []


DOC_PATH = re.compile(r"docs/([A-Za-z0-9_-]+)\.md")


def _cited_docs() -> dict[str, list[str]]:
    cited: dict[str, list[str]] = {}
    for path in _files():
        for number, line in _prose(path):
            for name in DOC_PATH.findall(line):
                cited.setdefault(name, []).append(f"{path.relative_to(ROOT)}:{number}")
    return cited


def test_every_cited_docs_page_exists():
    cited = _cited_docs()
    assert "equations" in cited and "theory" in cited
    missing = {name: where for name, where in cited.items() if not (DOCS / f"{name}.md").is_file()}
    assert not missing, f"docs pages cited but not in docs/: {missing}"


EQUATIONS = DOCS / "equations.md"
EQ_REF = re.compile(r"docs/equations\.md[^.;\n]*?\((E\d+)\)(?:\s*-\s*\((E\d+)\))?")
SECTION_REF = re.compile(r"docs/equations\.md,? sections? (\d+)(?: and (\d+))?")


def _labels() -> set[str]:
    return set(re.findall(r"\((E\d+)\)\s*$", EQUATIONS.read_text(), flags=re.MULTILINE))


def _sections() -> set[str]:
    return set(re.findall(r"^## (\d+)\. ", EQUATIONS.read_text(), flags=re.MULTILINE))


def test_equations_page_numbers_its_equations_in_order():
    labels = sorted(_labels(), key=lambda s: int(s[1:]))
    assert labels == [f"E{k}" for k in range(1, len(labels) + 1)] and len(labels) >= 15


@pytest.mark.parametrize("kind", ["equation", "section"])
def test_every_cited_equation_and_section_exists(kind):
    have = _labels() if kind == "equation" else _sections()
    pattern = EQ_REF if kind == "equation" else SECTION_REF
    wanted = {}
    for path in _files():
        for number, line in _prose(path):
            for groups in pattern.findall(line):
                for label in filter(None, groups):
                    wanted.setdefault(label, f"{path.relative_to(ROOT)}:{number}")
    assert wanted, f"no {kind} of docs/equations.md is cited"
    missing = {label: where for label, where in wanted.items() if label not in have}
    assert not missing, f"cited but not in docs/equations.md: {missing}"


ANY_MD = re.compile(r"(?<![\w.-])((?:[\w-]+/)*[\w-]+\.md)\b")
#: Markdown files the package writes (``interlayer reproduce`` writes claims.md), not documents it cites.
WRITTEN = {"claims.md"}


def test_every_markdown_file_named_is_in_the_repository():
    """A page named without ``docs/`` (e.g. "design.md") must still be one this repository has."""
    missing = []
    for path in _files():
        for number, line in _prose(path):
            for name in set(ANY_MD.findall(line)) - WRITTEN:
                here = [ROOT / name, DOCS / name, DOCS / Path(name).name, path.parent / name]
                if not any(p.is_file() for p in here):
                    missing.append(f"{path.relative_to(ROOT)}:{number}: {name}")
    assert not missing, "names a Markdown file this repository does not have:\n" + "\n".join(missing)


def test_the_markdown_check_catches_an_outside_page():
    assert ANY_MD.findall("as design.md has it; see docs/theory.md") == ["design.md", "docs/theory.md"]
    assert not (ROOT / "design.md").is_file() and not (DOCS / "design.md").is_file()
