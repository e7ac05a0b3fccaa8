"""REST endpoints for organisations, bodies and composition (placeholder, filled next)."""

from ninja import Router

router = Router(tags=["Органы и составы"])
