"""Tokens and permissions, checked by every service for itself."""
from canopy_kit.auth.principal import Grant, Principal
from canopy_kit.auth.tokens import JwksKeySource, StaticKeySource, TokenError, TokenVerifier

__all__ = ["Grant", "JwksKeySource", "Principal", "StaticKeySource", "TokenError", "TokenVerifier"]
