"""Roles and permissions: what each role may do, checked on the server for every action.

Roles are cumulative: a checker may do all a viewer may, an editor all a checker may, an admin
everything.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    EDITOR = "editor"
    CHECKER = "checker"
    VIEWER = "viewer"


class Permission(StrEnum):
    READ = "read"
    #: Write notes and replies; edit and delete one's own.
    WRITE_NOTES = "write_notes"
    SET_NOTE_STATUS = "set_note_status"
    #: Create and delete pairs, change a pair's alignment settings.
    MANAGE_PAIRS = "manage_pairs"
    SET_VERDICT = "set_verdict"
    #: Edit or delete anybody's notes and replies.
    MODERATE_NOTES = "moderate_notes"
    MANAGE_USERS = "manage_users"


_VIEWER = frozenset({Permission.READ})
_CHECKER = _VIEWER | {Permission.WRITE_NOTES, Permission.SET_NOTE_STATUS}
_EDITOR = _CHECKER | {Permission.MANAGE_PAIRS, Permission.SET_VERDICT}
_ADMIN = frozenset(Permission)

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.VIEWER: _VIEWER, Role.CHECKER: _CHECKER, Role.EDITOR: _EDITOR, Role.ADMIN: _ADMIN,
}

DESCRIPTIONS: dict[Role, str] = {
    Role.ADMIN: "manages users; may do everything",
    Role.EDITOR: "creates and deletes pairs, changes their settings, sets a pair's verdict; writes notes",
    Role.CHECKER: "writes notes and replies, sets a note's status",
    Role.VIEWER: "reads pairs and notes",
}


def can(role: str, permission: Permission) -> bool:
    """Whether ``role`` (a Role value; anything else may do nothing) has ``permission``.

    >>> can("checker", Permission.WRITE_NOTES), can("checker", Permission.MANAGE_PAIRS)
    (True, False)
    >>> can("intruder", Permission.READ)
    False
    """
    try:
        return permission in ROLE_PERMISSIONS[Role(role)]
    except ValueError:
        return False
