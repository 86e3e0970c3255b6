"""Sign staff in as production requires (govlearn.staff_mfa): with a second factor set up and used.

For tests about what staff do in the admin; the policy itself is tested through allauth's real sign-in
in tests/govlearn/test_staff_mfa.py.
"""

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client, RequestFactory


def sign_in_with_second_factor(client: Client, user) -> Client:
    """An authenticator app set up (unless one is), then a sign-in whose second step was its code."""
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, generate_totp_secret())
    client.force_login(user)
    request = RequestFactory().get("/")
    request.session = client.session
    request.user = user
    record_authentication(request, user, "mfa", type=Authenticator.Type.TOTP)  # as allauth's MFA stage does
    request.session.save()
    return client
