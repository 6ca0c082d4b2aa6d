"""What the public web site shows, and nothing more: published proposals (keyset pages, the
bot's own search words and index), their history and the agency they went to, the agencies'
table, events with their participation figures, and the rows of the open data.

Privacy is decided here, not in the templates: no phone numbers or Telegram ids are ever
read; an author's name is returned only when the author did not choose to stay anonymous;
proposals that were never published, or were withdrawn, rejected or merged away, are not
returned at all.

The package by page (callers keep writing `public.x`, every public name is here):
- proposal_pages: the proposals' list, search and one proposal's page;
- agency_pages: the agencies' table and one agency's page;
- event_pages: events, participation figures, summaries;
- draft_pages: published drafts, their outline and, after the discussion, the comments;
- open_data: the export rows, the agencies' records, the last change."""

from bot.services.public.agency_pages import (
    AGENCY_ITEMS,
    AgencyPage,
    AgencyRow,
    agency_by_code,
    agency_page,
    agency_table,
)
from bot.services.public.draft_pages import (
    DRAFTS_SHOWN,
    DraftItem,
    comment_table,
    discussion_over,
    draft_clauses,
    public_draft,
    published_drafts,
)
from bot.services.public.event_pages import (
    EVENTS_SHOWN,
    Participation,
    event_lists,
    participation,
    public_event,
    summary_of,
)
from bot.services.public.open_data import (
    AGENCY_FIELDS,
    EXPORT_CHUNK,
    EXPORT_FIELDS,
    agency_record,
    export_rows,
    last_change,
)
from bot.services.public.proposal_pages import (
    PAGE_SIZE,
    SORTS,
    Cursor,
    Listing,
    ProposalDetail,
    author_names,
    detail,
    get_proposal,
    listing,
    published_proposals,
)

__all__ = [
    "AGENCY_FIELDS",
    "AGENCY_ITEMS",
    "DRAFTS_SHOWN",
    "EVENTS_SHOWN",
    "EXPORT_CHUNK",
    "EXPORT_FIELDS",
    "PAGE_SIZE",
    "SORTS",
    "AgencyPage",
    "AgencyRow",
    "Cursor",
    "DraftItem",
    "Listing",
    "Participation",
    "ProposalDetail",
    "agency_by_code",
    "agency_page",
    "agency_record",
    "agency_table",
    "author_names",
    "comment_table",
    "detail",
    "discussion_over",
    "draft_clauses",
    "event_lists",
    "export_rows",
    "get_proposal",
    "last_change",
    "listing",
    "participation",
    "public_draft",
    "public_event",
    "published_drafts",
    "published_proposals",
    "summary_of",
]
