from django.apps import AppConfig


class OriginsConfig(AppConfig):
    name = "origins"
    verbose_name = "Trusted origins"

    def ready(self):
        from corsheaders.signals import check_request_enabled

        from accounts import signin_policy
        from origins import frames, redirects
        from origins.middleware import cors_allowed

        check_request_enabled.connect(cors_allowed, dispatch_uid="origins.cors_allowed")
        # Sign-in redirects and framing (docs/decisions/10 and 15) for accounts' sign-in views.
        signin_policy.register(
            signin_policy.SignInPolicy(
                checked=redirects.checked,
                leave_to=redirects.leave_to,
                framable=frames.framable_by_iframe_origins,
            )
        )
