"""The Google Reader API under /api/greader, as FreshRSS and Miniflux speak it.

Clients are given http://HOST:PORT/api/greader as the server. They sign in with
POST accounts/ClientLogin (Email, Passwd = the user's API password), then send
"Authorization: GoogleLogin auth=<user/token>" on every call.

Streams: user/-/state/com.google/{reading-list,starred,read}, feed/<id or url>,
user/-/label/<folder>. Item ids go out in long form (tag:google.com,2005:reader/item/<16 hex>)
in items and as decimals in itemRefs; both, and the bare 16-hex form, are accepted back.
Continuation tokens are opaque: the store's keyset cursor (or an offset for r=o).

Copies of other articles (duplicates) are left out of stream listings unless
NEWSDESK_SHOW_DUPLICATES is set, in every stream and count alike. stream/contents,
stream/items/ids and unread-count take newsdesk's `duplicates=true|false` to decide per request,
like /api/v1.
"""

from newsdesk.web.greader import contents, labels, login, subscriptions, tags  # noqa: F401
from newsdesk.web.greader.routing import router

__all__ = ["router"]
