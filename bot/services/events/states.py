"""The statuses of events and of registrations, as stored in the database."""

# A registration: a seat, a place on the waiting list, or given up.
REGISTERED, WAITING, CANCELLED = "registered", "waiting", "cancelled"
# An event: being written, open to everyone, called off.
DRAFT, PUBLISHED, EVENT_CANCELLED = "draft", "published", "cancelled"
