"""REST endpoints of this sub-domain (filled by its work)."""

from ninja import Router

router = Router(tags=["Заседания"])
