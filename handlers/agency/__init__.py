"""A representative of an agency: the invitation link that makes them one (/start ag_<token>),
then their work: the open items (/items), answers, "not our competence", more days.

    invitation_router()  anyone (it is how a representative arrives); before handlers/start.py
    router()             the representatives' work (items.py), then the steps of a reply
                         (replies.py)
"""

from aiogram import Router

from handlers.agency import invitation, items, replies


def invitation_router() -> Router:
    return invitation.router()


def router() -> Router:
    r = Router(name="agency")
    # The steps carry no role filter (as before the split): someone removed from the agency
    # half-way through a reply is told the item can no longer be answered (the service checks).
    r.include_routers(items.router(), replies.router())
    return r
