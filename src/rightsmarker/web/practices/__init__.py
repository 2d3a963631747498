"""The good-practice library on the web: drafts, review, search, tag suggestions, import/export."""
