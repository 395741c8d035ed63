"""Nothing shown to a signed-in person is kept by their browser or a proxy.

On a shared office PC, a browser's cache could otherwise hand unpublished figures or a
downloaded scorecard to the next person after sign-out. Every answer to a signed-in person
says Cache-Control: private, no-store, except the public pages, which are the same for
everyone and keep their own public caching (public/caching.py).
"""

from django.utils.cache import patch_cache_control


class PrivateAnswersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "public" in response.get("Cache-Control", ""):
            # Not even asking who is signed in: reading the session would add Vary: Cookie.
            return response
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response
