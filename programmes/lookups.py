"""`field__in=[...]` on whole-number columns that leaves out numbers the column cannot hold.

Django already answers `field=99999999999999999999` with no rows rather than an
error (IntegerFieldExact); `__in` still sends the number, and SQLite refuses
to bind it (OverflowError), so a form's choice of a made-up id answered 500.
Such a number matches no row anywhere, so leaving it out changes no answer.
Registered once, in ProgrammesConfig.ready (the lowest app).
"""

from django.db.models import IntegerField
from django.db.models.lookups import In


class IntegerFieldIn(In):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(self.lhs.output_field.get_internal_type())
            self.rhs = [
                value for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)


def register():
    IntegerField.register_lookup(IntegerFieldIn)
