from django.contrib.auth.backends import ModelBackend


class LoginBackend(ModelBackend):
    """Sign-in by login (email), case-insensitively; only ACTIVE users (via is_active).
    Django's permission tables are not used: accounts.permissions decides."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        from accounts.models import User

        if not username or not password:
            return None
        try:
            user = User.objects.get(login__iexact=username.strip())
        except User.DoesNotExist:
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
