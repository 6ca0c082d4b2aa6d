class InvalidInput(ValueError):
    """Input a person can correct; `reason` is a stable code the handler turns into words."""

    def __init__(self, reason: str, **details: object) -> None:
        super().__init__(reason)
        self.reason = reason
        self.details = details


class NotAllowed(PermissionError):
    """The person lacks the role for this action (checked on the server, for every press)."""
