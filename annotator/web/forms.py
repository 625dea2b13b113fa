"""WTForms classes; Flask-WTF adds the CSRF token to each."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, Regexp

from ..accounts import MIN_PASSWORD, NAME_RE, ROLES

# wtforms 3.3 deprecates tuple choices.
ROLE_CHOICES = [SelectChoice(role, role) for role in ROLES]


class LoginForm(FlaskForm):
    name = StringField("User name", validators=[DataRequired()], render_kw={"autocomplete": "username"})
    password = PasswordField(
        "Password", validators=[DataRequired()], render_kw={"autocomplete": "current-password"}
    )
    next = HiddenField()


class NewUserForm(FlaskForm):
    name = StringField(
        "User name",
        validators=[DataRequired(), Regexp(NAME_RE, message="letters, digits, . _ - @")],
        render_kw={"autocomplete": "off"},
    )
    role = SelectField("Role", choices=ROLE_CHOICES, default="annotator")
    password = PasswordField(
        "Password (leave empty to generate one)",
        validators=[Length(max=200)],
        render_kw={"autocomplete": "new-password"},
    )


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=ROLE_CHOICES)


class ActiveForm(FlaskForm):
    active = BooleanField("Active")


class PasswordForm(FlaskForm):
    password = PasswordField(
        "New password (leave empty to generate one)",
        validators=[Length(max=200)],
        render_kw={"autocomplete": "new-password"},
    )


class ChangeOwnPasswordForm(FlaskForm):
    current = PasswordField(
        "Current password", validators=[DataRequired()], render_kw={"autocomplete": "current-password"}
    )
    password = PasswordField(
        "New password",
        validators=[DataRequired(), Length(min=MIN_PASSWORD)],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        "Repeat the new password",
        validators=[EqualTo("password", message="the passwords differ")],
        render_kw={"autocomplete": "new-password"},
    )


class ConfirmForm(FlaskForm):
    """A form with nothing but its CSRF token, for buttons that change state."""
