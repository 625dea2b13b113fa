"""Administration of users and the audit log."""

from flask import Blueprint, flash, g, redirect, request, url_for

from .. import accounts
from ..errors import AnnotatorError, Invalid
from .access import role_required
from .db import get_db
from .forms import ActiveForm, ConfirmForm, NewUserForm, PasswordForm, RoleForm
from .htmx import render

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _users_page(form=None, *, new_password=None, status=200):
    return render(
        "admin/users.html",
        users=accounts.list_users(get_db()),
        form=form or NewUserForm(),
        role_form=RoleForm(),
        confirm=ConfirmForm(),
        new_password=new_password,
        status=status,
    )


def _change(form, apply, message):
    """Validate a one-field admin form, apply it, flash what changed and go back to the user list."""
    if not form.validate_on_submit():
        return _users_page(status=400)
    apply(form)
    flash(message(form))
    return redirect(url_for("admin.users"))


@bp.get("/users")
@role_required("admin")
def users():
    return _users_page()


@bp.post("/users")
@role_required("admin")
def add_user():
    form = NewUserForm()
    if not form.validate_on_submit():
        return _users_page(form, status=400)
    password = form.password.data or accounts.generate_password()
    try:
        user = accounts.create_user(
            get_db(), form.name.data.strip(), role=form.role.data, password=password, actor=g.user
        )
    except AnnotatorError as e:
        form.form_errors.append(e.message)
        return _users_page(form, status=e.status)
    shown = None if form.password.data else (user["name"], password)
    flash(f"User {user['name']} added as {user['role']}.")
    # A fresh form, not one filled from this request: the next user starts from empty fields.
    return _users_page(NewUserForm(formdata=None), new_password=shown)


@bp.post("/users/<name>/role")
@role_required("admin")
def set_role(name):
    return _change(
        RoleForm(),
        lambda form: accounts.set_role(get_db(), name, form.role.data, actor=g.user),
        lambda form: f"{name} is now {form.role.data}.",
    )


@bp.post("/users/<name>/active")
@role_required("admin")
def set_active(name):
    return _change(
        ActiveForm(),
        lambda form: accounts.set_active(get_db(), name, form.active.data, actor=g.user),
        lambda form: f"{name} is {'active' if form.active.data else 'deactivated'}.",
    )


@bp.post("/users/<name>/password")
@role_required("admin")
def reset_password(name):
    form = PasswordForm()
    if not form.validate_on_submit():
        return _users_page(status=400)
    password = form.password.data or accounts.generate_password()
    try:
        accounts.set_password(get_db(), name, password, actor=g.user)
    except Invalid as e:
        # A typed password that fails the policy: say why; an empty field generates a strong one.
        flash(f"The password of {name} is not changed: {e.message}")
        return _users_page(status=400)
    flash(f"The password of {name} is reset; their sessions are ended.")
    return _users_page(new_password=None if form.password.data else (name, password))


@bp.post("/users/<name>/unlock")
@role_required("admin")
def unlock(name):
    return _change(
        ConfirmForm(),
        lambda form: accounts.unlock(get_db(), name, actor=g.user),
        lambda form: f"{name} is unlocked.",
    )


@bp.get("/events")
@role_required("admin")
def events():
    kind = request.args.get("kind") or None
    return render("admin/events.html", events=accounts.list_events(get_db(), kind=kind), kind=kind)
