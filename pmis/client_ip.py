"""The visitor's address, for sign-in throttling (django-axes), behind proxies or not.

Behind nginx or a load balancer every request comes from the proxy's address, so locking
out "this username from this address" would lock the username out for everyone. With
PMIS_PROXY_COUNT proxies in front, each appending the address it saw to X-Forwarded-For,
the visitor's address is that many entries from the right; entries further left were sent
by the visitor and prove nothing.
"""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    count = settings.PMIS_PROXY_COUNT
    if count:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR", "")
