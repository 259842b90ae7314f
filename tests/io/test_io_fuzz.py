"""Hypothesis fuzzing of the text parsers: any input either parses or raises InputError."""

import warnings

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interlayer.errors import InputError
from interlayer.io import PartialDataWarning, UnitWarning, read_text
from interlayer.io.biologic import read_mpt
from interlayer.io.delimited import read_delimited
from interlayer.io.impedance_text import read_gamry, read_zplot

MPT = (
    "EC-Lab ASCII FILE\nNb header lines : 4\n\n"
    "time/s\tEwe/V\tI/mA\tcycle number\t\n"
    "0.0\t0.10\t1.0\t1\t\n1.0\t0.11\t1.0\t1\t\n2.0\t-0.10\t-1.0\t1\t\n3.0\t-0.11\t-1.0\t1\t\n"
)
GAMRY = (
    "EXPLAIN\nTAG\tEISPOT\nAREA\tQUANT\t1.0\t&Area (cm^2)\nZCURVE\tTABLE\n"
    "\tPt\tTime\tFreq\tZreal\tZimag\n\t#\ts\tHz\tohm\tohm\n"
    "\t0\t1\t1000\t10.0\t-2.0\n\t1\t2\t100\t12.0\t-5.0\n\t2\t3\t10\t20.0\t-3.0\n"
)
ZPLOT = (
    "ZPLOT2 ASCII\nEnd Comments\n"
    "1000\t0.01\t0\t1\t10.0\t-2.0\t0\t0\t4\n100\t0.01\t0\t2\t12.0\t-5.0\t0\t0\t4\n10\t0.01\t0\t3\t20.0\t-3.0\t0\t0\t4\n"
)
CSV = "Time (s),Voltage (V),Current (mA)\n0,0.1,1\n1,0.1,1\n2,-0.1,-1\n3,-0.1,-1\n"
TEMPLATES = [MPT, GAMRY, ZPLOT, CSV]
PARSERS = {MPT: read_mpt, GAMRY: read_gamry, ZPLOT: read_zplot, CSV: read_delimited}

_tokens = st.sampled_from(["\t", ",", ";", "\n", " ", "-", ".", "e", "E+9", "nan", "inf", "1e999", "x", "0", "ä", "\r",
                           "End Comments", "Nb header lines : 99", "ZCURVE\tTABLE", "EXPERIMENTABORTED\tTOGGLE\tT"])


@st.composite
def mutated(draw):
    template = draw(st.sampled_from(TEMPLATES))
    text = template
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["insert", "delete", "truncate", "replace"]))
        pos = draw(st.integers(0, max(len(text) - 1, 0)))
        if kind == "insert":
            text = text[:pos] + draw(st.one_of(_tokens, st.text(max_size=5))) + text[pos:]
        elif kind == "delete":
            text = text[:pos] + text[pos + draw(st.integers(1, 20)):]
        elif kind == "truncate":
            text = text[:pos]
        else:
            text = text[:pos] + draw(st.one_of(_tokens, st.text(max_size=3))) + text[pos + 1:]
    return template, text


def _check(template, text):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PartialDataWarning)
        warnings.simplefilter("ignore", UnitWarning)
        for parse in (lambda: PARSERS[template]("<fuzz>", text=text), lambda: read_text(text)):
            try:
                rec = parse()
            except InputError:
                continue
            assert len(rec) >= 1
            assert rec.data.notna().all().all()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_text_parsers_fuzz_fast(case):
    _check(*case)


@settings(max_examples=30, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_text_fast(text):
    _check(CSV, text)


@pytest.mark.slow
@settings(max_examples=10_000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_text_parsers_fuzz_10k(case):
    _check(*case)


@pytest.mark.parametrize("template", TEMPLATES)
def test_templates_parse(template):
    """The unmutated seeds are valid files (so the fuzzing starts from the accepting path)."""
    rec = PARSERS[template]("<seed>", text=template)
    assert len(rec) in (3, 4)
