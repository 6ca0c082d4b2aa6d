"""What a participant does: events (browse, register), proposals, surveys and the rest of the
participant's journeys, each in its own module with a `router()`."""
