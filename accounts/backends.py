"""Sign-in by login. `find_by_login` is the one lookup, shared with the sign-in limiter
(accounts/views.py), so that every spelling the database matches to an account counts
in that account's bucket (issue 16.6: PostgreSQL matches `ſ` to `s`, Python's lower()
does not)."""

from django.contrib.auth.backends import ModelBackend


def find_by_login(username: str):
    from accounts.models import User

    return User.objects.filter(login__iexact=username.strip()).first()


def signin_key(username: str) -> str:
    """What the per-(address, login) limiter counts: the matched account's login, else the text typed,
    both case-folded. Every spelling that can sign in to an account lands in that account's bucket,
    whatever the database's notion of case; a spelling that matches nothing signs nobody in."""
    user = find_by_login(username)
    return (user.login if user is not None else username.strip()).casefold()


class LoginBackend(ModelBackend):
    """Sign-in by login (email), case-insensitively; only ACTIVE users (via is_active).
    Django's permission tables are not used: accounts.permissions decides."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        from accounts.models import User

        if not username or not password:
            return None
        user = find_by_login(username)
        if user is None:
            User().set_password(password)  # same work as a real check: no timing oracle
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id):
        from accounts.models import User

        try:
            user = User.objects.get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def has_perm(self, user_obj, perm, obj=None):  # Django perms unused
        return False
