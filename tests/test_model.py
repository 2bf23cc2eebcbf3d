"""The model's hand-written constructors (written out for speed) must stay in step with the dataclass fields."""

import dataclasses
import inspect
import pickle

import pytest

from validator.model import Finding, Location, Term


@pytest.mark.parametrize("cls", [Location, Term, Finding])
def test_the_constructor_takes_every_field_in_order_with_its_default(cls):
    fields = dataclasses.fields(cls)
    params = list(inspect.signature(cls.__init__).parameters.values())[1:]
    assert [p.name for p in params] == [f.name for f in fields]
    for p, f in zip(params, fields, strict=True):
        default = inspect.Parameter.empty if f.default is dataclasses.MISSING else f.default
        assert p.default == default, f.name


def test_instances_are_frozen_equal_by_value_and_survive_replace_and_pickle():
    loc = Location("t3.new.total", "总计", 859.0, "859", "table", 3, 10)
    assert loc.value == 859 and type(loc.value) is int  # whole numbers are kept as int
    with pytest.raises(dataclasses.FrozenInstanceError):
        loc.value = 1  # type: ignore[misc]
    f = Finding("N1", "error", "859 ≠ 867", expected=867.0, actual=859, locations=(loc,), terms=(Term("自然人", 821.0),))
    assert type(f.expected) is int and f.terms[0].value == 821
    g = dataclasses.replace(f, suggestion="应为 867")
    assert g.suggestion == "应为 867" and g.locations == f.locations and g != f
    assert pickle.loads(pickle.dumps(g)) == g and hash(loc) == hash(Location(*dataclasses.astuple(loc)))
