"""What a participant does: registration, the profile, and (as they move here) events,
proposals, drafts, polls, surveys and summaries."""
