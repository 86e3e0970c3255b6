"""CSV cells that a spreadsheet would run as formulas are neutralised; ordinary text is untouched."""

import pytest

from content.spreadsheet import safe_cell


@pytest.mark.parametrize("value", ["=1+1", "+SUM(A1)", "-2", "@cmd", "\t=x", "\r=x"])
def test_formula_like_cells_get_a_leading_apostrophe(value):
    assert safe_cell(value) == f"'{value}"


@pytest.mark.parametrize("value", ["Amina Diallo", "Ministry of ICT", "", 42, "a=b"])
def test_ordinary_cells_are_unchanged(value):
    assert safe_cell(value) == str(value)
