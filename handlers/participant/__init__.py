"""A participant's journeys (everyone registered): reading drafts and commenting on them,
answering polls..."""
