"""The provider's claims (email, email_verified, names, groups), and its misbehaviours: the ID
tokens of a person whose username starts with "tampered" have their email changed after
signing; "wrongaud" tokens are issued for another client; "expired" tokens expired an hour ago;
"othernonce" tokens carry another sign-in's nonce; "otherissuer" tokens name another issuer."""

import base64
import json
import time

from oauth2_provider.oauth2_validators import OAuth2Validator


class Validator(OAuth2Validator):
    # Like Entra ID, the groups claim comes with every ID token, whatever the scopes.
    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "groups": "openid"}

    def get_additional_claims(self, request):
        user = request.user
        return {
            "email": user.email,
            "email_verified": not user.username.startswith("unverified"),
            "given_name": user.first_name,
            "family_name": user.last_name,
            "name": f"{user.first_name} {user.last_name}",
            "groups": list(user.groups.values_list("name", flat=True)),
        }

    def get_id_token_dictionary(self, token, token_handler, request):
        claims, expiration = super().get_id_token_dictionary(token, token_handler, request)
        if request.user.username.startswith("wrongaud"):
            claims["aud"] = "another-application"
        if request.user.username.startswith("expired"):
            claims["exp"] = int(time.time()) - 3600
        if request.user.username.startswith("otherissuer"):
            claims["iss"] = "https://login.example.org/another-tenant/v2.0"
        if request.user.username.startswith("othernonce"):
            claims["nonce"] = "the-nonce-of-another-sign-in"
        return claims, expiration

    def finalize_id_token(self, id_token, token, token_handler, request):
        signed = super().finalize_id_token(id_token, token, token_handler, request)
        if not request.user.username.startswith("tampered"):
            return signed
        header, payload, signature = signed.split(".")
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        claims["email"] = "pat.performance@fernley.gov.uk"
        payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
        return f"{header}.{payload}.{signature}"

    # Silent renewals (prompt=none) of someone signed in at the provider (views.Authorize answers
    # for everyone else): PMIS is a first-party application, authorised without asking.
    def validate_silent_login(self, request):
        return True

    def validate_silent_authorization(self, request):
        return True
