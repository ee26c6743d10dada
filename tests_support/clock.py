"""The moment the test suite runs at, whatever the real date."""

import datetime as dt

# A Wednesday morning in November, GMT: every test starts here unless it moves
# the clock itself (`@pytest.mark.time_machine(when)` or the `time_machine`
# fixture's move_to), so dates built from "now" are the same on any day.
# The clock ticks on from it.
TEST_NOW = dt.datetime(2026, 11, 18, 10, 0, tzinfo=dt.UTC)
