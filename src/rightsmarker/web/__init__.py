"""The rightsmarker web platform: a Django project inside the package.

Apps, one per domain: ``accounts`` (memberships and roles, API tokens), ``network`` (cities),
``frameworks`` (imported framework versions), ``reporting`` (cycles, submissions, values,
comments, audit log). ``rightsmarker serve`` runs it (see :mod:`rightsmarker.web.server`).
"""
