"""The joint bulletin: subscribing, composing, personalising and sending.

Models live in brokerage/models.py (the "Joint bulletin" section); this
package holds the reads (selectors), writes (services), rendering (content,
emails), Celery tasks, the public views and the admin.
"""
