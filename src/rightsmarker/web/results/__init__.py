"""Results: score runs of a cycle, the network dashboard, city profiles, reports and open data.

See docs/guide/web-results.md.
"""
