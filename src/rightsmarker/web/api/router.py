"""The one router of the read and write operations (a path served by both, such as
``/submissions/{pk}/values`` with GET and POST, must live in one router)."""

from ninja import Router

router = Router()
