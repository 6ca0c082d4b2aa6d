"""Middlewares: private chats only, one DB session per update, the current user, the locale."""
