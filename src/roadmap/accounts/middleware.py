from django.conf import settings
from django.utils import translation


class UserLanguageMiddleware:
    """Signed-in users see their saved language unless they switch in this browser.

    LocaleMiddleware runs first and honours the language cookie; a user without a cookie
    (new device) gets the language saved on their account.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        enabled = {code for code, _name in settings.LANGUAGES}
        if (
            user.is_authenticated
            and user.language in enabled
            and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
        ):
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)
