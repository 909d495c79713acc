"""What accounts announces to the apps above it, which it must not import.

`user_deactivated(sender=User, user=..., request=..., actor=...)` is sent by
services.user_deactivate inside its transaction, after the user's status and their
`user.lifecycle.deactivate` event are written. Receivers act in that same transaction
(tokens revokes the user's tokens, one event each), so a failing receiver rolls the whole
deactivation back, and the events keep their order: the user first, then each token."""

from django.dispatch import Signal

user_deactivated = Signal()
