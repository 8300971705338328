from flask_babel import lazy_gettext as _l
from wtforms import DateField, Form, SelectField
from wtforms.validators import Optional


class AuditFilter(Form):
    """The query-string filters (a GET form: no CSRF, nothing changes)."""

    action = SelectField(_l("Action"), choices=[], validate_choice=False)
    actor = SelectField(_l("By"), choices=[], validate_choice=False)
    tenant = SelectField(_l("Region"), choices=[], validate_choice=False)
    since = DateField(_l("From"), validators=[Optional()])
    until = DateField(_l("Until"), validators=[Optional()])
