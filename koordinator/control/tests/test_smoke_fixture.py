from koordinator.control.models import Assignment
from koordinator.control.tests.conftest import Control


def test_fixture_builds(control: Control) -> None:
    assert Assignment.objects.count() == 4
    assert control.periodic.points.count() >= 4
    assert control.one_off.points.count() == 1
