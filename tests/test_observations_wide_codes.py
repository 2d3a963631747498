"""``Observations.wide`` from validation's integer codes equals the plain string path."""

import pandas as pd
import pytest

from rightsmarker import load_framework, read_observations
from rightsmarker.demo import demo_data
from rightsmarker.observations import Observations


@pytest.fixture(scope="module")
def demo():
    fw = load_framework("social-inclusion-marker")
    data = demo_data(n_cities=5).observations
    # unsorted units and periods, so that the sorted index is really built, not inherited
    data = data.sample(frac=1.0, random_state=3).reset_index(drop=True)
    return fw, read_observations(data, fw)


def test_read_observations_keep_the_codes_of_their_text_columns(demo):
    _fw, obs = demo
    assert obs._codes is not None
    assert (obs._codes.units[obs._codes.unit] == obs.data["unit"].to_numpy()).all()
    assert (obs._codes.groups[obs._codes.group] == obs.data["group"].to_numpy()).all()


@pytest.mark.parametrize("group", ["total", "women", "sex=female"])
def test_the_coded_wide_table_equals_the_plain_one(demo, group):
    fw, obs = demo
    plain = Observations(obs.data, fw)  # no codes: the string path
    assert plain._codes is None
    coded = obs.wide(group)
    assert coded.notna().to_numpy().sum() > 0
    pd.testing.assert_frame_equal(coded, plain.wide(group))


def test_assigning_new_data_drops_the_codes_and_wide_follows_the_new_frame(demo):
    fw, obs = demo
    changed = Observations(obs.data, fw)
    changed._codes = obs._codes
    kept = obs.data[obs.data["unit"] != obs.data["unit"].iloc[0]].reset_index(drop=True)
    changed.data = kept
    assert changed._codes is None
    units = {u for u, _p in changed.wide().index}
    assert obs.data["unit"].iloc[0] not in units
    assert units == set(kept["unit"])
