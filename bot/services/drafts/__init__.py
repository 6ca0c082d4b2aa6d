"""Public discussion of a draft clause by clause: parsing (parsing.py), publishing
(publishing.py), reading and paging (reading.py), comments, supports and decisions
(comments.py), the table of comments and the per-region figures (table.py), and the
reminder and closing sweep (sweeps.py). Plain async code over db/; nothing from aiogram, so a
read-only web page can use reading.py and table.py as they are."""

PENDING, PUBLISHED = "pending", "published"
COMMENT, WORDING = "comment", "wording"
ACCEPTED, PARTLY, REJECTED = "accepted", "partly", "rejected"
DECISIONS = (ACCEPTED, PARTLY, REJECTED)
