"""Tokens and permissions, checked by every service for itself."""
from canopy_kit.auth.principal import Grant, Principal
from canopy_kit.auth.tokens import JwksKeySource, KeysUnavailable, StaticKeySource, TokenError, TokenVerifier

__all__ = ["Grant", "JwksKeySource", "KeysUnavailable", "Principal", "StaticKeySource", "TokenError", "TokenVerifier"]
