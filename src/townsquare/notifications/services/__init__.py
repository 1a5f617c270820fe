"""Every write of the notifications app. Other apps call these (community now, library later):

- ``notify`` / ``notify_many``: tell people something happened (they decide what they hear);
- ``notifications_withdraw``: take notifications back (access lost, post removed);
- ``notification_read`` / ``notifications_read_all``;
- ``settings_update``, ``scope_level_set`` and the read ``scope_level_of``.
"""

from ..selectors import scope_level_of
from .creation import notifications_withdraw, notify, notify_many
from .preferences import scope_level_set, settings_update
from .reading import notification_read, notifications_read_all

__all__ = [
    "notification_read",
    "notifications_read_all",
    "notifications_withdraw",
    "notify",
    "notify_many",
    "scope_level_of",
    "scope_level_set",
    "settings_update",
]
